"""Overview of an organization: today and this month, comparisons, top points, data health, alerts."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components import card, kpi
from i18n import t


def layout(**_query: str) -> html.Div:
    return html.Div(
        [
            html.H1([t("overview.title"), html.Small(id="ov-org", className="text-muted ms-2 fs-6")], className="h3"),
            html.Div(id="ov-first-run"),  # a new organization's first steps, until its data arrives
            dcc.Store(id="fr-added"),
            dbc.Row(
                [
                    kpi("ov-today", t("overview.today"), spinner=True),
                    kpi("ov-month", t("overview.month"), spinner=True),
                    kpi("ov-vs-month", t("overview.vs_month"), spinner=True),
                    kpi("ov-vs-year", t("overview.vs_year"), spinner=True),
                ]
            ),
            card(
                t("overview.projection"),
                [
                    html.Div(id="ov-projection"),
                    dbc.Button(t("report.send"), id="ov-report", size="sm", color="link", className="px-0 mt-1"),
                    html.Div(id="ov-report-result", className="small"),
                ],
            ),
            dbc.Row(
                [
                    dbc.Col(card(t("overview.top"), [html.Div(id="ov-top")], export="ov-top-export"), lg=6),
                    dbc.Col(card(t("overview.health"), [html.Div(id="ov-health")]), lg=3),
                    dbc.Col(card(t("overview.alerts"), [html.Div(id="ov-alerts")]), lg=3),
                ]
            ),
            card(t("overview.meters"), [html.Div(id="overview-meters", children=dbc.Spinner(size="sm"))]),
            html.Div(id="ov-manual"),  # points read by hand: their last periods (they have no hours to chart)
        ]
    )


dash.register_page(__name__, path="/", name="overview", title="Wattboard", layout=layout)
