"""One device: its state, its status timeline over the last week and its metering point's consumption."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.components import card, graph
from dashboard.ids import device as ids
from dashboard.plain import Element, el
from i18n import t


def layout(serial: str | None = None, **_query: str) -> Element:
    return el(
        html.Div,
        [
            el(dcc.Location, id=ids.URL),
            el(html.A, "← " + t("devices.title"), href="/devices", className="small"),
            el(html.H1, [t("devices.device"), " ", el(html.Span, serial or "", id=ids.SERIAL)], className="h3"),
            el(html.Div, id=ids.INFO, className="mb-3"),
            card(t("devices.timeline"), [graph(ids.TIMELINE, "300px")], export=ids.EXPORT),
            card(t("devices.readings"), [graph(ids.READINGS, "300px")]),
        ],
    )


dash.register_page(
    __name__, path_template="/devices/<serial>", name="device", title="Wattboard — прибор", layout=layout
)
