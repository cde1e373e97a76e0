"""Administration page: user, organization and audit tables; role, block and approval actions (audited)."""

from __future__ import annotations

import contextlib

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, html, no_update
from flask import request

from auth.guard import signed_in
from auth.letters import verification_result
from auth.mail import MailUnavailable
from dashboard.formatting import moment
from dashboard.i18n import t
from dashboard.services import services
from data import accounts, audit

STATUS_COLORS = {"active": "success", "pending": "warning", "rejected": "secondary", "blocked": "danger"}
ACTIONS = ("adm-set-role", "adm-block", "adm-unblock", "adm-approve", "adm-reject")


def register(app: dash.Dash) -> None:
    @app.callback(
        Output("adm-users", "children"),
        Output("adm-pick", "options"),
        Output("adm-pending", "children"),
        Input("adm-user-search", "value"),
        Input("adm-user-role", "value"),
        Input("adm-user-status", "value"),
        Input("adm-changed", "data"),
    )
    @signed_in("admin", "operator")
    def users(_principal, search, role, status, _changed):  # type: ignore[no-untyped-def]
        db = services().db
        rows = accounts.list_users(db, search or "", role, status)
        pending = accounts.count_users(db, "pending")
        options = [{"label": f"{u.email} ({t(f'ustatus.{u.status}')})", "value": u.id} for u in rows]
        banner = dbc.Badge(
            t("admin.pending_queue").format(n=pending),
            color="warning" if pending else "light",
            text_color="dark",
            id="adm-pending-count",
        )
        return _users_table(rows), options, banner

    @app.callback(
        Output("adm-result", "children"),
        Output("adm-changed", "data"),
        *[Input(a, "n_clicks") for a in ACTIONS],
        State("adm-pick", "value"),
        State("adm-new-role", "value"),
        State("adm-reason", "value"),
        State("adm-changed", "data"),
        prevent_initial_call=True,
    )
    @signed_in("admin")
    def act(principal, *args):  # type: ignore[no-untyped-def]
        user_id, role, reason, changed = args[len(ACTIONS) :]
        action = ctx.triggered_id
        if not user_id or action not in ACTIONS:
            return no_update, no_update
        reason = (reason or "").strip()
        svc = services()
        try:
            what = _apply(svc, principal.email, int(user_id), action, role, reason)
        except (accounts.AccountError, ValueError) as exc:
            return dbc.Alert(str(exc), color="danger", className="py-1"), no_update
        return dbc.Alert(t("admin.done").format(what=what), color="success", className="py-1"), (changed or 0) + 1

    @app.callback(Output("adm-orgs", "children"), Input("adm-org-search", "value"))
    @signed_in("admin", "operator")
    def organizations(_principal, search):  # type: ignore[no-untyped-def]
        rows = accounts.organizations_with_contracts(services().db, search or "")
        head = html.Thead(
            html.Tr([html.Th(t(k)) for k in ("admin.organization", "admin.inn", "admin.members", "admin.contracts")])
        )
        body = html.Tbody(
            [
                html.Tr(
                    [
                        html.Td(o.name),
                        html.Td(o.inn),
                        html.Td(o.users),
                        html.Td([html.Div(f"№ {n} · {s} · {d:%d.%m.%Y} · {st}") for n, s, d, st in o.contracts]),
                    ]
                )
                for o in rows
            ]
        )
        return dbc.Table([head, body], size="sm", hover=True, responsive=True, id="adm-orgs-table")

    @app.callback(Output("adm-audit", "children"), Input("adm-audit-search", "value"))
    @signed_in("admin", "operator")
    def audit_log(_principal, search):  # type: ignore[no-untyped-def]
        events = accounts.audit_events(services().db, search or "")
        keys = ("admin.at", "admin.actor", "admin.action", "admin.target", "admin.ip", "admin.details")
        head = html.Thead(html.Tr([html.Th(t(k)) for k in keys]))
        body = html.Tbody(
            [
                html.Tr(
                    [
                        html.Td(moment(e.at)),
                        html.Td(e.actor),
                        html.Td(html.Code(e.action)),
                        html.Td(e.target or ""),
                        html.Td(e.ip or ""),
                        html.Td(html.Small(", ".join(f"{k}: {v}" for k, v in (e.details or {}).items()))),
                    ]
                )
                for e in events
            ]
        )
        return dbc.Table([head, body], size="sm", hover=True, responsive=True, id="adm-audit-table")


def _apply(svc, actor: str, user_id: int, action: str, role: str | None, reason: str) -> str:  # type: ignore[no-untyped-def]
    ip = request.remote_addr
    if action == "adm-set-role":
        if not role:
            raise ValueError(t("admin.role"))
        email = accounts.change_user(svc.db, user_id, role=role)
        audit.log(svc, actor, "user.role", target=email, ip=ip, details={"role": role})
        return f"{email} → {t(f'role.{role}')}"
    if not reason:
        raise ValueError(t("admin.reason_needed"))
    if action in ("adm-block", "adm-unblock"):
        status = "blocked" if action == "adm-block" else "active"
        email = accounts.change_user(svc.db, user_id, status=status, reason=reason)
        audit.log(svc, actor, f"user.{status}", target=email, ip=ip, details={"reason": reason})
        return f"{email} → {t(f'ustatus.{status}')}"
    approved = action == "adm-approve"
    email = accounts.settle_signup(svc.db, user_id, approved, reason, None)
    audit.log(
        svc,
        actor,
        "signup.approved_by_hand" if approved else "signup.rejected_by_hand",
        target=email,
        ip=ip,
        details={"reason": reason},
    )
    with contextlib.suppress(MailUnavailable):  # the decision stands; the letter is a courtesy
        verification_result(svc.settings, email, approved, reason)
    return f"{email} → {t('ustatus.active' if approved else 'ustatus.rejected')}"


def _users_table(rows: list) -> dbc.Table:  # type: ignore[type-arg]
    keys = (
        "admin.email",
        "admin.name",
        "admin.organization",
        "admin.role",
        "admin.status",
        "admin.reason",
        "admin.created",
    )
    head = html.Thead(html.Tr([html.Th(t(k)) for k in keys]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(u.email),
                    html.Td(u.full_name or ""),
                    html.Td(
                        [u.organization or "—", " ", dbc.Badge(t("org.owner"), color="info") if u.is_owner else None]
                    ),
                    html.Td(t(f"role.{u.role}")),
                    html.Td(dbc.Badge(t(f"ustatus.{u.status}"), color=STATUS_COLORS.get(u.status, "secondary"))),
                    html.Td(html.Small(u.reason or "")),
                    html.Td(moment(u.created_at)),
                ],
                id=f"adm-user-{u.id}",
            )
            for u in rows
        ]
    )
    return dbc.Table([head, body], size="sm", hover=True, responsive=True, id="adm-users-table")
