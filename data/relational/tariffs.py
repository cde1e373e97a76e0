"""Tariff prices by region, plan, zone and the local day they take effect."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select

from data.relational import Database
from data.relational.models import TariffPrice


@dataclass(frozen=True)
class PriceRecord:
    id: int
    region: str
    plan: str
    zone: str
    valid_from: dt.date
    price: float
    source: str
    updated_by: str | None


def list_prices(db: Database) -> list[PriceRecord]:
    """Every price row, by region, plan, zone and date."""
    stmt = select(TariffPrice).order_by(TariffPrice.region, TariffPrice.plan, TariffPrice.zone, TariffPrice.valid_from)
    with db.session() as s:
        return [_record(p) for p in s.scalars(stmt)]


def upsert_price(
    db: Database, region: str, plan: str, zone: str, valid_from: dt.date, price: float, source: str, by: str
) -> tuple[PriceRecord, float | None]:
    """Set the price of a zone from a day on; returns the row and the price it replaced (None if new)."""
    with db.session() as s:
        row = s.scalar(
            select(TariffPrice).where(
                TariffPrice.region == region,
                TariffPrice.plan == plan,
                TariffPrice.zone == zone,
                TariffPrice.valid_from == valid_from,
            )
        )
        before = row.price if row else None
        if row is None:
            row = TariffPrice(region=region, plan=plan, zone=zone, valid_from=valid_from)
            s.add(row)
        row.price, row.source, row.updated_by = price, source, by
        row.updated_at = dt.datetime.now(dt.UTC)
        s.flush()
        return _record(row), before


def delete_price(db: Database, price_id: int) -> PriceRecord | None:
    with db.session() as s:
        row = s.get(TariffPrice, price_id)
        if row is None:
            return None
        record = _record(row)
        s.execute(delete(TariffPrice).where(TariffPrice.id == price_id))
        return record


def _record(p: TariffPrice) -> PriceRecord:
    return PriceRecord(p.id, p.region, p.plan, p.zone, p.valid_from, p.price, p.source or "", p.updated_by)
