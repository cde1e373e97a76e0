"""Recommendations of an organization, kept between runs by their key (kind and metering point)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from data.relational import Database
from data.relational.models import MeteringPoint, Recommendation

VISIBLE = ("open", "done", "dismissed")
# A recommendation someone marked done or not relevant comes back only when its evidence grew by this much.
COMES_BACK_AT = 1.25


@dataclass(frozen=True)
class Found:
    """One recommendation as a detector found it."""

    key: str
    kind: str
    meter_id: int | None
    saving_rub_year: float
    saving_kwh_year: float
    strength: float
    params: dict[str, Any]
    evidence: dict[str, Any]


@dataclass(frozen=True)
class RecommendationRow:
    id: int
    organization_id: int
    meter_id: int | None
    meter_code: str | None
    meter_name: str | None
    kind: str
    saving_rub_year: float
    saving_kwh_year: float
    params: dict[str, Any]
    evidence: dict[str, Any]
    state: str
    state_by: str | None
    state_at: dt.datetime | None
    updated_at: dt.datetime


def replace_found(db: Database, organization_id: int, found: list[Found], now: dt.datetime) -> dict[str, int]:
    """Store what a run found: new ones open, known ones updated, gone ones resolved. A dismissed or done one
    reopens only when its evidence grew by ``COMES_BACK_AT``. Returns counts by what happened."""
    counts = {"new": 0, "updated": 0, "reopened": 0, "resolved": 0}
    by_key = {f.key: f for f in found}
    with db.session() as s:
        existing = {
            r.key: r for r in s.scalars(select(Recommendation).where(Recommendation.organization_id == organization_id))
        }
        for key, item in by_key.items():
            row = existing.get(key)
            if row is None:
                row = Recommendation(organization_id=organization_id, key=key, created_at=now, state="open")
                s.add(row)
                counts["new"] += 1
            elif row.state in ("done", "dismissed") and item.strength >= (row.state_strength or 0) * COMES_BACK_AT:
                row.state, row.state_by, row.state_at, row.state_strength = "open", None, None, None
                counts["reopened"] += 1
            elif row.state == "resolved":
                row.state = "open"
                counts["reopened"] += 1
            else:
                counts["updated"] += 1
            row.kind, row.meter_id = item.kind, item.meter_id
            row.saving_rub_year, row.saving_kwh_year = item.saving_rub_year, item.saving_kwh_year
            row.strength, row.params, row.evidence, row.updated_at = item.strength, item.params, item.evidence, now
        for key, row in existing.items():
            if key not in by_key and row.state == "open":
                row.state, row.updated_at = "resolved", now
                counts["resolved"] += 1
    return counts


def list_for(db: Database, organization_id: int, states: tuple[str, ...] = VISIBLE) -> list[RecommendationRow]:
    """An organization's recommendations, largest yearly saving first."""
    stmt = (
        select(Recommendation, MeteringPoint.code, MeteringPoint.name)
        .outerjoin(MeteringPoint, Recommendation.meter_id == MeteringPoint.id)
        .where(Recommendation.organization_id == organization_id, Recommendation.state.in_(states))
        .order_by(Recommendation.saving_rub_year.desc(), Recommendation.id)
    )
    with db.session() as s:
        return [_row(r, code, name) for r, code, name in s.execute(stmt)]


def get(db: Database, recommendation_id: int) -> RecommendationRow | None:
    stmt = (
        select(Recommendation, MeteringPoint.code, MeteringPoint.name)
        .outerjoin(MeteringPoint, Recommendation.meter_id == MeteringPoint.id)
        .where(Recommendation.id == recommendation_id)
    )
    with db.session() as s:
        found = s.execute(stmt).first()
        return _row(*found) if found else None


def set_state(db: Database, recommendation_id: int, state: str, by: str, now: dt.datetime) -> None:
    with db.session() as s:
        row = s.get(Recommendation, recommendation_id)
        if row is None:
            raise LookupError(recommendation_id)
        row.state, row.state_by, row.state_at = state, by, now
        row.state_strength = row.strength if state in ("done", "dismissed") else None


def _row(r: Recommendation, code: str | None, name: str | None) -> RecommendationRow:
    updated = r.updated_at if r.updated_at.tzinfo else r.updated_at.replace(tzinfo=dt.UTC)
    state_at = r.state_at.replace(tzinfo=dt.UTC) if r.state_at and r.state_at.tzinfo is None else r.state_at
    return RecommendationRow(
        id=r.id,
        organization_id=r.organization_id,
        meter_id=r.meter_id,
        meter_code=code,
        meter_name=name,
        kind=r.kind,
        saving_rub_year=r.saving_rub_year,
        saving_kwh_year=r.saving_kwh_year,
        params=dict(r.params or {}),
        evidence=dict(r.evidence or {}),
        state=r.state,
        state_by=r.state_by,
        state_at=state_at,
        updated_at=updated,
    )
