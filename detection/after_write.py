"""After the ingestion consumer stored readings or applied device reports: the alerts they raise (register resets,
corrected clocks; devices offline, in error, with a low battery)."""

from __future__ import annotations

from data.clickhouse.readings import Written
from data.messaging.device_report import DEVICES_LANE
from data.messaging.reading_batch import READINGS_LANE
from data.relational.devices import DeviceInfo
from data.services import Services
from detection.scan import on_device_reports, on_readings_written
from pipeline.write import AfterWrite


def register(hooks: AfterWrite, services: Services) -> None:
    def readings(written: Written) -> None:
        on_readings_written(services, written)

    def devices(changes: list[tuple[DeviceInfo, DeviceInfo]]) -> None:
        if changes:
            on_device_reports(services, changes)

    hooks.on(READINGS_LANE, readings, "alerts: register resets and corrected clocks")
    hooks.on(DEVICES_LANE, devices, "alerts: device state")
