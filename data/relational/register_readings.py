"""Register readings entered by hand, and creating the manual metering points they belong to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from data.relational import Database
from data.relational.models import MeteringPoint, RegisterReading


@dataclass(frozen=True)
class StoredReading:
    ts: dt.datetime
    registers: dict[str, float]
    replacement: bool
    entered_by: str


class PointExists(ValueError):
    """A metering point with this code already exists."""


def create_point(
    db: Database,
    organization_id: int,
    code: str,
    name: str,
    tariff_plan: str,
    timezone: str,
    address: str | None,
    reading_mode: str = "manual",
) -> int:
    try:
        with db.session() as s:
            point = MeteringPoint(
                code=code, name=name, organization_id=organization_id, tariff_plan=tariff_plan, timezone=timezone,
                address=address, reading_mode=reading_mode,
            )  # fmt: skip
            s.add(point)
            s.flush()
            return point.id
    except IntegrityError:
        raise PointExists(code) from None


def reading_mode(db: Database, meter_id: int) -> str:
    with db.session() as s:
        return s.scalar(select(MeteringPoint.reading_mode).where(MeteringPoint.id == meter_id)) or "interval"


def manual_ids(db: Database) -> set[int]:
    """Every point read by hand."""
    with db.session() as s:
        return set(s.scalars(select(MeteringPoint.id).where(MeteringPoint.reading_mode == "manual")))


def latest_readings(db: Database, meter_ids: list[int]) -> dict[int, dt.datetime]:
    """Each point's newest reading (UTC), for those that have one."""
    if not meter_ids:
        return {}
    stmt = (
        select(RegisterReading.metering_point_id, func.max(RegisterReading.ts))
        .where(RegisterReading.metering_point_id.in_(meter_ids))
        .group_by(RegisterReading.metering_point_id)
    )
    with db.session() as s:
        return {meter_id: _utc(ts) for meter_id, ts in s.execute(stmt)}


def readings(db: Database, meter_id: int) -> list[StoredReading]:
    """The point's readings, oldest first."""
    stmt = select(RegisterReading).where(RegisterReading.metering_point_id == meter_id).order_by(RegisterReading.ts)
    with db.session() as s:
        return [
            StoredReading(_utc(r.ts), {k: float(v) for k, v in r.registers.items()}, r.replacement, r.entered_by)
            for r in s.scalars(stmt)
        ]


def add(db: Database, meter_id: int, ts: dt.datetime, registers: dict[str, float], replacement: bool, by: str) -> bool:
    """Store a reading; False when the point already has one at that moment."""
    try:
        with db.session() as s:
            s.add(
                RegisterReading(
                    metering_point_id=meter_id, ts=ts, registers=registers, replacement=replacement, entered_by=by
                )
            )
    except IntegrityError:
        return False
    return True


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
