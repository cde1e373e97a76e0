"""The monthly report's state in the relational store: who opted in, which letters went out, and which
organizations are similar (same kind, same region) for the crowd comparison."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.relational import Database
from data.relational.models import MeteringPoint, MonthlyReportLetter, Organization, User


def set_opt_in(db: Database, user_id: int, wanted: bool) -> None:
    with db.session() as s:
        user = s.get(User, user_id)
        if user is None:
            raise LookupError(user_id)
        user.monthly_report = wanted


def opted_in(db: Database, user_id: int) -> bool:
    with db.session() as s:
        return bool(s.scalar(select(User.monthly_report).where(User.id == user_id)))


def readers(db: Database, organization_id: int) -> list[int]:
    """Active members of the organization who asked for the letter."""
    stmt = select(User.id).where(
        User.organization_id == organization_id, User.status == "active", User.monthly_report.is_(True)
    )
    with db.session() as s:
        return [int(i) for i in s.scalars(stmt.order_by(User.id))]


def organizations_with_readers(db: Database) -> list[int]:
    stmt = select(User.organization_id).where(
        User.status == "active", User.monthly_report.is_(True), User.organization_id.is_not(None)
    )
    with db.session() as s:
        return sorted({int(i) for i in s.scalars(stmt) if i is not None})


def record_sent(db: Database, organization_id: int, month: dt.date, user_id: int) -> bool:
    """Note a letter as sent; False when another worker noted it first."""
    try:
        with db.session() as s:
            s.add(MonthlyReportLetter(organization_id=organization_id, month=month, user_id=user_id))
    except IntegrityError:
        return False
    return True


def forget_sent(db: Database, organization_id: int, month: dt.date, user_id: int) -> None:
    """Before a letter is sent again on request."""
    with db.session() as s:
        for row in s.scalars(
            select(MonthlyReportLetter).where(
                MonthlyReportLetter.organization_id == organization_id,
                MonthlyReportLetter.month == month,
                MonthlyReportLetter.user_id == user_id,
            )
        ):
            s.delete(row)


def similar_organizations(db: Database, organization_id: int) -> dict[int, list[int]]:
    """Other organizations of the same kind in the same region (the organization's own, else where most of its
    points are priced), with their metering points' ids."""
    with db.session() as s:
        org = s.get(Organization, organization_id)
        if org is None:
            return {}
        region = org.region or _points_region(s, organization_id)
        if region is None:
            return {}
        rows = s.execute(
            select(MeteringPoint.organization_id, MeteringPoint.id, MeteringPoint.region, Organization.region)
            .join(Organization, Organization.id == MeteringPoint.organization_id)
            .where(Organization.kind == org.kind, Organization.id != organization_id)
        )
        out: dict[int, list[int]] = {}
        for other, point, point_region, org_region in rows:
            if (org_region or point_region) == region:
                out.setdefault(int(other), []).append(int(point))
        return out


def _points_region(s: Session, organization_id: int) -> str | None:
    regions = Counter(
        r for r in s.scalars(select(MeteringPoint.region).where(MeteringPoint.organization_id == organization_id)) if r
    )
    return regions.most_common(1)[0][0] if regions else None
