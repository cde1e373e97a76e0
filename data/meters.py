"""Organizations, contracts, metering points and devices: queries scoped to who is asking."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select

from data.models import Device, MeteringPoint, Organization
from data.relational import Database


@dataclass(frozen=True)
class MeterInfo:
    id: int
    code: str
    name: str
    organization_id: int
    organization_name: str
    timezone: str
    tariff_plan: str
    address: str | None
    utc_offset: int  # seconds east of UTC (Russian zones have had no DST since 2014)


# Plain columns rather than ORM objects: an organization can have thousands of points.
_COLUMNS = (
    MeteringPoint.id,
    MeteringPoint.code,
    MeteringPoint.name,
    MeteringPoint.organization_id,
    Organization.name,
    MeteringPoint.timezone,
    MeteringPoint.tariff_plan,
    MeteringPoint.address,
)


def _info(row: tuple, hour: int) -> MeterInfo:  # type: ignore[type-arg]
    mid, code, name, org_id, org_name, timezone, plan, address = row
    return MeterInfo(mid, code, name, org_id, org_name, timezone, plan, address, _utc_offset(timezone, hour))


def _hour() -> int:
    return int(dt.datetime.now(dt.UTC).timestamp() // 3600)


@functools.lru_cache(maxsize=256)
def _utc_offset(timezone: str, _hour: int) -> int:
    """Seconds east of UTC now; cached per zone and hour (an offset can only change on the hour)."""
    offset = dt.datetime.now(ZoneInfo(timezone)).utcoffset()
    return int(offset.total_seconds()) if offset else 0


def list_meters(db: Database, organization_id: int | None) -> list[MeterInfo]:
    """Metering points of one organization, or of all of them when ``organization_id`` is None."""
    stmt = (
        select(*_COLUMNS)
        .join(Organization, MeteringPoint.organization_id == Organization.id)
        .order_by(Organization.name, MeteringPoint.code)
    )
    if organization_id is not None:
        stmt = stmt.where(MeteringPoint.organization_id == organization_id)
    with db.session() as s:
        hour = _hour()
        return [_info(tuple(row), hour) for row in s.execute(stmt)]


def meter_by_code(db: Database, code: str) -> MeterInfo | None:
    stmt = (
        select(*_COLUMNS)
        .join(Organization, MeteringPoint.organization_id == Organization.id)
        .where(MeteringPoint.code == code)
    )
    with db.session() as s:
        row = s.execute(stmt).first()
        return _info(tuple(row), _hour()) if row else None


def list_organizations(db: Database) -> list[tuple[int, str]]:
    """Every organization as ``(id, name)``, by name: what staff switch between."""
    with db.session() as s:
        return [(o.id, o.name) for o in s.scalars(select(Organization).order_by(Organization.name))]


def organization_name(db: Database, organization_id: int) -> str:
    with db.session() as s:
        org = s.get(Organization, organization_id)
        return org.name if org else ""


def meter_directory(db: Database) -> dict[str, MeterInfo]:
    """Every metering point by code: what the ingestion consumer resolves partner records against."""
    return {m.code: m for m in list_meters(db, None)}


def record_device_state(
    db: Database,
    serial: str,
    seen_at: dt.datetime,
    battery: float | None,
    signal: float | None,
    error_code: str | None,
) -> int | None:
    """Update a device's current state from a report; returns its id, or None if unknown."""
    with db.session() as s:
        device = s.scalar(select(Device).where(Device.serial == serial))
        if device is None:
            return None
        device.last_seen = seen_at
        device.battery = battery
        device.signal = signal
        device.error_code = error_code or None
        device.status = "online"
        return device.id


def mark_stale_devices(
    db: Database, now: dt.datetime, stale_after: dt.timedelta, offline_after: dt.timedelta
) -> dict[str, int]:
    """Move devices to stale/offline by how long ago they were last seen; returns counts changed."""
    changed = {"stale": 0, "offline": 0}
    with db.session() as s:
        for device in s.scalars(select(Device)):
            last = device.last_seen
            if last is not None and last.tzinfo is None:
                last = last.replace(tzinfo=dt.UTC)
            age = now - last if last else offline_after
            status = "offline" if age >= offline_after else "stale" if age >= stale_after else "online"
            if status != device.status and status != "online":
                changed[status] += 1
            device.status = status
    return changed
