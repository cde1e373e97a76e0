"""Demo price levels for the demo's business regions: 13 past months of every price category and the peak hours,
**generated** and stored as demo data (every page that shows them says so); never a published price.

Shape, not truth: an hourly wholesale price that is dearer on working days, in the morning and evening peaks and in
winter; the network's rates by voltage level; a capacity price near a million roubles per MW and month; the zone and
single prices derived from them as a supplier would. Deterministic per region and month, so every demo shows the same.
"""

from __future__ import annotations

import datetime as dt
import zlib

import numpy as np

from analytics.calendar import is_working_day
from analytics.market import first_of_month, next_month
from data.relational import Database, market_prices
from demo.world import ORGS

SOURCE = "демо-данные: сгенерированы для демонстрации, не опубликованные цены"
MONTHS = 13
NETWORK_SINGLE = {"ВН": 900.0, "СН-I": 1800.0, "СН-II": 2600.0, "НН": 3600.0}  # roubles/MWh
NETWORK_CAPACITY = {"ВН": 700_000.0, "СН-I": 1_100_000.0, "СН-II": 1_500_000.0, "НН": 2_000_000.0}  # per MW, month
NETWORK_LOSSES = {"ВН": 60.0, "СН-I": 100.0, "СН-II": 160.0, "НН": 260.0}  # roubles/MWh
BASE = {"Свердловская область": 1900.0, "Санкт-Петербург": 2100.0}  # a wholesale hour's mean, roubles/MWh
MARKUP = 300.0  # the supplier's sales markup, roubles/MWh
CAPACITY_HOURS = 450.0  # hours of use over which the 1st category spreads a MW's monthly capacity price


def ensure_prices(db: Database, today: dt.date | None = None) -> int:
    """Store the demo months that are missing (the current month stays unpublished: it is projected, as in life);
    returns how many months were added."""
    today = today or dt.date.today()
    have = {(r, m) for r, m, *_ in market_prices.summary(db)}
    added = 0
    month = first_of_month(today)
    for _ in range(MONTHS):
        month = first_of_month(month - dt.timedelta(days=1))
        for org in ORGS:
            if org.voltage is None or (org.region, month) in have:
                continue
            sheets, peaks = month_tables(org.region, org.voltage, month)
            market_prices.store(db, sheets, peaks, demo=True, source=SOURCE, uploaded_by="demo")
            added += 1
    return added


def month_tables(region: str, voltage: str, month: dt.date) -> tuple[dict, dict]:
    rng = np.random.default_rng(zlib.crc32(f"{region}:{month.isoformat()}".encode()))
    days = [month + dt.timedelta(days=n) for n in range((next_month(month) - month).days)]
    winter = month.month in (11, 12, 1, 2)
    season = 1.12 if winter else (0.95 if month.month in (5, 6, 7, 8) else 1.0)
    shape = np.array([0.7, 0.66, 0.64, 0.63, 0.65, 0.72, 0.85, 1.0, 1.18, 1.25, 1.2, 1.12,
                      1.08, 1.05, 1.04, 1.06, 1.12, 1.22, 1.28, 1.25, 1.15, 1.0, 0.86, 0.76])
    wholesale = {
        day: BASE.get(region, 2000.0) * season * shape * (1.08 if is_working_day(day) else 0.92)
        * rng.normal(1.0, 0.04, 24).clip(0.85, 1.15)
        for day in days
    }
    capacity = round(950_000.0 * rng.normal(1.0, 0.03), 2)
    single_net = NETWORK_SINGLE[voltage]
    energy3 = {d: [round(float(v) + single_net + MARKUP, 2) for v in w] for d, w in wholesale.items()}
    energy4 = {d: [round(float(v) + MARKUP, 2) for v in w] for d, w in wholesale.items()}
    mean3 = float(np.mean([v for hours in energy3.values() for v in hours]))

    def zone_mean(hours: range | list[int]) -> float:
        return float(np.mean([energy3[d][h] for d in days for h in hours]))

    night, peak = [23, 0, 1, 2, 3, 4, 5, 6], [7, 8, 9, 17, 18, 19, 20]
    half = [10, 11, 12, 13, 14, 15, 16, 21, 22]
    sheets = {
        (region, month, 1, voltage): {"single": round(mean3 + capacity / CAPACITY_HOURS, 2)},
        (region, month, 2, voltage): {
            "zones": {
                "night": round(zone_mean(night) + capacity / 4000, 2),
                "half_peak": round(zone_mean(half) + capacity / 600, 2),
                "peak": round(zone_mean(peak) + capacity / 180, 2),
                "day": round(zone_mean(half + peak) + capacity / 300, 2),
            }
        },
        (region, month, 3, voltage): {"energy": _iso(energy3), "capacity": capacity},
        (region, month, 4, voltage): {
            "energy": _iso(energy4),
            "capacity": capacity,
            "network_capacity": NETWORK_CAPACITY[voltage],
            "network_energy": NETWORK_LOSSES[voltage],
        },
        (region, month, 5, voltage): {
            "energy": {k: [round(v * 0.99, 2) for v in h] for k, h in _iso(energy3).items()},
            "capacity": capacity,
            "over_plan": 120.0,
            "under_plan": 135.0,
        },
        (region, month, 6, voltage): {
            "energy": {k: [round(v * 0.99, 2) for v in h] for k, h in _iso(energy4).items()},
            "capacity": capacity,
            "network_capacity": NETWORK_CAPACITY[voltage],
            "network_energy": NETWORK_LOSSES[voltage],
            "over_plan": 120.0,
            "under_plan": 135.0,
        },
    }
    planned = [[8, 11], [17, 21]] if winter else ([[9, 13], [14, 18]] if season < 1 else [[8, 12], [17, 21]])
    usual = [9, 10, 18, 19] if winter else [10, 11, 15, 16] if season < 1 else [9, 10, 18, 19]
    peak_hour = {d.isoformat(): int(rng.choice(usual)) for d in days if is_working_day(d)}
    peaks = {(region, month): {"planned": planned, "network": [[8, 21]], "peak_hour": peak_hour}}
    return sheets, peaks


def _iso(table: dict[dt.date, list[float]]) -> dict[str, list[float]]:
    return {day.isoformat(): hours for day, hours in table.items()}
