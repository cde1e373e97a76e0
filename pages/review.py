"""Data review (admins and operators): readings held as implausible, and the partners' recent corrections."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from context.sessions import current_principal
from dashboard.components import section
from dashboard.ids import review as ids
from dashboard.plain import Element, el
from i18n import t


def layout(**_query: str) -> Element:
    principal = current_principal()
    if principal is None or principal.role not in ("admin", "operator"):
        return el(
            html.Div,
            [
                el(html.H1, t("review.title"), className="h3"),
                el(dbc.Alert, t("review.staff_only"), color="warning", id=ids.DENIED),
            ],
        )
    held = section(
        t("review.held"),
        [
            el(
                dbc.Row,
                [
                    el(
                        dbc.Col,
                        el(dbc.Button, t("review.accept_all"), id=ids.ACCEPT_ALL, color="success"),
                        width="auto",
                    ),
                    el(
                        dbc.Col,
                        el(dbc.Button, t("review.reject_all"), id=ids.REJECT_ALL, color="danger"),
                        width="auto",
                    ),
                    el(dbc.Col, el(dbc.Switch, id=ids.DECIDED, label=t("review.show_decided"), value=False)),
                ],
                className="g-2 mb-2 align-items-center",
            ),
            el(html.Div, id=ids.RESULT),
            el(dcc.Loading, el(html.Div, id=ids.HELD)),
        ],
        t("review.held_hint"),
    )
    corrections = section(
        t("review.corrections"),
        [el(html.Div, id=ids.ROLLBACK_RESULT), el(dcc.Loading, el(html.Div, id=ids.CORRECTIONS))],
        t("review.corrections_hint"),
    )
    return el(
        html.Div, [el(html.H1, t("review.title"), className="h3"), held, corrections, el(dcc.Store, id=ids.CHANGED)]
    )


dash.register_page(__name__, path="/review", name="review", title="Wattboard — проверка данных", layout=layout)
