"""Consumption: one metering point, live power and the archive by hour or day.

Page state (metering point, range, step) lives in the URL: ``/consumption?meter=…&from=…&to=…&step=…``.
"""

from __future__ import annotations

import datetime as dt

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.i18n import current_language, t

LIVE_REFRESH_MS = 5_000


def graph_config() -> dict[str, object]:
    """Chart options in the user's language (assets/plotly-locale-ru.js brings the Russian dates)."""
    return {"displaylogo": False, "locale": current_language()}


def layout(meter: str | None = None, step: str | None = None, **query: str) -> html.Div:
    today = dt.date.today()
    start = query.get("from") or (today - dt.timedelta(days=7)).isoformat()
    end = query.get("to") or (today + dt.timedelta(days=1)).isoformat()
    step = step if step in ("raw", "hour", "day") else "hour"
    controls = dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(t("consumption.meter"), html_for="cons-meter"),
                    dcc.Dropdown(id="cons-meter", value=meter, clearable=False),
                ],
                md=5,
            ),
            dbc.Col(
                [
                    dbc.Label(t("consumption.range"), html_for="cons-range"),
                    html.Br(),
                    dcc.DatePickerRange(
                        id="cons-range",
                        start_date=start,
                        end_date=end,
                        display_format="DD.MM.YYYY",
                        first_day_of_week=1,
                    ),
                ],
                md=4,
            ),
            dbc.Col(
                [
                    dbc.Label(t("consumption.granularity"), html_for="cons-step"),
                    dbc.RadioItems(
                        id="cons-step",
                        value=step,
                        inline=True,
                        options=[
                            {"label": t("consumption.raw"), "value": "raw"},
                            {"label": t("consumption.hour"), "value": "hour"},
                            {"label": t("consumption.day"), "value": "day"},
                        ],
                    ),
                ],
                md=3,
            ),
        ],
        className="g-3 mb-3",
    )
    live = dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    [
                        html.Span(className="wb-live-dot"),
                        html.Strong(t("consumption.live")),
                        html.Small(" — " + t("consumption.live_hint"), className="text-muted"),
                    ]
                ),
                html.Div(id="cons-live-last", className="small text-muted"),
                dcc.Graph(id="cons-live", config=graph_config(), style={"height": "260px"}),
                dcc.Interval(id="cons-live-tick", interval=LIVE_REFRESH_MS),
                dcc.Store(id="cons-live-cursor"),
            ]
        ),
        className="wb-card mb-3",
    )
    archive = dbc.Card(
        dbc.CardBody(
            [
                html.Div([html.Strong(t("consumption.archive")), html.Span(id="cons-total", className="ms-3")]),
                html.Div(id="cons-message", className="text-muted small"),
                dcc.Graph(id="cons-archive", config=graph_config(), style={"height": "380px"}),
            ]
        ),
        className="wb-card",
    )
    return html.Div(
        [
            dcc.Location(id="cons-url", refresh="callback-nav"),
            html.H1(t("consumption.title"), className="h3"),
            controls,
            live,
            archive,
        ]
    )


dash.register_page(__name__, path="/consumption", name="consumption", title="Wattboard — потребление", layout=layout)
