"""My organization: who is in it, and (for its owner) inviting people by email."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.components import card
from dashboard.i18n import t


def layout(**_query: str) -> html.Div:
    return html.Div(
        [
            html.H1([t("org.title"), html.Small(id="org-name", className="text-muted ms-2 fs-6")], className="h3"),
            card(t("org.members"), [html.Div(id="org-members")]),
            card(
                t("org.invite"),
                [
                    dbc.InputGroup(
                        [
                            dbc.Input(id="org-invite-email", type="email", placeholder="name@example.ru"),
                            dbc.Button(t("org.invite_send"), id="org-invite-send", color="primary"),
                        ]
                    ),
                    html.Div(id="org-invite-result", className="small mt-2"),
                ],
            ),
        ]
    )


dash.register_page(__name__, path="/organization", name="organization", title="Wattboard — организация", layout=layout)
