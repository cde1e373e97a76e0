"""The installation's price book, read from the tariff table."""

from __future__ import annotations

from analytics.tariffs import PriceBook, PriceRow
from data.relational import Database
from data.tariffs import list_prices


def price_book(db: Database) -> PriceBook:
    return PriceBook(PriceRow(p.region, p.plan, p.zone, p.valid_from, p.price) for p in list_prices(db))
