"""App shell: the bell, the organization switch for staff, the menu toggle on phones."""

from __future__ import annotations

from urllib.parse import parse_qs

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html, no_update

from alerts.actions import latest, reading_zone, unread
from auth.access import switchable_organizations
from context.guard import signed_in
from context.services import services
from dashboard.callback_set import CallbackSet
from dashboard.formatting import moment
from dashboard.ids import shell as ids
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
)
@signed_in("admin", "operator")
def organizations(principal, _path, search):
    """The organizations a staff member may switch to, and the one a shared link (``/forecast?org=3``) opens on —
    both in one answer (a value set before its options would be dropped; one round trip before the page's own
    callbacks, not two). Without a link the switch keeps its choice."""
    switchable = switchable_organizations(services().db, principal)
    options = [{"label": name, "value": org_id} for org_id, name in switchable]
    chosen = parse_qs(str(search or "").lstrip("?")).get("org", [""])[0]
    if chosen.isdecimal() and int(chosen) in {org_id for org_id, _ in switchable}:
        return options, int(chosen)
    return options, no_update


@callbacks.callback(
    Output(ids.NAV_COLLAPSE, "is_open"),
    Input(ids.NAV_TOGGLER, "n_clicks"),
    State(ids.NAV_COLLAPSE, "is_open"),
    prevent_initial_call=True,
)
@signed_in()
def toggle_menu(_principal, _clicks, is_open):
    return not is_open

