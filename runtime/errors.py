"""Turning start-up failures into one line that says what to fix."""

from __future__ import annotations

from auth.passwords import WeakPassword
from config import SettingsError
from data.clickhouse.store import StoreUnavailable
from data.messaging.broker import BrokerUnavailable
from data.relational import connection_problem
from data.relational.partners import PartnerError
from data.relational.users import UserError
from i18n import say
from security.outbound import FetchError
from security.secrets import SecretUnavailable


class StartupError(RuntimeError):
    """A start-up problem already phrased for the user."""


def explain(exc: BaseException, database_url: str | None = None) -> str | None:
    """One line for the problems a user can fix, or None for a real bug (shown as a traceback)."""
    if isinstance(
        exc,
        StartupError
        | SettingsError
        | BrokerUnavailable
        | StoreUnavailable
        | UserError
        | WeakPassword
        | PartnerError
        | FetchError
        | SecretUnavailable,
    ):
        return say(exc)
    return connection_problem(exc, database_url)
