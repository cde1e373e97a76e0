"""Consumption: live power, and the archive of one point, a group or the whole organization.

Page state lives in the URL (see ``dashboard.view_state``):
``/consumption?meter=A,B&from=…&to=…&step=30min|hour|day|week|month&compare=previous,year``.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from context.today import reader_today
from dashboard import meter_choice
from dashboard.components import address, card, graph, meter_picker, range_picker, step_picker
from dashboard.ids import consumption as ids
from dashboard.plain import Element, el
from dashboard.view_state import from_query
from i18n import t


def layout(**query: str) -> Element:
    state = from_query(query, "consumption", reader_today())
    controls = el(
        dbc.Row,
        [
            meter_picker(ids.SELECTION, *meter_choice.initial(query)),
            range_picker(ids.SELECTION, state),
            step_picker(ids.SELECTION, state),
            el(
                dbc.Col,
                el(
                    dbc.Checklist,
                    id=ids.COMPARE,
                    value=list(state.compare),
                    inline=True,
                    switch=True,
                    options=[
                        {"label": t("compare.previous"), "value": "previous"},
                        {"label": t("compare.year"), "value": "year"},
                    ],
                ),
                md=12,
            ),
        ],
        className="g-3 mb-3",
    )
    live = card(
        [
            el(html.Span, className="wb-live-dot"),
            t("consumption.live"),
            el(html.Small, " — " + t("consumption.live_hint"), className="text-muted fw-normal"),
        ],
        [
            el(html.Div, id=ids.LIVE_LAST, className="small text-muted"),
            graph(ids.LIVE, "240px"),
            el(dcc.Interval, id=ids.LIVE_TICK, interval=ids.LIVE_REFRESH_MS),
            el(dcc.Store, id=ids.LIVE_CURSOR),
        ],
    )
    archive = card(
        t("consumption.archive"),
        [
            el(
                html.Div,
                [
                    el(html.Span, id=ids.TOTAL, className="me-3 fw-semibold"),
                    el(html.Span, id=ids.COST, className="me-3"),
                    el(html.Span, id=ids.COMPARED, className="text-muted"),
                ],
            ),
            el(html.Div, id=ids.MESSAGE, className="text-muted small"),
            el(dcc.Loading, graph(ids.ARCHIVE), delay_show=300),
        ],
        export=ids.EXPORT,
        green_button=True,
    )
    return el(
        html.Div,
        [
            address(ids.URL),
            el(html.H1, t("consumption.title"), className="h3"),
            controls,
            live,
            archive,
            el(html.Div, id=ids.MANUAL),  # points read by hand: their periods, never drawn as hourly data
        ],
    )


dash.register_page(__name__, path="/consumption", name="consumption", title="Wattboard — потребление", layout=layout)
