"""Readings held for review (``held_readings``): held by ingestion, decided by an operator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol, overload

from sqlalchemy import Select, select

from data.relational import Database
from data.relational.models import HeldReading, MeteringPoint, Organization, Partner


@dataclass(frozen=True)
class HeldRow:
    id: int
    partner: str
    batch_id: str
    meter_id: int
    code: str
    organization_id: int
    organization_name: str
    timezone: str
    ts: int
    interval_s: int
    value: float
    status: int
    version: int
    limit_kwh: float
    reason: str
    state: str
    held_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None


class HeldValue(Protocol):
    """A reading ingestion found implausible (``review.plausibility.Held``)."""

    ts: int
    interval_s: int
    value: float
    status: int
    limit_kwh: float
    reason: str


def hold(db: Database, partner_id: int, batch_id: str, version: int, readings: list[tuple[int, HeldValue]]) -> None:
    """Keep these readings (by metering point id) until an operator decides."""
    with db.session() as s:
        s.add_all(
            HeldReading(
                partner_id=partner_id,
                batch_id=batch_id,
                metering_point_id=meter_id,
                ts=r.ts,
                interval_s=r.interval_s,
                value=r.value,
                status=r.status,
                version=version,
                limit_kwh=r.limit_kwh,
                reason=r.reason[:300],
                state="held",
            )
            for meter_id, r in readings
        )


_COLUMNS = (
    HeldReading,
    Partner.slug,
    MeteringPoint.code,
    MeteringPoint.organization_id,
    Organization.name,
    MeteringPoint.timezone,
)


def _select() -> Select[HeldReading, str, str, int, str, str]:
    return (
        select(*_COLUMNS)
        .join(Partner, HeldReading.partner_id == Partner.id)
        .join(MeteringPoint, HeldReading.metering_point_id == MeteringPoint.id)
        .join(Organization, MeteringPoint.organization_id == Organization.id)
    )


def _row(h: HeldReading, slug: str, code: str, org_id: int, org_name: str, tz: str) -> HeldRow:
    return HeldRow(
        h.id, slug, h.batch_id, h.metering_point_id, code, org_id, org_name, tz, h.ts, h.interval_s, h.value,
        h.status, h.version, h.limit_kwh, h.reason, h.state, _utc(h.held_at), h.decided_by, _utc(h.decided_at),
    )  # fmt: skip


@overload
def _utc(moment: dt.datetime) -> dt.datetime: ...
@overload
def _utc(moment: None) -> None: ...
def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.replace(tzinfo=dt.UTC) if moment is not None and moment.tzinfo is None else moment


def list_held(
    db: Database, organization_ids: list[int] | None, states: tuple[str, ...] = ("held",), limit: int = 500
) -> list[HeldRow]:
    """Held readings of these organizations (None: all), newest first."""
    stmt = _select().where(HeldReading.state.in_(states)).order_by(HeldReading.held_at.desc(), HeldReading.id)
    if organization_ids is not None:
        stmt = stmt.where(MeteringPoint.organization_id.in_(organization_ids))
    with db.session() as s:
        return [_row(*row) for row in s.execute(stmt.limit(limit))]


def held_by_ids(db: Database, ids: list[int]) -> list[HeldRow]:
    with db.session() as s:
        return [_row(*row) for row in s.execute(_select().where(HeldReading.id.in_(ids)).order_by(HeldReading.id))]


def decide(db: Database, ids: list[int], state: str, by: str) -> list[int]:
    """Mark these readings accepted or rejected; returns the ids that were still held (a second click does nothing)."""
    now = dt.datetime.now(dt.UTC)
    with db.session() as s:
        rows = s.scalars(select(HeldReading).where(HeldReading.id.in_(ids), HeldReading.state == "held")).all()
        for row in rows:
            row.state, row.decided_by, row.decided_at = state, by, now
        return sorted(r.id for r in rows)


