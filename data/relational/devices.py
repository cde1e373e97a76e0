"""Devices with the metering point and organization they belong to, scoped to who is asking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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


def list_devices(db: Database, organization_id: int | None) -> list[DeviceInfo]:
    """Devices of one organization, or every device (also unassigned ones) when ``organization_id`` is None."""
    stmt = (
        select(Device, MeteringPoint, Organization)
        .outerjoin(MeteringPoint, Device.metering_point_id == MeteringPoint.id)
        .outerjoin(Organization, MeteringPoint.organization_id == Organization.id)
        .order_by(Organization.name, MeteringPoint.code, Device.serial)
    )
    if organization_id is not None:
        stmt = stmt.where(MeteringPoint.organization_id == organization_id)
    with db.session() as s:
        return [_info(d, mp, org) for d, mp, org in s.execute(stmt)]


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
    last_seen = d.last_seen
    if last_seen is not None and last_seen.tzinfo is None:  # SQLite keeps no zone
        last_seen = last_seen.replace(tzinfo=dt.UTC)
    return DeviceInfo(
        id=d.id,
        serial=d.serial,
        model=d.model,
        status=d.status,
        last_seen=last_seen,
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
