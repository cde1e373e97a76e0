"""Device page: its current state, status timeline and its metering point's recent consumption."""

from __future__ import annotations

import datetime as dt

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, html

from analytics.consumption import period_series
from analytics.devices import TIMELINE_WINDOW, status_timeline
from auth.access import meter_for
from auth.guard import signed_in
from callbacks.devices import status_badge
from dashboard import figures
from dashboard.components import export_href
from dashboard.formatting import moment, number
from dashboard.i18n import t
from dashboard.services import services
from data.devices import device_by_serial

DEFAULT_TIMEZONE = "Europe/Moscow"


def register(app: dash.Dash) -> None:
    @app.callback(
        Output("device-info", "children"),
        Output("device-timeline", "figure"),
        Output("device-readings", "figure"),
        Output("device-export-csv", "href"),
        Output("device-export-xlsx", "href"),
        Input("device-url", "pathname"),
    )
    @signed_in()
    def detail(principal, path):  # type: ignore[no-untyped-def]
        serial = (path or "").rstrip("/").rsplit("/", 1)[-1]
        svc = services()
        device = device_by_serial(svc.db, serial)
        blank = figures.empty()
        if device is None or not principal.can_see_organization(device.organization_id):
            return dbc.Alert(t("devices.not_found"), color="warning"), blank, blank, "#", "#"
        now = dt.datetime.now(dt.UTC)
        readings, timezone = blank, DEFAULT_TIMEZONE
        if device.meter_code:
            meter = meter_for(svc.db, principal, device.meter_code)
            timezone = meter.timezone
            hourly = period_series(svc.store, [meter], now - TIMELINE_WINDOW, now, "hour")
            readings = {
                "data": [figures.line(figures.stamps(hourly["ts"]), figures.values(hourly["value"]), meter.code)],
                "layout": figures.layout(t("consumption.kwh")),
            }
        timeline = status_timeline(svc.store, device, now)
        query = f"device={serial}"
        return (
            _info(device),
            _timeline_figure(timeline, timezone),
            readings,
            export_href("device", "csv", query),
            export_href("device", "xlsx", query),
        )


def _info(device) -> dbc.Card:  # type: ignore[no-untyped-def]
    facts = [
        (t("devices.status"), status_badge(device.status)),
        (t("devices.model"), device.model),
        (
            t("devices.meter"),
            html.A(device.meter_code, href=f"/consumption?meter={device.meter_code}") if device.meter_code else "—",
        ),
        (t("devices.last_seen"), moment(device.last_seen)),
        (t("devices.battery"), f"{number(device.battery, 0)} %" if device.battery is not None else "—"),
        (t("devices.signal"), f"{number(device.signal, 0)} dBm" if device.signal is not None else "—"),
        (t("devices.error_code"), device.error_code or "—"),
    ]
    return dbc.Card(
        dbc.CardBody(
            dbc.Row(
                [
                    dbc.Col(
                        [html.Div(k, className="small text-muted"), html.Div(v)],
                        xs=6,
                        md=3,
                        lg="auto",
                        className="mb-2 me-3",
                    )
                    for k, v in facts
                ]
            )
        ),
        className="wb-card",
    )


def _timeline_figure(timeline: pd.DataFrame, timezone: str) -> dict:  # type: ignore[type-arg]
    if timeline.empty:
        return figures.empty()
    x = figures.stamps(pd.to_datetime(timeline["ts"], utc=True).dt.tz_convert(timezone))
    data = [
        figures.line(x, timeline["online"].astype(float).tolist(), t("status.online"), figures.BLUE, line_shape="hv"),
        figures.line(
            x, figures.values(timeline["battery"].astype("float64")), t("devices.battery"), figures.AMBER, yaxis="y2"
        ),
    ]
    layout = figures.layout("", hovermode="x unified")
    layout["yaxis"] = {
        "title": {"text": t("status.online")},
        "range": [-0.1, 1.1],
        "tickvals": [0, 1],
        "ticktext": [t("status.offline"), t("status.online")],
    }
    layout["yaxis2"] = {"title": {"text": "%"}, "overlaying": "y", "side": "right", "range": [0, 100]}
    return {"data": data, "layout": layout}
