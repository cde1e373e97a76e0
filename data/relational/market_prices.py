"""Published business price sheets and peak hours: stored as versions, read back newest-first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, cast, func, select

from data.relational import Database
from data.relational.models import MarketPeakHours, MarketPriceSheet


@dataclass(frozen=True)
class SheetRecord:
    region: str
    month: dt.date
    category: int
    voltage: str
    version: int
    values: dict[str, Any]
    demo: bool
    source: str
    uploaded_by: str | None
    uploaded_at: dt.datetime


@dataclass(frozen=True)
class PeaksRecord:
    region: str
    month: dt.date
    version: int
    planned: list[list[int]]
    network: list[list[int]]
    peak_hour: dict[str, int]
    demo: bool
    source: str


def store(
    db: Database,
    sheets: dict[tuple[str, dt.date, int, str], dict[str, Any]],
    peaks: dict[tuple[str, dt.date], dict[str, Any]],
    demo: bool,
    source: str,
    uploaded_by: str | None,
) -> tuple[int, int]:
    """Add every sheet and peak-hours table as the next version of its month; returns how many of each."""
    with db.session() as s:
        for (region, month, category, voltage), values in sheets.items():
            last = s.scalar(
                select(func.max(MarketPriceSheet.version)).where(
                    MarketPriceSheet.region == region,
                    MarketPriceSheet.month == month,
                    MarketPriceSheet.category == category,
                    MarketPriceSheet.voltage == voltage,
                )
            )
            s.add(
                MarketPriceSheet(
                    region=region, month=month, category=category, voltage=voltage, version=(last or 0) + 1,
                    values=values, demo=demo, source=source, uploaded_by=uploaded_by,
                )
            )
        for (region, month), table in peaks.items():
            last = s.scalar(
                select(func.max(MarketPeakHours.version)).where(
                    MarketPeakHours.region == region, MarketPeakHours.month == month
                )
            )
            s.add(
                MarketPeakHours(
                    region=region, month=month, version=(last or 0) + 1, planned=table.get("planned") or [],
                    network=table.get("network") or [], peak_hour=table.get("peak_hour") or {}, demo=demo,
                    source=source, uploaded_by=uploaded_by,
                )
            )
    return len(sheets), len(peaks)


def version(db: Database) -> tuple[int, int]:
    """Changes whenever something is added: what a cached book is checked against."""
    with db.session() as s:
        return (
            int(s.scalar(select(func.coalesce(func.max(MarketPriceSheet.id), 0))) or 0),
            int(s.scalar(select(func.coalesce(func.max(MarketPeakHours.id), 0))) or 0),
        )


def all_sheets(db: Database, region: str | None = None, month: dt.date | None = None) -> list[SheetRecord]:
    stmt = select(MarketPriceSheet)
    if region is not None:
        stmt = stmt.where(MarketPriceSheet.region == region)
    if month is not None:
        stmt = stmt.where(MarketPriceSheet.month == month)
    with db.session() as s:
        return [
            SheetRecord(r.region, r.month, r.category, r.voltage, r.version, dict(r.values or {}), r.demo, r.source,
                        r.uploaded_by, r.uploaded_at)
            for r in s.scalars(stmt.order_by(MarketPriceSheet.region, MarketPriceSheet.month, MarketPriceSheet.id))
        ]


def all_peaks(db: Database, region: str | None = None, month: dt.date | None = None) -> list[PeaksRecord]:
    stmt = select(MarketPeakHours)
    if region is not None:
        stmt = stmt.where(MarketPeakHours.region == region)
    if month is not None:
        stmt = stmt.where(MarketPeakHours.month == month)
    with db.session() as s:
        return [
            PeaksRecord(r.region, r.month, r.version, list(r.planned or []), list(r.network or []),
                        dict(r.peak_hour or {}), r.demo, r.source)
            for r in s.scalars(stmt.order_by(MarketPeakHours.region, MarketPeakHours.month, MarketPeakHours.id))
        ]


def summary(db: Database) -> list[tuple[str, dt.date, int, int, bool, dt.datetime]]:
    """(region, month, sheets, newest version, demo, uploaded) per region and month, newest month first."""
    stmt = (
        select(
            MarketPriceSheet.region,
            MarketPriceSheet.month,
            func.count(),
            func.max(MarketPriceSheet.version),
            func.max(cast(MarketPriceSheet.demo, Integer)),
            func.max(MarketPriceSheet.uploaded_at),
        )
        .group_by(MarketPriceSheet.region, MarketPriceSheet.month)
        .order_by(MarketPriceSheet.region, MarketPriceSheet.month.desc())
    )
    with db.session() as s:
        return [(r, m, int(n), int(v), bool(d), at) for r, m, n, v, d, at in s.execute(stmt)]
