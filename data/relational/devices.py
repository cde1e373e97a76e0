"""Devices with the metering point and organization they belong to, scoped to who is asking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select

from data.relational import Database
from data.relational.models import Device, MeteringPoint, Organization


@dataclass(frozen=True)
class DeviceInfo:
    id: int
    serial: str
    model: str
    status: str  # online | stale | offline
    last_seen: dt.datetime | None
    battery: float | None
    signal: float | None
    error_code: str | None
    meter_id: int | None
    meter_code: str | None
    meter_name: str | None
    organization_id: int | None
    organization_name: str | None
    timezone: str = "Europe/Moscow"  # of its metering point


# What a list of devices reads: plain columns rather than ORM objects, for an administrator's devices page reads
# every device (10,000 in ``bench.browser --points 10000``: 0.6 s as ORM objects).
_COLUMNS = (
    Device.id,
    Device.serial,
    Device.model,
    Device.status,
    Device.last_seen,
    Device.battery,
    Device.signal,
    Device.error_code,
    MeteringPoint.id,
    MeteringPoint.code,
    MeteringPoint.name,
    Organization.id,
    Organization.name,
    MeteringPoint.timezone,
)


def list_devices(db: Database, organization_id: int | None) -> list[DeviceInfo]:
    """Devices of one organization, or every device (also unassigned ones) when ``organization_id`` is None."""
    stmt = (
        select(*_COLUMNS)
        .outerjoin(MeteringPoint, Device.metering_point_id == MeteringPoint.id)
        .outerjoin(Organization, MeteringPoint.organization_id == Organization.id)
        .order_by(Organization.name, MeteringPoint.code, Device.serial)
    )
    if organization_id is not None:
        stmt = stmt.where(MeteringPoint.organization_id == organization_id)
    with db.session() as s:
        return [_listed(row) for row in s.execute(stmt)]


def _listed(row: Sequence[Any]) -> DeviceInfo:
    """A row of :data:`_COLUMNS` (a device on no point has no point's or organization's columns)."""
    (device_id, serial, model, status, last_seen, battery, signal, error_code, meter_id, meter_code, meter_name,
     organization_id, organization_name, timezone) = row  # fmt: skip
    return DeviceInfo(
        device_id,
        serial,
        model,
        status,
        _aware(last_seen),
        battery,
        signal,
        error_code,
        meter_id,
        meter_code,
        meter_name,
        organization_id,
        organization_name,
        timezone or "Europe/Moscow",
    )


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.replace(tzinfo=dt.UTC) if moment is not None and moment.tzinfo is None else moment  # SQLite: naive


def _with_point_and_organization(serial: str) -> Select[Device, MeteringPoint, Organization]:
    return (
        select(Device, MeteringPoint, Organization)
        .outerjoin(MeteringPoint, Device.metering_point_id == MeteringPoint.id)
        .outerjoin(Organization, MeteringPoint.organization_id == Organization.id)
        .where(Device.serial == serial)
    )


def device_by_serial(db: Database, serial: str) -> DeviceInfo | None:
    stmt = _with_point_and_organization(serial)
    with db.session() as s:
        row = s.execute(stmt).first()
        return _info(*row) if row else None


def _info(d: Device, mp: MeteringPoint | None, org: Organization | None) -> DeviceInfo:
    return DeviceInfo(
        id=d.id,
        serial=d.serial,
        model=d.model,
        status=d.status,
        last_seen=_aware(d.last_seen),
        battery=d.battery,
        signal=d.signal,
        error_code=d.error_code,
        meter_id=mp.id if mp else None,
        meter_code=mp.code if mp else None,
        meter_name=mp.name if mp else None,
        organization_id=org.id if org else None,
        organization_name=org.name if org else None,
        timezone=mp.timezone if mp else "Europe/Moscow",
    )


def points_of_devices(db: Database, serials: list[str]) -> dict[str, str | None]:
    """Serial → the code of the metering point the device is on (None: on none), for the devices that exist."""
    if not serials:
        return {}
    stmt = (
        select(Device.serial, MeteringPoint.code)
        .outerjoin(MeteringPoint, Device.metering_point_id == MeteringPoint.id)
        .where(Device.serial.in_(serials))
    )
    with db.session() as s:
        return {serial: code for serial, code in s.execute(stmt)}


def all_serials(db: Database) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(Device.serial)))


def serials_by_ids(db: Database, device_ids: list[int]) -> list[str]:
    if not device_ids:
        return []
    with db.session() as s:
        return sorted(s.scalars(select(Device.serial).where(Device.id.in_(device_ids))))


def apply_report(
    db: Database,
    serial: str,
    seen_at: dt.datetime,
    online: bool,
    battery: float | None,
    signal: float | None,
    error_code: str | None,
) -> tuple[DeviceInfo, DeviceInfo] | None:
    """Take a device's state report; returns the device as it was and as it is now (None if unknown). A report older
    than the last one heard changes nothing (it arrived late)."""
    stmt = _with_point_and_organization(serial)
    with db.session() as s:
        row = s.execute(stmt).first()
        if row is None:
            return None
        device, mp, org = row
        before = _info(device, mp, org)
        last = device.last_seen
        if last is not None and (last if last.tzinfo else last.replace(tzinfo=dt.UTC)).replace(microsecond=0) > seen_at:
            return before, before  # a late report (reports count whole seconds) joins the series; the newer state stays
        device.last_seen = seen_at
        device.battery = battery
        device.signal = signal
        device.error_code = error_code or None
        device.status = "online" if online else "offline"
        return before, _info(device, mp, org)


def mark_stale(
    db: Database, now: dt.datetime, stale_after: dt.timedelta, offline_after: dt.timedelta
) -> list[tuple[DeviceInfo, str]]:
    """Move devices to stale/offline by how long ago they were last seen; returns each changed device as it was,
    with its new status."""
    stmt = (
        select(Device, MeteringPoint, Organization)
        .outerjoin(MeteringPoint, Device.metering_point_id == MeteringPoint.id)
        .outerjoin(Organization, MeteringPoint.organization_id == Organization.id)
    )
    changed = []
    with db.session() as s:
        for device, mp, org in s.execute(stmt):
            last = device.last_seen
            if last is not None and last.tzinfo is None:
                last = last.replace(tzinfo=dt.UTC)
            age = now - last if last else offline_after
            status = "offline" if age >= offline_after else "stale" if age >= stale_after else "online"
            if status != device.status and status != "online":
                changed.append((_info(device, mp, org), status))
                device.status = status
    return changed
