"""The installation's price book: households' regulated tariffs and businesses' published price levels.

Each web process keeps the whole book while no price, sheet or peak-hours table changed (``data.queue.versions.PRICES``,
moved by every commit that changes them): every page that shows roubles reads it. Without that counter (no Redis) the
tariffs are read each time and the market book is read again only when a new sheet or peak-hours table was stored
(checked with one cheap query), since each of its months holds an hourly price for every hour."""

from __future__ import annotations

import datetime as dt
import threading

from analytics.market import MarketBook, PeakHours, Sheet
from analytics.tariffs import PriceBook, PriceRow
from data.queue.versions import PRICES
from data.relational import Database, market_prices
from data.relational.tariffs import list_prices

_lock = threading.Lock()
_cached: dict[str, tuple[tuple[int, int], MarketBook]] = {}


def price_book(db: Database) -> PriceBook:
    return db.kept(PRICES.key, "price book", lambda: _read_book(db))


def _read_book(db: Database) -> PriceBook:
    rows = (PriceRow(p.region, p.plan, p.zone, p.valid_from, p.price) for p in list_prices(db))
    return PriceBook(rows, market=market_book(db))


def market_book(db: Database) -> MarketBook:
    key = db.url
    current = market_prices.version(db)
    with _lock:
        hit = _cached.get(key)
        if hit is not None and hit[0] == current:
            return hit[1]
    book = MarketBook(
        [sheet_of(r) for r in market_prices.all_sheets(db)], [peaks_of(r) for r in market_prices.all_peaks(db)]
    )
    with _lock:
        _cached[key] = (current, book)
    return book


def sheet_of(r: market_prices.SheetRecord) -> Sheet:
    v = r.values
    return Sheet(
        region=r.region,
        month=r.month,
        category=r.category,
        voltage=r.voltage,
        version=r.version,
        single=v.get("single"),
        zones=dict(v.get("zones") or {}),
        energy={dt.date.fromisoformat(day): tuple(hours) for day, hours in (v.get("energy") or {}).items()},
        capacity=v.get("capacity"),
        network_capacity=v.get("network_capacity"),
        network_energy=v.get("network_energy"),
        over_plan=v.get("over_plan"),
        under_plan=v.get("under_plan"),
        demo=r.demo,
        source=r.source,
    )


def peaks_of(r: market_prices.PeaksRecord) -> PeakHours:
    return PeakHours(
        region=r.region,
        month=r.month,
        version=r.version,
        planned=tuple((int(lo), int(hi)) for lo, hi in r.planned),  # stored as JSON pairs [from, to]
        network=tuple((int(lo), int(hi)) for lo, hi in r.network),
        peak_hour={dt.date.fromisoformat(day): int(hour) for day, hour in r.peak_hour.items()},
        demo=r.demo,
        source=r.source,
    )
