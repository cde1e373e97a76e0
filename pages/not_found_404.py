"""The page Dash shows for an address it has no page for, in the user's language (Dash's own says
"404 - Page not found")."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.plain import Element, el
from i18n import t


def layout(**_query: str) -> Element:
    return el(
        html.Div,
        [
            el(html.H2, t("error.not_found"), id="not-found-title"),
            el(html.P, t("error.not_found_text"), className="text-muted"),
            el(dcc.Link, t("error.back"), href="/", className="btn btn-primary"),
        ],
        className="py-5",
    )


dash.register_page(__name__, path="/404", name="not_found_404", title="Wattboard", layout=layout)
