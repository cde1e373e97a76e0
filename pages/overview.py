"""Overview: the caller's metering points (the full overview comes with the pages issue)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.i18n import t


def layout(**_query: str) -> html.Div:
    return html.Div(
        [
            html.H1(t("overview.title"), className="h3"),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2(t("overview.meters"), className="h5"),
                        html.Div(id="overview-meters", children=dbc.Spinner(size="sm")),
                    ]
                ),
                className="wb-card",
            ),
        ]
    )


dash.register_page(__name__, path="/", name="overview", title="Wattboard", layout=layout)
