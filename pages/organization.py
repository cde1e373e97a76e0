"""My organization: who is in it, and (for its owner) inviting people by email."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.components import card
from i18n import t


def layout(**_query: str) -> html.Div:
    return html.Div(
        [
            html.H1([t("org.title"), html.Small(id="org-name", className="text-muted ms-2 fs-6")], className="h3"),
            card(t("org.members"), [html.Div(id="org-members")]),
            card(
                t("budget.title"),
                [
                    dbc.InputGroup(
                        [
                            dbc.Input(
                                id="org-budget-amount", type="number", min=0, step=1, placeholder=t("budget.amount")
                            ),
                            dbc.Select(
                                id="org-budget-unit",
                                value="rub",
                                options=[
                                    {"label": t("budget.rub"), "value": "rub"},
                                    {"label": t("budget.kwh"), "value": "kwh"},
                                ],
                            ),
                            dbc.Button(t("budget.save"), id="org-budget-save", color="primary"),
                        ],
                        style={"maxWidth": "520px"},
                    ),
                    html.Div(id="org-budget-result", className="small mt-2"),
                ],
            ),
            card(t("rules.title"), [html.Div(id="org-rules"), html.Div(id="org-rules-result", className="small mt-2")]),
            card(
                t("slack.title"),
                [
                    html.Div(id="org-slack-state", className="small mb-2"),
                    dbc.InputGroup(
                        [
                            dbc.Input(id="org-slack-url", type="url", placeholder=t("slack.url")),
                            dbc.Button(t("slack.save"), id="org-slack-save", color="primary"),
                            dbc.Button(t("slack.remove"), id="org-slack-remove", color="secondary", outline=True),
                        ],
                        style={"maxWidth": "720px"},
                    ),
                    html.Div(id="org-slack-result", className="small mt-2"),
                ],
            ),
            html.Div(  # hidden for a user who belongs to no organization: there is nobody to invite to
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
                id="org-invite-card",
            ),
        ]
    )


dash.register_page(__name__, path="/organization", name="organization", title="Wattboard — организация", layout=layout)
