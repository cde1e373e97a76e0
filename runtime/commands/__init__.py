"""The command line's groups of administrative commands, one module each (``wattboard users``, ``partners``,
``orgs``, ``alertmanager``, ``forecast``, ``review``, ``meters``, ``prices``, ``weather``, ``reports``).

A command parses its options and calls the use case in a domain package with an operator's principal
(:func:`runtime.operator.operator_session`); it prints what happened and turns a refusal into one line. Starting the
product's processes (``up``, ``web``, ``consume``, ``worker``, ``scheduler``, ``migrate``) stays in
:mod:`runtime.cli`, which adds every group listed in :data:`GROUPS`. A new group is a module here and a line there.
"""

from __future__ import annotations

import click

from runtime.commands.accounts import tokens, users
from runtime.commands.alertmanager import alertmanager
from runtime.commands.forecast import forecast
from runtime.commands.organizations import orgs
from runtime.commands.partners import dlq, import_file, partners
from runtime.commands.prices import prices, set_category
from runtime.commands.reports import reports
from runtime.commands.review import meters, review
from runtime.commands.weather import set_place, weather

meters.add_command(set_category)
meters.add_command(set_place)

GROUPS: tuple[click.Command, ...] = (
    users, tokens, partners, import_file, dlq, orgs, alertmanager, forecast, review, meters, prices, weather, reports
)
