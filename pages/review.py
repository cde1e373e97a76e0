"""Data review (admins and operators): readings held as implausible, and the partners' recent corrections."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from context.sessions import current_principal
from dashboard.ids import review as ids
from i18n import t


def layout(**_query: str) -> html.Div:
    principal = current_principal()
    if principal is None or principal.role not in ("admin", "operator"):
        return html.Div(
            [
                html.H1(t("review.title"), className="h3"),
                dbc.Alert(t("review.staff_only"), color="warning", id=ids.DENIED),
            ]
        )
    held = dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("review.held"), className="h5"),
                html.P(t("review.held_hint"), className="small text-muted"),
                dbc.Row(
                    [
                        dbc.Col(
                            dbc.Button(t("review.accept_all"), id=ids.ACCEPT_ALL, color="success"), width="auto"
                        ),
                        dbc.Col(
                            dbc.Button(t("review.reject_all"), id=ids.REJECT_ALL, color="danger"), width="auto"
                        ),
                        dbc.Col(dbc.Switch(id=ids.DECIDED, label=t("review.show_decided"), value=False)),
                    ],
                    className="g-2 mb-2 align-items-center",
                ),
                html.Div(id=ids.RESULT),
                dcc.Loading(html.Div(id=ids.HELD)),
            ]
        ),
        className="wb-card mb-3",
    )
    corrections = dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("review.corrections"), className="h5"),
                html.P(t("review.corrections_hint"), className="small text-muted"),
                html.Div(id=ids.ROLLBACK_RESULT),
                dcc.Loading(html.Div(id=ids.CORRECTIONS)),
            ]
        ),
        className="wb-card mb-3",
    )
    return html.Div([html.H1(t("review.title"), className="h3"), held, corrections, dcc.Store(id=ids.CHANGED)])


dash.register_page(__name__, path="/review", name="review", title="Wattboard — проверка данных", layout=layout)
