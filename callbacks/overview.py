"""Overview: fills the table of the caller's metering points."""

from __future__ import annotations

import datetime as dt

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, html
from flask import current_app

from analytics.quality import Quality, quality_by_meter
from auth.access import visible_meters
from auth.guard import signed_in
from dashboard.i18n import t
from data.readings import quality_inputs

QUALITY_WINDOW = dt.timedelta(days=30)
_COLORS = {"good": "success", "fair": "warning", "poor": "danger"}


def _quality_badge(q: Quality) -> html.Span:
    details = []
    if q.resets:
        details.append(f"{t('overview.resets')}: {q.resets}")
    if q.estimated:
        details.append(f"{t('overview.estimated')}: {q.estimated}")
    if q.clock_fixed:
        details.append(f"{t('overview.clock_fixed')}: {q.clock_fixed}")
    return html.Span(
        [
            dbc.Badge(f"{q.score}", color=_COLORS[q.grade], className="me-1"),
            html.Small(
                f"{t('overview.complete')} {q.completeness:.0%}" + (" · " + ", ".join(details) if details else ""),
                className="text-muted",
            ),
        ]
    )


def register(app: dash.Dash) -> None:
    @app.callback(Output("overview-meters", "children"), Input("shell-url", "pathname"))
    @signed_in()
    def meters_table(principal, _path: str | None):  # type: ignore[no-untyped-def]
        services = current_app.extensions["wattboard"]
        meters = visible_meters(services.db, principal)
        now = dt.datetime.now(dt.UTC)
        ids = [m.id for m in meters]
        quality = quality_by_meter(quality_inputs(services.store, ids, now - QUALITY_WINDOW, now), ids, QUALITY_WINDOW)
        keys = ("overview.org", "overview.code", "overview.name", "overview.tz", "overview.tariff", "overview.quality")
        head = html.Thead(html.Tr([html.Th(t(k)) for k in keys]))
        body = html.Tbody(
            [
                html.Tr(
                    [
                        html.Td(m.organization_name),
                        html.Td(html.A(m.code, href=f"/consumption?meter={m.code}")),
                        html.Td(m.name),
                        html.Td(m.timezone),
                        html.Td(t(f"tariff.{m.tariff_plan}")),
                        html.Td(_quality_badge(quality[m.id]), id=f"quality-{m.code}"),
                    ]
                )
                for m in meters
            ]
        )
        return dbc.Table([head, body], hover=True, responsive=True, size="sm", id="overview-table")
