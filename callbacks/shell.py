"""App shell: the bell, the organization switch for staff, the menu toggle on phones."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html, no_update

from alerts.actions import latest, reading_zone, unread
from context.guard import signed_in
from context.services import services
from context.sessions import work_on
from dashboard.callback_set import CallbackSet
from dashboard.formatting import moment
from dashboard.ids import shell as ids
from dashboard.organization_choice import linked_organization
from dashboard.shell import organizations_to_switch
from i18n import t

callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds


@callbacks.callback(
    Output(ids.BELL_COUNT, "children"),
    Output(ids.BELL_COUNT, "className"),
    Output(ids.BELL, "children"),
    Input(ids.BELL_TICK, "n_intervals"),
    Input(ids.URL, "pathname"),
)
@signed_in()
def bell(principal, _ticks, _path):
    """The unread count and the newest messages; refreshed every few seconds without a reload."""
    svc = services()
    count = unread(svc, principal)
    rows = latest(svc, principal, limit=8)
    zone = reading_zone(svc, principal) if rows else ""
    badge = "badge rounded-pill bg-danger ms-1" + ("" if count else " d-none")
    items = [dbc.DropdownMenuItem(t("bell.title"), header=True)]
    if not rows:
        items.append(dbc.DropdownMenuItem(t("bell.empty"), disabled=True))
    for row in rows:
        mark = "fw-semibold" if not row.read else "text-muted"
        items.append(
            dbc.DropdownMenuItem(
                [
                    html.Div(row.title, className=f"small {mark}"),
                    html.Small(moment(row.created_at, zone, named=True), className="text-muted"),
                ],
                href=row.link or "/notifications",
                className="wb-bell-item",
            )
        )
    items += [
        dbc.DropdownMenuItem(divider=True),
        dbc.DropdownMenuItem(t("bell.all"), href="/notifications", id=ids.BELL_ALL),
        dbc.DropdownMenuItem(t("bell.profile"), href="/profile"),
    ]
    return (str(count) if count < 100 else "99+"), badge, items


@callbacks.callback(
    Output(ids.ORG_SWITCH, "options"),
    Output(ids.ORG_SWITCH, "value"),
    Input(ids.URL, "pathname"),
    State(ids.URL, "search"),
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

