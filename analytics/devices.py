"""The devices view: each device with its state and its metering point's data completeness."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analytics.overview import LOW_BATTERY
from analytics.quality import Quality, quality_by_meter
from caching.answers import cached
from data.clickhouse.readings import device_timeline, quality_inputs
from data.clickhouse.store import AnalyticsStore
from data.relational.devices import DeviceInfo
from data.services import Services

COMPLETENESS_WINDOW = dt.timedelta(days=30)
TIMELINE_WINDOW = dt.timedelta(days=7)
DEVICE_COLUMNS = (
    "serial",
    "model",
    "meter",
    "organization",
    "status",
    "last_seen",
    "battery",
    "signal",
    "error_code",
    "completeness",
)


def device_table(services: Services, devices: list[DeviceInfo], now: dt.datetime) -> pd.DataFrame:
    """One row per device (columns :data:`DEVICE_COLUMNS`); completeness is 0..1 over the last 30 days, computed once
    per data version and hour for everyone who sees the same points (the devices' state is read afresh)."""
    ids = sorted({d.meter_id for d in devices if d.meter_id is not None})
    orgs = {d.organization_id for d in devices if d.organization_id is not None}
    share = cached(  # plain numbers: 10,000 of them load from the cache in a few ms (as Quality objects, 150 ms)
        services,
        "completeness",
        orgs,
        (tuple(ids), now.strftime("%Y-%m-%dT%H")),
        lambda: {meter_id: q.completeness for meter_id, q in completeness(services.store, ids, now).items()},
    )
    rows = [
        {
            "serial": d.serial,
            "model": d.model,
            "meter": d.meter_code or "",
            "organization": d.organization_name or "",
            "status": d.status,
            "last_seen": d.last_seen,
            "battery": d.battery,
            "signal": d.signal,
            "error_code": d.error_code or "",
            "completeness": share.get(d.meter_id) if d.meter_id is not None else None,
        }
        for d in devices
    ]
    return pd.DataFrame(rows, columns=list(DEVICE_COLUMNS))


def attention_first(table: pd.DataFrame) -> pd.DataFrame:
    """The device table with those that need attention first: offline, then silent for a while, then an error code,
    then a low battery (the lowest first), then the rest; by serial within each."""
    status, battery = table["status"], table["battery"].fillna(101.0)
    error = table["error_code"].fillna("").astype(str) != ""
    rank = np.select([status == "offline", status == "stale", error, battery < LOW_BATTERY], [0, 1, 2, 3], default=4)
    ordered = table.assign(_rank=rank, _battery=battery.where(rank == 3, 0.0))  # the lowest battery first
    return ordered.sort_values(["_rank", "_battery", "serial"], kind="stable").drop(columns=["_rank", "_battery"])


def completeness(store: AnalyticsStore, meter_ids: list[int], now: dt.datetime) -> dict[int, Quality]:
    """The points' data quality over the last 30 days."""
    return quality_by_meter(
        quality_inputs(store, meter_ids, now - COMPLETENESS_WINDOW, now), meter_ids, COMPLETENESS_WINDOW
    )


def status_timeline(store: AnalyticsStore, device: DeviceInfo, now: dt.datetime) -> pd.DataFrame:
    """The device's reports over the last week: ts, online, battery, signal, error_code, tamper."""
    return device_timeline(store, device.id, now - TIMELINE_WINDOW, now)
