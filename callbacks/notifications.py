"""Notification centre: the alerts in scope with filters; marking read, all read, and acknowledging in place."""

from __future__ import annotations

import datetime as dt
import time

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, ctx, html, no_update

from alerts.actions import AlertView, acknowledge, alert_list, mark_alerts_read, mark_read, reading_zone
from auth.principal import AccessDenied
from context.guard import signed_in
from context.services import services
from dashboard.bell import ring
from dashboard.callback_set import CallbackSet
from dashboard.formatting import moment
from dashboard.ids import notifications as ids
from dashboard.ids import shell as shell_ids
from i18n import alert_texts as texts
from i18n import current_language, say, t

SINCE = {"day": dt.timedelta(days=1), "week": dt.timedelta(days=7), "month": dt.timedelta(days=31)}
COLORS = {"critical": "danger", "warning": "warning", "info": "info"}


callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds


@callbacks.callback(
    Output(ids.LIST, "children"),
    Output(ids.RESULT, "children"),
    Output(ids.READ_NOW, "data"),
    Input(shell_ids.ORG_SWITCH, "value"),
    Input(ids.KIND, "value"),
    Input(ids.SEVERITY, "value"),
    Input(ids.STATE, "value"),
    Input(ids.PERIOD, "value"),
    Input(ids.READ_ALL, "n_clicks"),
    Input({"type": "notif-action", "alert": ALL, "do": ALL}, "n_clicks"),
)
@signed_in()
def notification_list(principal, org, kind, severity, state, period, _all, clicks):
    svc = services()
    result, read_now = "", no_update
    trigger = ctx.triggered_id
    if trigger == ids.READ_ALL:
        result, read_now = t("notif.marked").format(n=mark_read(svc, principal)), time.time()
    elif isinstance(trigger, dict) and trigger.get("type") == "notif-action" and any(clicks or []):
        alert_id = int(trigger["alert"])
        try:
            if trigger["do"] == "ack":
                acknowledge(svc, principal, alert_id)
            else:
                mark_alerts_read(svc, principal, [alert_id])
            read_now = time.time()
        except (LookupError, ValueError, AccessDenied) as exc:
            result = say(exc)
    since = dt.datetime.now(dt.UTC) - SINCE[period] if period in SINCE else None
    views = alert_list(svc, principal, org, kind or None, severity or None, state or None, since)
    if not views:
        return html.Div(t("notif.none"), className="text-muted", id=ids.EMPTY), result, read_now
    zone = reading_zone(svc, principal)
    return dbc.ListGroup([_item(v, zone) for v in views], id=ids.ITEMS), result, read_now


@callbacks.callback(
    Output(shell_ids.BELL_COUNT, "children", allow_duplicate=True),
    Output(shell_ids.BELL_COUNT, "className", allow_duplicate=True),
    Output(shell_ids.BELL, "children", allow_duplicate=True),
    Output(shell_ids.BELL_SEEN, "data", allow_duplicate=True),
    Input(ids.READ_NOW, "data"),
    prevent_initial_call=True,
)
@signed_in()
def bell_after_reading(principal, _read_now):
    """The bell as it is now, the moment the reader marked or acknowledged something here (not at its next
    refresh, up to 10 s later: it no longer asks on every move between pages)."""
    rung = ring(principal)
    return rung.count, rung.badge, rung.items, rung.version


def _item(view: AlertView, reader_zone: str) -> dbc.ListGroupItem:
    """A card; its times are in the zone its text uses (the point's), named once, else in the reader's zone."""
    a = view.alert
    lang = current_language()
    when = a.resolved_at if a.state == "resolved" and a.resolved_at else a.fired_at
    zone = str(a.params.get("tz") or reader_zone)
    title, text = texts.render(a.kind, a.state, a.subject, {**a.params, "tz": zone}, lang, when)

    badges = [
        dbc.Badge(t(f"severity.{a.severity}"), color=COLORS.get(a.severity, "secondary"), className="me-1"),
        dbc.Badge(t(f"state.{a.state}"), color="light", text_color="dark", className="me-1"),
    ]
    if view.read is False:
        badges.append(dbc.Badge(t("notif.unread"), color="primary", className="me-1"))
    meta = [t("notif.fired").format(when=moment(a.fired_at, zone, named=True))]  # the card's first time names the zone
    if a.resolved_at and a.state == "resolved":
        meta.append(t("notif.resolved_at").format(when=moment(a.resolved_at, zone)))
    if a.acknowledged_by and a.acknowledged_at:
        meta.append(t("notif.acked").format(who=a.acknowledged_by, when=moment(a.acknowledged_at, zone)))
    actions = []
    if a.state == "firing" and not a.acknowledged_at:
        actions.append(
            dbc.Button(
                t("notif.ack"), id={"type": "notif-action", "alert": a.id, "do": "ack"}, size="sm", className="me-2"
            )
        )
    if view.read is False:
        actions.append(
            dbc.Button(
                t("notif.read"),
                id={"type": "notif-action", "alert": a.id, "do": "read"},
                size="sm",
                color="secondary",
                outline=True,
            )
        )
    return dbc.ListGroupItem(
        [
            html.Div([*badges, html.Small(t(f"kind.{a.kind}"), className="text-muted")]),
            html.A(html.Strong(title), href=a.link or "#", className="d-block mt-1"),
            html.Div(text, className="small"),
            html.Div(" · ".join(meta), className="small text-muted"),
            html.Div(actions, className="mt-1"),
        ],
        id=f"alert-{a.id}",
    )


