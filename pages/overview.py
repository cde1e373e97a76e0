"""Overview of an organization: today and this month, comparisons, top points, data health, alerts."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components import card, kpi
from dashboard.ids import first_run as first_run_ids
from dashboard.ids import overview as ids
from dashboard.plain import Element, el
from i18n import t


def layout(**_query: str) -> Element:
    return el(
        html.Div,
        [
            el(
                html.H1,
                [t("overview.title"), el(html.Small, id=ids.ORG, className="text-muted ms-2 fs-6")],
                className="h3",
            ),
            el(html.Div, id=first_run_ids.OV_FIRST_RUN),  # a new organization's first steps, until its data arrives
            el(dcc.Store, id=first_run_ids.ADDED),
            el(
                dbc.Row,
                [
                    kpi(ids.TODAY, t("overview.today"), spinner=True),
                    kpi(ids.MONTH, t("overview.month"), spinner=True),
                    kpi(ids.VS_MONTH, t("overview.vs_month"), spinner=True),
                    kpi(ids.VS_YEAR, t("overview.vs_year"), spinner=True),
                ],
            ),
            card(
                t("overview.projection"),
                [
                    el(html.Div, id=ids.PROJECTION),
                    el(dbc.Button, t("report.send"), id=ids.REPORT, size="sm", color="link", className="px-0 mt-1"),
                    el(html.Div, id=ids.REPORT_RESULT, className="small"),
                ],
            ),
            el(
                dbc.Row,
                [
                    el(dbc.Col, card(t("overview.top"), [el(html.Div, id=ids.TOP)], export=ids.TOP_EXPORT), lg=6),
                    el(dbc.Col, card(t("overview.health"), [el(html.Div, id=ids.HEALTH)]), lg=3),
                    el(dbc.Col, card(t("overview.alerts"), [el(html.Div, id=ids.ALERTS)]), lg=3),
                ],
            ),
            card(
                t("overview.meters"),
                [el(html.Div, id=ids.OVERVIEW_METERS, children=el(dbc.Spinner, size="sm"))],
                export=ids.METERS_EXPORT,
            ),
            el(html.Div, id=ids.MANUAL),  # points read by hand: their last periods (they have no hours to chart)
        ],
    )


dash.register_page(__name__, path="/", name="overview", title="Wattboard", layout=layout)
