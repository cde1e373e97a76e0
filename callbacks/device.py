"""Device page: its current state, status timeline and its metering point's recent consumption."""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, html

from analytics.consumption import period_series
from analytics.devices import TIMELINE_WINDOW, status_timeline
from analytics.timezones import local_moment
from auth.access import DeviceNotFound, device_for, meter_for
from callbacks.devices import status_badge
from context.guard import signed_in
from context.services import services
from dashboard import figures
from dashboard.callback_set import CallbackSet
from dashboard.components import export_href
from dashboard.formatting import number
from dashboard.ids import device as ids
from i18n import current_language, t

DEFAULT_TIMEZONE = "Europe/Moscow"


def _week(timezone: str, now: dt.datetime) -> list[str]:
    """The x range of the device page's charts: the last seven days in the point's local time."""
    local = pd.Timestamp(now).tz_convert(timezone).tz_localize(None)
    return [(local - TIMELINE_WINDOW).isoformat(), local.isoformat()]


def _readings_figure(hourly: pd.DataFrame, code: str, timezone: str, now: dt.datetime) -> dict:
    if hourly.empty or hourly["value"].isna().all():
        return figures.empty(message=t("devices.no_data"))
    data = [figures.line(figures.stamps(hourly["ts"]), figures.values(hourly["value"]), code)]
    return {"data": data, "layout": figures.time_layout(t("consumption.kwh"), x_range=_week(timezone, now))}


def _seen(moment: dt.datetime | None, timezone: str) -> str:
    """«27.11.2026 14:05 (Екатеринбург, UTC+5)»: in the point's own zone, named."""
    return local_moment(moment, timezone, current_language()) if moment else "—"


def _info(device, timezone: str) -> dbc.Card:
    facts = [
        (t("devices.status"), status_badge(device.status)),
        (t("devices.model"), device.model),
        (
            t("devices.meter"),
            html.A(device.meter_code, href=f"/consumption?meter={device.meter_code}") if device.meter_code else "—",
        ),
        (
            t("devices.last_seen"),
            _seen(device.last_seen, timezone),
        ),
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


def _timeline_figure(timeline: pd.DataFrame, timezone: str, now: dt.datetime) -> dict:
    if timeline.empty:
        return figures.empty(message=t("devices.no_data"))
    x = figures.stamps(pd.to_datetime(timeline["ts"], utc=True).dt.tz_convert(timezone))
    data = [
        figures.line(x, timeline["online"].astype(float).tolist(), t("status.online"), figures.BLUE, line_shape="hv"),
        figures.line(
            x, figures.values(timeline["battery"].astype("float64")), t("devices.battery"), figures.AMBER, yaxis="y2"
        ),
    ]
    layout = figures.time_layout("", hovermode="x unified", x_range=_week(timezone, now))
    layout["margin"] = {"l": 80, "r": 45, "t": 10, "b": 40}  # room for «Не на связи» and the battery's %
    layout["yaxis"] = {
        "title": {"text": t("status.online")},
        "range": [-0.1, 1.1],
        "tickvals": [0, 1],
        "ticktext": [t("status.offline"), t("status.online")],
    }
    layout["yaxis2"] = {"title": {"text": "%"}, "overlaying": "y", "side": "right", "range": [0, 100]}
    return {"data": data, "layout": layout}


callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds


@callbacks.callback(
    Output(ids.INFO, "children"),
    Output(ids.TIMELINE, "figure"),
    Output(ids.READINGS, "figure"),
    Output(ids.EXPORT.csv, "href"),
    Output(ids.EXPORT.xlsx, "href"),
    Input(ids.URL, "pathname"),
)
@signed_in()
def detail(principal, path):
    serial = (path or "").rstrip("/").rsplit("/", 1)[-1]
    svc = services()
    blank = figures.empty()
    try:
        device = device_for(svc.db, principal, serial)
    except DeviceNotFound:
        return dbc.Alert(t("devices.not_found"), color="warning"), blank, blank, "#", "#"
    now = dt.datetime.now(dt.UTC)
    timezone = DEFAULT_TIMEZONE
    readings = figures.empty(message=t("devices.no_meter"))
    if device.meter_code:
        meter = meter_for(svc.db, principal, device.meter_code)
        timezone = meter.timezone
        hourly = period_series(svc.store, [meter], now - TIMELINE_WINDOW, now, "hour")
        readings = _readings_figure(hourly, meter.code, timezone, now)
    timeline = status_timeline(svc.store, device, now)
    query = f"device={serial}"
    return (
        _info(device, timezone),
        _timeline_figure(timeline, timezone, now),
        readings,
        export_href("device", "csv", query),
        export_href("device", "xlsx", query),
    )

