"""My organization: its people, and invitations sent by its owner."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, html

from auth.guard import signed_in
from auth.invites import invite
from auth.mail import MailUnavailable
from auth.principal import AccessDenied
from dashboard.i18n import t
from dashboard.services import services
from data import accounts
from data.meters import organization_name


def register(app: dash.Dash) -> None:
    @app.callback(Output("org-members", "children"), Output("org-name", "children"), Input("shell-url", "pathname"))
    @signed_in()
    def members(principal, _path):  # type: ignore[no-untyped-def]
        if principal.organization_id is None:
            return html.Div(t("org.none"), className="text-muted"), ""
        rows = accounts.members(services().db, principal.organization_id)
        items = [
            html.Li(
                [
                    f"{u.full_name or ''} <{u.email}> ",
                    dbc.Badge(t("org.owner"), color="info") if u.is_owner else None,
                    " ",
                    dbc.Badge(t(f"ustatus.{u.status}"), color="light", text_color="dark"),
                ]
            )
            for u in rows
        ]
        return html.Ul(items, id="org-member-list"), organization_name(services().db, principal.organization_id)

    @app.callback(
        Output("org-invite-result", "children"),
        Input("org-invite-send", "n_clicks"),
        State("org-invite-email", "value"),
        prevent_initial_call=True,
    )
    @signed_in()
    def send_invite(principal, _clicks, email):  # type: ignore[no-untyped-def]
        if principal.organization_id is None:
            return dbc.Alert(t("org.none"), color="warning", className="py-1")
        svc = services()
        try:
            invite(svc, principal, email or "", principal.organization_id)
        except AccessDenied:
            return dbc.Alert(t("org.only_owner"), color="warning", className="py-1")
        except (ValueError, MailUnavailable) as exc:
            return dbc.Alert(str(exc), color="danger", className="py-1")
        return dbc.Alert(t("org.invited").format(email=email.strip().lower()), color="success", className="py-1")
