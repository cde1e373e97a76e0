"""Device-state reports into the stores: each device's current state (PostgreSQL) and its time series (ClickHouse).

Reports arrive checked (:mod:`data.messaging.device_report`); what a report changed is returned as (before, after) pairs
for the hooks that raise alerts."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data.messaging.device_report import DeviceReport
from data.relational.devices import DeviceInfo, apply_report
from data.services import Services

Change = tuple[DeviceInfo, DeviceInfo]

COLUMN_TYPES = {
    "device_id": "uint32",
    "ts": "uint32",
    "online": "uint8",
    "battery": "float32",
    "signal": "float32",
    "tamper": "uint8",
}


def write_device_reports(services: Services, reports: list[DeviceReport]) -> list[Change]:
    """Apply the reports to their devices and add them to the series; reports of unknown devices are skipped."""
    rows, changes = [], []
    for report in reports:
        seen = dt.datetime.fromtimestamp(report.ts, dt.UTC)
        applied = apply_report(
            services.db, report.device, seen, report.online, report.battery, report.signal, report.error_code
        )
        if applied is None:
            continue
        changes.append(applied)
        rows.append(
            {
                "device_id": applied[1].id,
                "ts": report.ts,
                "online": int(report.online),
                "battery": report.battery,
                "signal": report.signal,
                "error_code": report.error_code,
                "tamper": int(report.tamper),
                "partner": report.partner,
            }
        )
    if rows:
        services.store.insert_df("device_status", pd.DataFrame(rows).astype(COLUMN_TYPES))
    return changes
