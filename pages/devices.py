"""Devices: every meter device with its state, last contact, battery, signal, errors and data completeness."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.components import card
from dashboard.ids import devices as ids
from dashboard.plain import Element, el
from i18n import t

FILTERS = ("all", "online", "stale", "offline")


def layout(status: str | None = None, **_query: str) -> Element:
    return el(
        html.Div,
        [
            el(html.H1, t("devices.title"), className="h3"),
            el(
                dbc.RadioItems,
                id=ids.FILTER,
                value=status if status in FILTERS else "all",
                inline=True,
                options=[{"label": t(f"devices.filter_{f}"), "value": f} for f in FILTERS],
                className="mb-3",
            ),
            card(
                t("devices.list"), [el(html.Div, id=ids.TABLE, children=el(dbc.Spinner, size="sm"))], export=ids.EXPORT
            ),
        ],
    )


dash.register_page(__name__, path="/devices", name="devices", title="Wattboard — приборы", layout=layout)
