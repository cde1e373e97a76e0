"""Devices page: the filtered device table and its exports."""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, html

from analytics.devices import attention_first, device_table
from analytics.timezones import local_moment, zone_label
from auth.access import visible_devices
from context.guard import signed_in
from context.services import services
from dashboard.callback_set import CallbackSet
from dashboard.components import cut_list, export_href
from dashboard.formatting import moment, number
from dashboard.ids import devices as ids
from dashboard.ids import shell as shell_ids
from dashboard.plain import Element, el
from dashboard.shared_answer import shared
from dashboard.view_state import ViewState
from i18n import current_language, t

STATUS_COLORS = {"online": "success", "stale": "warning", "offline": "danger"}
DEVICES_SHOWN = 50  # rows of the table (a browser draws a row in ~20 ms); the download holds them all
COLUMNS = ("serial", "model", "meter", "organization", "status", "last_seen", "battery", "signal", "error_code")


def status_badge(status: str) -> Element:
    return el(dbc.Badge, t(f"status.{status}"), color=STATUS_COLORS.get(status, "secondary"))


def _table(frame: pd.DataFrame, zones: dict[str, str]) -> Element:
    """Last contact in the devices' local time: one zone for the whole table, named in its header, when they share
    one; otherwise each time names its own zone. Past :data:`DEVICES_SHOWN` devices, those that need attention first
    (the download holds them all)."""
    if frame.empty:
        return el(html.Div, t("devices.none"), className="text-muted", id=ids.EMPTY)
    total = len(frame)
    if total > DEVICES_SHOWN:
        frame = attention_first(frame).head(DEVICES_SHOWN)
    lang = current_language()
    shared = set(zones.values())
    one_zone = next(iter(shared)) if len(shared) == 1 else None
    titles = [t(f"devices.{c}") for c in (*COLUMNS, "completeness")]
    if one_zone:
        titles[COLUMNS.index("last_seen")] += f", {zone_label(one_zone, lang)}"

    def seen(serial: str, value: object) -> str:
        if pd.isna(value):
            return "—"
        at = pd.Timestamp(value).to_pydatetime()
        if one_zone:
            return moment(at, one_zone)
        return local_moment(at, zones.get(serial, "Europe/Moscow"), lang)

    head = el(html.Thead, el(html.Tr, [el(html.Th, title) for title in titles]))
    rows = [
        el(
            html.Tr,
            [
                el(html.Td, el(html.A, r.serial, href=f"/devices/{r.serial}")),
                el(html.Td, r.model),
                el(html.Td, el(html.A, r.meter, href=f"/consumption?meter={r.meter}") if r.meter else "—"),
                el(html.Td, r.organization or "—"),
                el(html.Td, status_badge(r.status)),
                el(html.Td, seen(r.serial, r.last_seen)),
                el(html.Td, f"{number(r.battery, 0)} %" if pd.notna(r.battery) else "—"),
                el(html.Td, f"{number(r.signal, 0)} dBm" if pd.notna(r.signal) else "—"),
                el(html.Td, el(dbc.Badge, r.error_code, color="danger") if r.error_code else ""),
                el(html.Td, f"{r.completeness:.0%}" if pd.notna(r.completeness) else "—"),
            ],
            id=f"device-row-{r.serial}",
        )
        for r in frame.itertuples()
    ]
    listed = el(dbc.Table, [head, el(html.Tbody, rows)], hover=True, responsive=True, size="sm", id=ids.LIST)
    return cut_list(listed, len(rows), total, t("devices.shown"), ids.SHOWN)


callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds


@callbacks.callback(
    Output(ids.TABLE, "children"),
    Output(ids.EXPORT.csv, "href"),
    Output(ids.EXPORT.xlsx, "href"),
    Input(ids.FILTER, "value"),
    Input(shell_ids.ORG_SWITCH, "value"),
)
@signed_in()
@shared("devices.table")
def table(principal, status, org):
    svc = services()
    devices = visible_devices(svc.db, principal, org)
    if status in STATUS_COLORS:
        devices = [d for d in devices if d.status == status]
    frame = device_table(svc, devices, dt.datetime.now(dt.UTC))
    zones = {d.serial: d.timezone for d in devices}
    query = ViewState(org=org).query()
    return _table(frame, zones), export_href("devices", "csv", query), export_href("devices", "xlsx", query)

