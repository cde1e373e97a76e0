"""Device-state reports from partners: the time series in ClickHouse and each device's current state.

A report on the device-state topic::

    {"device": "SN-1", "ts": 1700000000, "online": 1, "battery": 87.5, "signal": -71,
     "error_code": "", "tamper": 0, "partner": "demo"}
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import pandas as pd

from alerts.detection import on_device_reports
from data.devices import apply_report
from data.services import Services

log = logging.getLogger(__name__)


class DeviceStateBuffer:
    def __init__(self, services: Services) -> None:
        self.services = services
        self._reports: list[dict[str, Any]] = []

    @property
    def pending(self) -> int:
        return len(self._reports)

    def add(self, raw: bytes) -> None:
        try:
            report = json.loads(raw)
            if not isinstance(report, dict) or not isinstance(report.get("device"), str):
                raise ValueError("no device serial")
            int(report["ts"])
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("device-state report dropped: %s", exc)
            return
        self._reports.append(report)

    def clear(self) -> None:
        self._reports = []

    def flush(self) -> None:
        if not self._reports:
            return
        rows, changes = [], []
        for report in self._reports:
            seen = dt.datetime.fromtimestamp(int(report["ts"]), dt.UTC)
            applied = apply_report(
                self.services.db,
                report["device"],
                seen,
                bool(report.get("online", 1)),
                report.get("battery"),
                report.get("signal"),
                report.get("error_code"),
            )
            if applied is None:
                continue
            changes.append(applied)
            rows.append(
                {
                    "device_id": applied[1].id,
                    "ts": int(report["ts"]),
                    "online": int(bool(report.get("online", 1))),
                    "battery": report.get("battery"),
                    "signal": report.get("signal"),
                    "error_code": str(report.get("error_code") or ""),
                    "tamper": int(bool(report.get("tamper"))),
                    "partner": str(report.get("partner") or ""),
                }
            )
        if rows:
            frame = pd.DataFrame(rows).astype(
                {
                    "device_id": "uint32",
                    "ts": "uint32",
                    "online": "uint8",
                    "battery": "float32",
                    "signal": "float32",
                    "tamper": "uint8",
                }
            )
            self.services.store.insert_df("device_status", frame)
        self._reports = []
        self._alert(changes)

    def _alert(self, changes: list) -> None:  # type: ignore[type-arg]
        """Offline, errors and low batteries go to the alerts topic; a broker hiccup must not stop ingestion."""
        try:
            on_device_reports(self.services, changes)
        except Exception as exc:
            log.warning("device alerts not published: %s", exc)
