"""Analysis: load profile (hour × weekday), baseload and peak, load duration, day-type profiles, months, consumption
against the temperature (balance point, degree-days).

Page state in the URL: ``/analysis?meter=A,B&from=…&to=…`` (no ``meter``: the whole organization).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from context.today import reader_today
from dashboard import meter_choice
from dashboard.components import address, card, graph, kpi, meter_picker, range_picker
from dashboard.ids import analysis as ids
from dashboard.plain import Element, el
from dashboard.view_state import from_query
from i18n import t


def _chart(name: str, height: str) -> Element:
    return card(t(f"analysis.{name}"), [graph(ids.CHARTS[name], height)], export=ids.EXPORTS[name])


def layout(**query: str) -> Element:
    state = from_query(query, "analysis", reader_today())
    return el(
        html.Div,
        [
            address(ids.URL),
            el(html.H1, t("analysis.title"), className="h3"),
            el(
                dbc.Row,
                [meter_picker(ids.SELECTION, *meter_choice.initial(query)), range_picker(ids.SELECTION, state)],
                className="g-3 mb-3",
            ),
            el(html.Div, id=ids.MESSAGE, className="text-muted small mb-2"),
            el(
                dbc.Row,
                [
                    kpi(ids.BASELOAD, t("analysis.baseload")),
                    kpi(ids.PEAK, t("analysis.peak")),
                    kpi(ids.LOAD_FACTOR, t("analysis.load_factor")),
                    kpi(ids.TOTAL, t("consumption.total")),
                ],
            ),
            el(
                dbc.Row,
                [
                    el(dbc.Col, _chart("heatmap", "340px"), lg=7),
                    el(dbc.Col, _chart("duration", "340px"), lg=5),
                ],
            ),
            el(
                dbc.Row,
                [
                    el(dbc.Col, _chart("profiles", "320px"), lg=7),
                    el(
                        dbc.Col,
                        card(t("analysis.months"), [el(html.Div, id=ids.MONTHS)], export=ids.MONTHS_EXPORT),
                        lg=5,
                    ),
                ],
            ),
            el(
                dbc.Row,
                [
                    el(
                        dbc.Col,
                        card(
                            t("analysis.weather"),
                            [graph(ids.WEATHER, "340px"), el(html.Div, id=ids.WEATHER_NOTE, className="small mt-2")],
                        ),
                        lg=12,
                    )
                ],
            ),
        ],
    )


dash.register_page(__name__, path="/analysis", name="analysis", title="Wattboard — анализ", layout=layout)
