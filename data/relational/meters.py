"""Organizations, contracts, metering points and devices: queries scoped to who is asking."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from data.queue.versions import POINTS
from data.relational import Database
from data.relational.models import MeteringPoint, Organization


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
    region: str | None = None  # whose tariffs price it: the point's own region, else its organization's
    max_power_kw: float | None = None  # the connection's capacity, when known
    organization_kind: str = "business"  # household | business | industrial
    price_category: int | None = None  # a business point's price category (None: its default, the 1st)
    voltage_level: str | None = None  # ВН | СН-I | СН-II | НН (None: not known)
    latitude: float | None = None  # the point's coordinates, for its weather (else its address names a settlement)
    longitude: float | None = None


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
    func.coalesce(MeteringPoint.region, Organization.region),
    MeteringPoint.max_power_kw,
    Organization.kind,
    MeteringPoint.price_category,
    MeteringPoint.voltage_level,
    MeteringPoint.latitude,
    MeteringPoint.longitude,
)


def _info(row: tuple, hour: int) -> MeterInfo:
    mid, code, name, org_id, org_name, timezone, plan, address, region, capacity, kind, category, voltage, lat, lon = (
        row
    )
    offset = _utc_offset(timezone, hour)
    return MeterInfo(
        mid,
        code,
        name,
        org_id,
        org_name,
        timezone,
        plan,
        address,
        offset,
        region,
        capacity,
        kind,
        category,
        voltage,
        lat,
        lon,
    )


def _hour() -> int:
    return int(dt.datetime.now(dt.UTC).timestamp() // 3600)


@functools.lru_cache(maxsize=256)
def _utc_offset(timezone: str, _hour: int) -> int:
    """Seconds east of UTC now; cached per zone and hour (an offset can only change on the hour)."""
    offset = dt.datetime.now(ZoneInfo(timezone)).utcoffset()
    return int(offset.total_seconds()) if offset else 0


@dataclass(frozen=True)
class _Directory:
    """Every point, in the order pages list them (organization name, code: the database's collation)."""

    points: list[MeterInfo]
    by_code: dict[str, MeterInfo]
    by_organization: dict[int, list[MeterInfo]]


def _directory(db: Database) -> _Directory | None:
    """Every point, kept by the process while no point or organization changed (``data.queue.versions.POINTS``)
    within the hour (a zone's offset can change only on the hour): every request names a point or lists some. None
    without that counter (no Redis): then each question is its own query, not a read of every point."""
    return db.kept(POINTS.key, ("directory", _hour()), lambda: _read_directory(db), unkept=lambda: None)


def _read_directory(db: Database) -> _Directory:
    points = _read_points(db, None)
    by_organization: dict[int, list[MeterInfo]] = {}
    for point in points:
        by_organization.setdefault(point.organization_id, []).append(point)
    return _Directory(points, {p.code: p for p in points}, by_organization)


def _read_points(db: Database, organization_id: int | None, code: str | None = None) -> list[MeterInfo]:
    stmt = (
        select(*_COLUMNS)
        .join(Organization, MeteringPoint.organization_id == Organization.id)
        .order_by(Organization.name, MeteringPoint.code)
    )
    if organization_id is not None:
        stmt = stmt.where(MeteringPoint.organization_id == organization_id)
    if code is not None:
        stmt = stmt.where(MeteringPoint.code == code)
    with db.session() as s:
        hour = _hour()
        return [_info(tuple(row), hour) for row in s.execute(stmt)]


def list_meters(db: Database, organization_id: int | None) -> list[MeterInfo]:
    """Metering points of one organization, or of all of them when ``organization_id`` is None."""
    directory = _directory(db)
    if directory is None:
        return _read_points(db, organization_id)
    return list(directory.points if organization_id is None else directory.by_organization.get(organization_id, []))


def meter_by_code(db: Database, code: str) -> MeterInfo | None:
    directory = _directory(db)
    if directory is None:
        return next(iter(_read_points(db, None, code)), None)
    return directory.by_code.get(code)


def meters_by_codes(db: Database, codes: list[str]) -> list[MeterInfo]:
    return _meters_where(db, MeteringPoint.code.in_(codes)) if codes else []


def meters_by_ids(db: Database, meter_ids: list[int]) -> list[MeterInfo]:
    return _meters_where(db, MeteringPoint.id.in_([int(m) for m in meter_ids])) if meter_ids else []


def _meters_where(db: Database, condition: Any) -> list[MeterInfo]:
    stmt = (
        select(*_COLUMNS)
        .join(Organization, MeteringPoint.organization_id == Organization.id)
        .where(condition)
        .order_by(MeteringPoint.code)
    )
    with db.session() as s:
        hour = _hour()
        return [_info(tuple(row), hour) for row in s.execute(stmt)]


def set_region(db: Database, meter_id: int, region: str | None) -> str | None:
    """Set the region a point is priced by; returns the one it had."""
    with db.session() as s:
        point = s.get(MeteringPoint, meter_id)
        if point is None:
            raise LookupError(meter_id)
        before, point.region = point.region, region
        return before


def set_price_category(
    db: Database, meter_id: int, category: int, voltage: str, max_power_kw: float | None = None
) -> dict[str, object]:
    """Set a business point's price category and voltage level (and capacity when given); returns what it had."""
    with db.session() as s:
        point = s.get(MeteringPoint, meter_id)
        if point is None:
            raise LookupError(meter_id)
        before: dict[str, object] = {
            "category": point.price_category, "voltage": point.voltage_level, "max_power_kw": point.max_power_kw
        }
        point.price_category, point.voltage_level = category, voltage
        if max_power_kw is not None:
            point.max_power_kw = max_power_kw
        return before


def set_coordinates(db: Database, meter_id: int, latitude: float | None, longitude: float | None) -> dict[str, object]:
    """Set (or, with None, clear) a point's coordinates; returns what it had."""
    with db.session() as s:
        point = s.get(MeteringPoint, meter_id)
        if point is None:
            raise LookupError(meter_id)
        before: dict[str, object] = {"latitude": point.latitude, "longitude": point.longitude}
        point.latitude, point.longitude = latitude, longitude
        return before


def set_capacity(db: Database, code: str, max_power_kw: float | None) -> float | None:
    """Set a point's connection capacity (kW; None: unknown); returns the one it had."""
    if max_power_kw is not None and not (0 < max_power_kw < 1_000_000):
        raise ValueError("the capacity is a positive number of kW")
    with db.session() as s:
        point = s.scalar(select(MeteringPoint).where(MeteringPoint.code == code))
        if point is None:
            raise LookupError(code)
        before, point.max_power_kw = point.max_power_kw, max_power_kw
        return before


def created_times(db: Database, meter_ids: list[int]) -> dict[int, dt.datetime]:
    """When each metering point was created (UTC)."""
    if not meter_ids:
        return {}
    stmt = select(MeteringPoint.id, MeteringPoint.created_at).where(MeteringPoint.id.in_([int(m) for m in meter_ids]))
    with db.session() as s:
        return {int(i): (c if c.tzinfo else c.replace(tzinfo=dt.UTC)) for i, c in s.execute(stmt)}


def list_organizations(db: Database) -> list[tuple[int, str]]:
    """Every organization as ``(id, name)``, by name: what staff switch between (every staff page's shell), kept by
    the process while no point or organization changed (``data.queue.versions.POINTS``)."""
    return db.kept(POINTS.key, "organizations", lambda: _read_organizations(db))


def _read_organizations(db: Database) -> list[tuple[int, str]]:
    with db.session() as s:
        return [(o.id, o.name) for o in s.scalars(select(Organization).order_by(Organization.name))]


def organization_by_inn(db: Database, inn: str) -> int | None:
    with db.session() as s:
        return s.scalar(select(Organization.id).where(Organization.inn == inn.strip()))


def organization_name(db: Database, organization_id: int) -> str:
    with db.session() as s:
        org = s.get(Organization, organization_id)
        return org.name if org else ""


def organization_inn(db: Database, organization_id: int) -> str:
    with db.session() as s:
        org = s.get(Organization, organization_id)
        return org.inn if org else ""


def meter_directory(db: Database) -> dict[str, MeterInfo]:
    """Every metering point by code: what the ingestion consumer resolves partner records against."""
    return {m.code: m for m in list_meters(db, None)}


def organizations_of(db: Database, meter_ids: list[int]) -> set[int]:
    """The organizations these points belong to."""
    with db.session() as s:
        return set(s.scalars(select(MeteringPoint.organization_id).where(MeteringPoint.id.in_(meter_ids)).distinct()))
