"""App shell: the bell, the organization switch for staff, the menu toggle on phones."""

from __future__ import annotations

from dash import Input, Output, State, no_update
from dash.exceptions import PreventUpdate

from context.guard import signed_in
from context.sessions import work_on
from dashboard.bell import ring
from dashboard.callback_set import CallbackSet
from dashboard.ids import shell as ids
from dashboard.organization_choice import linked_organization
from dashboard.shell import organizations_to_switch

callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds


@callbacks.callback(
    Output(ids.BELL_COUNT, "children"),
    Output(ids.BELL_COUNT, "className"),
    Output(ids.BELL, "children"),
    Output(ids.BELL_SEEN, "data"),
    # Not the address: a move between pages asks nothing of the bell (the notification centre's marks refresh it at
    # once, callbacks.notifications.bell_after_reading).
    Input(ids.BELL_TICK, "n_intervals"),
    State(ids.BELL_SEEN, "data"),
    prevent_initial_call=True,  # the shell comes with the bell rung (dashboard.shell)
)
@signed_in()
def bell(principal, _ticks, seen):
    """The unread count and the newest messages; refreshed every few seconds without a reload, and sent only when
    they changed (else the page's bell stays as it is: an empty answer)."""
    rung = ring(principal, seen)
    if rung is None:
        raise PreventUpdate
    return rung.count, rung.badge, rung.items, rung.version


@callbacks.callback(
    Output(ids.ORG_SWITCH, "options"),
    Output(ids.ORG_SWITCH, "value"),
    Input(ids.STAFF_URL, "pathname"),  # in staff's shells only: a consumer's move between pages does not ask
    State(ids.STAFF_URL, "search"),
    prevent_initial_call=True,  # the shell comes with both (dashboard.shell): this is for moving between pages
)
@signed_in("admin", "operator")
def organizations(principal, _path, search):
    """The organizations a staff member may switch to, new ones included, and a link's choice (``?org=3``); without
    a link the switch keeps its value (setting it again would redo every callback that reads it)."""
    linked = linked_organization(str(search or ""))
    options, chosen = organizations_to_switch(principal, linked)
    return options, chosen if linked else no_update


@callbacks.callback(Input(ids.ORG_SWITCH, "value"), prevent_initial_call=True)
@signed_in("admin", "operator")
def remember_organization(_principal, org_id):
    """The server remembers the choice for the session: the next page opens on it."""
    work_on(org_id if isinstance(org_id, int) else None)


@callbacks.callback(
    Output(ids.NAV_COLLAPSE, "is_open"),
    Input(ids.NAV_TOGGLER, "n_clicks"),
    State(ids.NAV_COLLAPSE, "is_open"),
    prevent_initial_call=True,
)
@signed_in()
def toggle_menu(_principal, _clicks, is_open):
    return not is_open

