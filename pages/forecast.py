"""Forecast: the band over the last weeks of actuals and the next 7 days, the month-end projection against the budget,
the model and its measured accuracy. Staff can recompute a point or a whole organization.

Page state in the URL: ``/forecast?meter=CODE`` (no ``meter``: the organization's total; ``org`` for staff).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from context.sessions import current_principal
from dashboard import meter_choice
from dashboard.components import address, card, dropdown, graph, kpi
from dashboard.ids import forecast as ids
from dashboard.plain import Element, el
from i18n import t

POLL_MS = 1_500


def layout(**query: str) -> Element:
    principal = current_principal()
    options, point = meter_choice.initial_point(query)  # the page's chart asks at once: no round trip for its picker
    staff = principal is not None and principal.sees_all_organizations
    recompute = el(
        html.Div,
        [
            el(dbc.Button, t("forecast.recompute"), id=ids.RECOMPUTE, color="secondary", size="sm", className="me-2"),
            el(html.Span, id=ids.PROGRESS_TEXT, className="small text-muted"),
            el(dbc.Progress, id=ids.PROGRESS, value=0, className="mt-1 d-none", style={"height": "0.6rem"}),
        ],
        className="mb-3" if staff else "d-none",
    )
    return el(
        html.Div,
        [
            address(ids.URL),
            el(dcc.Interval, id=ids.POLL, interval=POLL_MS, disabled=True),
            el(dcc.Store, id=ids.RUN_STARTED),
            el(dcc.Store, id=ids.RUN_FINISHED),
            el(
                html.H1,
                [t("forecast.title"), el(html.Small, id=ids.TITLE, className="text-muted ms-2 fs-6")],
                className="h3",
            ),
            el(
                dbc.Row,
                el(
                    dbc.Col,
                    [
                        el(dbc.Label, t("forecast.subject"), html_for=ids.METER),
                        dropdown(
                            id=ids.METER,
                            options=options,
                            value=point,
                            placeholder=t("selection.whole_org"),
                            clearable=True,
                        ),
                    ],
                    lg=5,
                ),
                className="mb-3",
            ),
            recompute,
            el(html.Div, id=ids.MESSAGE, className="text-muted small mb-2"),
            el(
                dbc.Row,
                [
                    kpi(ids.MONTH_KWH, t("forecast.month_kwh")),
                    kpi(ids.MONTH_RUB, t("forecast.month_rub")),
                    kpi(ids.BUDGET, t("forecast.budget")),
                    kpi(ids.ACCURACY, t("forecast.accuracy")),
                ],
            ),
            card(
                t("forecast.chart"),
                [el(dcc.Loading, graph(ids.CHART, "400px"), delay_show=300)],
                export=ids.CHART_EXPORT,
            ),
            card(t("forecast.days"), [el(html.Div, id=ids.DAYS)], export=ids.DAYS_EXPORT),
            el(html.Div, id=ids.MODEL_INFO, className="small text-muted"),
        ],
    )


dash.register_page(__name__, path="/forecast", name="forecast", title="Wattboard — прогноз", layout=layout)
