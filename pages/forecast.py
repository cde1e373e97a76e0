"""Forecast: the band over the last weeks of actuals and the next 7 days, the month-end projection against the budget,
the model and its measured accuracy. Staff can recompute a point or a whole organization.

Page state in the URL: ``/forecast?meter=CODE`` (no ``meter``: the organization's total; ``org`` for staff).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from auth.sessions import current_principal
from dashboard.components import card, dropdown, graph, kpi
from dashboard.i18n import t

POLL_MS = 1_500


def layout(**_query: str) -> html.Div:
    principal = current_principal()
    staff = principal is not None and principal.sees_all_organizations
    recompute = html.Div(
        [
            dbc.Button(t("forecast.recompute"), id="fc-recompute", color="secondary", size="sm", className="me-2"),
            html.Span(id="fc-progress-text", className="small text-muted"),
            dbc.Progress(id="fc-progress", value=0, className="mt-1 d-none", style={"height": "0.6rem"}),
        ],
        className="mb-3" if staff else "d-none",
    )
    return html.Div(
        [
            dcc.Location(id="fc-url", refresh="callback-nav"),
            dcc.Interval(id="fc-poll", interval=POLL_MS, disabled=True),
            dcc.Store(id="fc-run-started"),
            dcc.Store(id="fc-run-finished"),
            html.H1([t("forecast.title"), html.Small(id="fc-title", className="text-muted ms-2 fs-6")], className="h3"),
            dbc.Row(
                dbc.Col(
                    [
                        dbc.Label(t("forecast.subject"), html_for="fc-meter"),
                        dropdown(id="fc-meter", placeholder=t("selection.whole_org"), clearable=True),
                    ],
                    lg=5,
                ),
                className="mb-3",
            ),
            recompute,
            html.Div(id="fc-message", className="text-muted small mb-2"),
            dbc.Row(
                [
                    kpi("fc-month-kwh", t("forecast.month_kwh")),
                    kpi("fc-month-rub", t("forecast.month_rub")),
                    kpi("fc-budget", t("forecast.budget")),
                    kpi("fc-accuracy", t("forecast.accuracy")),
                ]
            ),
            card(t("forecast.chart"), [dcc.Loading(graph("fc-chart", "400px"), delay_show=300)], export="fc-export"),
            card(t("forecast.days"), [html.Div(id="fc-days")], export="fc-days-export"),
            html.Div(id="fc-model-info", className="small text-muted"),
        ]
    )


dash.register_page(__name__, path="/forecast", name="forecast", title="Wattboard — прогноз", layout=layout)
