"""Devices with the metering point and organization they belong to, scoped to who is asking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from data.models import Device, MeteringPoint, Organization
from data.relational import Database


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


def device_by_serial(db: Database, serial: str) -> DeviceInfo | None:
    stmt = (
        select(Device, MeteringPoint, Organization)
        .outerjoin(MeteringPoint, Device.metering_point_id == MeteringPoint.id)
        .outerjoin(Organization, MeteringPoint.organization_id == Organization.id)
        .where(Device.serial == serial)
    )
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
    )
