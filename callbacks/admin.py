"""Administration page: user, organization and audit tables; role, block and approval actions (audited)."""

from __future__ import annotations

from urllib.parse import urlsplit

import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, html, no_update
from flask import request

from auth import user_admin
from context.guard import signed_in
from context.services import services
from dashboard.callback_set import CallbackSet
from dashboard.components import clip
from dashboard.formatting import moment, number
from dashboard.ids import admin as ids
from dashboard.plain import Element, el
from i18n import say, t, t_or
from weather.pull import source_status

STATUS_COLORS = {"active": "success", "pending": "warning", "rejected": "secondary", "blocked": "danger"}
ACTIONS = (ids.SET_ROLE, ids.BLOCK, ids.UNBLOCK, ids.APPROVE, ids.REJECT)


def _apply(svc, principal, user_id: int, action: str, role: str | None, reason: str) -> str:
    ip = request.remote_addr
    if action == ids.SET_ROLE:
        if not role:
            raise ValueError(t("admin.role"))
        email = user_admin.change_role(svc, principal, user_id, role, ip)
        return f"{email} → {t(f'role.{role}')}"
    if not reason:
        raise ValueError(t("admin.reason_needed"))
    if action in (ids.BLOCK, ids.UNBLOCK):
        blocked = action == ids.BLOCK
        email = user_admin.set_blocked(svc, principal, user_id, blocked, reason, ip)
        return f"{email} → {t('ustatus.blocked' if blocked else 'ustatus.active')}"
    approved = action == ids.APPROVE
    email = user_admin.settle_signup(svc, principal, user_id, approved, reason, ip=ip)
    return f"{email} → {t('ustatus.active' if approved else 'ustatus.rejected')}"


def _users_table(rows: list) -> Element:
    keys = (
        "admin.email",
        "admin.name",
        "admin.organization",
        "admin.role",
        "admin.status",
        "admin.reason",
        "admin.created",
    )
    head = el(html.Thead, el(html.Tr, [el(html.Th, t(k)) for k in keys]))
    body = el(
        html.Tbody,
        [
            el(
                html.Tr,
                [
                    el(html.Td, clip(u.email)),
                    el(html.Td, clip(u.full_name, "12rem")),
                    el(
                        html.Td,
                        [
                            clip(u.organization or "—"),
                            " ",
                            el(dbc.Badge, t("org.owner"), color="info") if u.is_owner else None,
                        ],
                    ),
                    el(html.Td, t(f"role.{u.role}")),
                    el(
                        html.Td,
                        el(dbc.Badge, t(f"ustatus.{u.status}"), color=STATUS_COLORS.get(u.status, "secondary")),
                    ),
                    el(html.Td, el(html.Small, clip(u.reason))),
                    el(html.Td, moment(u.created_at)),
                ],
                id=f"adm-user-{u.id}",
            )
            for u in rows
        ],
    )
    return el(dbc.Table, [head, body], size="sm", hover=True, responsive=True, id=ids.USERS_TABLE)


callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds


@callbacks.callback(
    Output(ids.USERS, "children"),
    Output(ids.PICK, "options"),
    Output(ids.PENDING, "children"),
    Input(ids.USER_SEARCH, "value"),
    Input(ids.USER_ROLE, "value"),
    Input(ids.USER_STATUS, "value"),
    Input(ids.CHANGED, "data"),
)
@signed_in("admin", "operator")
def users(principal, search, role, status, _changed):
    rows, pending = user_admin.find_people(services(), principal, search or "", role, status)
    options = [{"label": f"{u.email} ({t(f'ustatus.{u.status}')})", "value": u.id} for u in rows]
    banner = dbc.Badge(
        t("admin.pending_queue").format(n=pending),
        color="warning" if pending else "light",
        text_color="dark",
        id=ids.PENDING_COUNT,
    )
    return _users_table(rows), options, banner

@callbacks.callback(
    Output(ids.RESULT, "children"),
    Output(ids.CHANGED, "data"),
    *[Input(a, "n_clicks") for a in ACTIONS],
    State(ids.PICK, "value"),
    State(ids.NEW_ROLE, "value"),
    State(ids.REASON, "value"),
    State(ids.CHANGED, "data"),
    prevent_initial_call=True,
)
@signed_in("admin")
def act(principal, *args):
    user_id, role, reason, changed = args[len(ACTIONS) :]
    action = ctx.triggered_id
    if not user_id or action not in ACTIONS:
        return no_update, no_update
    reason = (reason or "").strip()
    svc = services()
    try:
        what = _apply(svc, principal, int(user_id), action, role, reason)
    except (user_admin.AccountError, ValueError) as exc:
        return dbc.Alert(say(exc), color="danger", className="py-1"), no_update
    return dbc.Alert(t("admin.done").format(what=what), color="success", className="py-1"), (changed or 0) + 1

@callbacks.callback(Output(ids.ORGS, "children"), Input(ids.ORG_SEARCH, "value"))
@signed_in("admin", "operator")
def organizations(principal, search):
    rows = user_admin.organizations(services(), principal, search or "")
    head = html.Thead(
        html.Tr([html.Th(t(k)) for k in ("admin.organization", "admin.inn", "admin.members", "admin.contracts")])
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(clip(o.name, "20rem")),
                    html.Td(o.inn),
                    html.Td(o.users),
                    html.Td(
                        [
                            html.Div(f"№ {n} · {s} · {d:%d.%m.%Y} · {t_or(f'contract.{st}', st)}")
                            for n, s, d, st in o.contracts
                        ]
                    ),
                ]
            )
            for o in rows
        ]
    )
    return dbc.Table([head, body], size="sm", hover=True, responsive=True, id=ids.ORGS_TABLE)

def _detail(value: object) -> str:
    """An audit detail as a person reads it: lists joined, yes and no, numbers the Russian way — not Python's repr."""
    if isinstance(value, bool):
        return t("audit.yes") if value else t("audit.no")
    if isinstance(value, float):
        return number(value, 2).rstrip("0").rstrip(",.") or "0"
    if isinstance(value, list | tuple):
        return ", ".join(_detail(v) for v in value if v is not None) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_detail(v)}" for k, v in value.items() if v is not None) or "—"
    return str(value)


@callbacks.callback(Output(ids.AUDIT, "children"), Input(ids.AUDIT_SEARCH, "value"))
@signed_in("admin", "operator")
def audit_log(principal, search):
    events = user_admin.audit_log(services(), principal, search or "")
    keys = ("admin.at", "admin.actor", "admin.action", "admin.target", "admin.ip", "admin.details")
    head = html.Thead(html.Tr([html.Th(t(k)) for k in keys]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(moment(e.at)),
                    html.Td(clip(e.actor, "14rem")),
                    html.Td(html.Span(t_or(f"audit.{e.action}", e.action), title=e.action)),
                    html.Td(clip(e.target, "14rem")),
                    html.Td(html.Small(e.ip or "")),
                    html.Td(
                        html.Small(
                            clip("; ".join(f"{k}: {_detail(v)}" for k, v in (e.details or {}).items() if v is not None))
                        )
                    ),
                ]
            )
            for e in events
        ]
    )
    return dbc.Table([head, body], size="sm", hover=True, responsive=True, id=ids.AUDIT_TABLE)



@callbacks.callback(Output(ids.WEATHER, "children"), Input(ids.TABS, "active_tab"))
@signed_in("admin", "operator")
def weather_source(principal, tab):
    if tab != "weather":
        return no_update
    svc = services()
    if not svc.weather_url:
        return dbc.Alert(t("admin.weather_off"), color="secondary")
    places = source_status(svc, principal)
    if not places:
        return dbc.Alert(t("admin.weather_none"), color="info")
    keys = ("admin.weather_place", "admin.weather_fetched", "admin.weather_until", "admin.weather_hours")
    keys += ("admin.status",)
    head = html.Thead(html.Tr([html.Th(t(k)) for k in keys]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td([html.Div(p.name), html.Small(p.place, className="text-muted")]),
                    html.Td(moment(p.fetched_at) if p.fetched_at else t("admin.weather_never")),
                    html.Td(moment(p.last_hour) if p.last_hour else "—"),
                    html.Td(p.hours),
                    html.Td(
                        [
                            dbc.Badge(t("admin.weather_stale"), color="danger")
                            if p.stale
                            else dbc.Badge(
                                t("admin.weather_fresh") if p.fetched_at else t("admin.weather_waiting"),
                                color="success" if p.fetched_at else "secondary",
                            ),
                            html.Div(html.Small(p.failure, className="text-muted")) if p.stale and p.failure else None,
                        ],
                    ),
                ],
                id=f"adm-weather-{p.place}",
            )
            for p in places
        ]
    )
    source = urlsplit(svc.weather_url)  # scheme and host only: a paid plan's key may ride in the query
    where = f"{source.scheme}://{source.netloc}"
    note = html.Div(t("admin.weather_note").format(url=where), className="small text-muted")
    return [dbc.Table([head, body], size="sm", responsive=True, id=ids.WEATHER_TABLE), note]
