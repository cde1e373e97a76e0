"""The callbacks of the metering-point pickers, declared once for every page that has one: a staff member's switch of
organization, and a reader typing in a picker that lists only the first of many points."""

from __future__ import annotations

from collections.abc import Callable

from dash import Input, Output, State

from auth.principal import Principal
from context.guard import signed_in
from dashboard.callback_set import CallbackSet
from dashboard.ids import Selection
from dashboard.ids import shell as shell_ids
from dashboard.meter_choice import Options, matching, meter_choice, point_label


def register_meter_picker(app: CallbackSet, selection: Selection) -> None:
    """The metering-point picker of a page (``selection.meter``): the page starts with it filled
    (``dashboard.meter_choice.initial``); a staff member switching organizations gets that organization's points;
    typing finds points past the first it lists."""

    @app.callback(
        Output(selection.meter, "options"),
        Output(selection.meter, "value"),
        Input(shell_ids.ORG_SWITCH, "value"),
        prevent_initial_call=True,
    )
    @signed_in()
    def meter_options(principal: Principal, org: int | None) -> tuple[Options, list]:
        return meter_choice(principal, org, None, whole_org=False)

    register_point_search(app, selection.meter)


def register_point_search(
    app: CallbackSet, picker: str, label: Callable = point_label, every_organization: bool = False
) -> None:
    """As the reader types in ``picker``, its options become the points whose code or name holds the text
    (:func:`dashboard.meter_choice.matching`): a picker lists at most a couple of hundred points at once, and an
    administrator who sees ten thousand finds any of them by typing a few characters of its code or name. Among the
    organization chosen in the navigation bar, or — ``every_organization``, a staff page's picker — among them all."""

    @app.callback(
        Output(picker, "options", allow_duplicate=True),
        Input(picker, "search_value"),
        State(picker, "value"),
        State(shell_ids.ORG_SWITCH, "value"),
        prevent_initial_call=True,
    )
    @signed_in()
    def point_search(principal: Principal, text: str | None, value: list[str] | str | None, org: int | None) -> Options:
        chosen = value if isinstance(value, list) else [value] if value else []
        return matching(principal, None if every_organization else org, text or "", chosen, label)
