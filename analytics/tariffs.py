"""Russian time-of-day tariff zones and what consumption costs under them.

Zones are by local time: two-zone day 07–23 and night 23–07; three-zone peak 07–10 and 17–21,
half-peak 10–17 and 21–23, night 23–07. Prices (roubles per kWh) differ by region and change during
the year; a :class:`PriceBook` holds them by region, plan, zone and the local day they take effect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.market import MarketBook

Prices = Mapping[str, Mapping[str, float]]
PLANS = ("single", "two_zone", "three_zone")
PLAN_ZONES = {"single": ("single",), "two_zone": ("day", "night"), "three_zone": ("peak", "half_peak", "night")}
DEFAULT_REGION = "Москва"


def zone_of(plan: str, local_hour: int) -> str:
    night = local_hour >= 23 or local_hour < 7
    if plan == "two_zone":
        return "night" if night else "day"
    if plan == "three_zone":
        if night:
            return "night"
        return "peak" if 7 <= local_hour < 10 or 17 <= local_hour < 21 else "half_peak"
    return "single"


def zone_spans(plan: str, start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """Consecutive local-time spans ``(from, to, zone)`` covering ``[start, end)``, for chart shading."""
    spans: list[tuple[dt.datetime, dt.datetime, str]] = []
    hour = start.replace(minute=0, second=0, microsecond=0)
    while hour < end:
        zone = zone_of(plan, hour.hour)
        following = hour + dt.timedelta(hours=1)
        if spans and spans[-1][2] == zone and spans[-1][1] == hour:
            spans[-1] = (spans[-1][0], following, zone)
        else:
            spans.append((hour, following, zone))
        hour = following
    return spans


def cost(hours: pd.DataFrame, plans: Mapping[int, str], offsets: Mapping[int, int], prices: Prices) -> float:
    """Roubles for ``hours`` (columns meter_id, utc_hour, value in kWh) under each meter's plan and zone."""
    if hours.empty:
        return 0.0
    meters = hours["meter_id"].astype("int64")
    local = (hours["utc_hour"].astype("int64") + meters.map(lambda m: offsets.get(m, 0) // 3600)) % 24
    per_plan = meters.map(lambda m: plans.get(m, "single"))
    tables = {plan: hourly_prices(prices, plan) for plan in set(per_plan)}
    rates = [tables[plan][hour] for plan, hour in zip(per_plan, local, strict=True)]
    return float(np.dot(hours["value"].to_numpy(dtype="float64"), np.asarray(rates)))


def cost_by_local_hour(local_hours: np.ndarray, kwh: np.ndarray, plan: str, prices: Prices) -> float:
    """Roubles for values already keyed by local hour of day (NaN values cost nothing)."""
    rates = np.asarray(hourly_prices(prices, plan))[local_hours]
    return float(np.nansum(kwh * rates))


def hourly_prices(prices: Prices, plan: str) -> list[float]:
    """The price of each local hour 0…23 under a plan."""
    return [price(prices, plan, zone_of(plan, hour)) for hour in range(24)]


def price(prices: Prices, plan: str, zone: str) -> float:
    plan_prices = prices.get(plan) or prices.get("single") or {}
    return float(plan_prices.get(zone, next(iter(plan_prices.values()), 0.0)))


@dataclass(frozen=True)
class PriceRow:
    region: str
    plan: str
    zone: str
    valid_from: dt.date
    price: float


class PriceBook:
    """Households' regulated prices by region, plan and zone, each in force from its local day until the next row of
    the same zone, and (``market``) the businesses' published price levels by category.

    A region without household prices of its own is priced as ``default_region`` (``priced_as`` says so, and the
    pages say it to the customer)."""

    def __init__(
        self, rows: Iterable[PriceRow], default_region: str = DEFAULT_REGION, market: MarketBook | None = None
    ) -> None:
        self.rows = sorted(rows, key=lambda r: (r.region, r.plan, r.zone, r.valid_from))
        self.default_region = default_region
        self.regions = sorted({r.region for r in self.rows})
        self.market = market or MarketBook()

    def is_fallback(self, region: str | None) -> bool:
        """True when a region's households are priced with another region's tariffs."""
        return self.priced_as(region) != region

    def priced_as(self, region: str | None) -> str:
        return region if region in self.regions else self.default_region

    def prices_on(self, region: str | None, day: dt.date) -> dict[str, dict[str, float]]:
        """Every plan's zone prices in force on a local day (a zone with no row yet is left out)."""
        region = self.priced_as(region)
        table: dict[str, dict[str, float]] = {}
        for row in self.rows:
            if row.region == region and row.valid_from <= day:
                table.setdefault(row.plan, {})[row.zone] = row.price
        return table

    def change_days(self, region: str | None, first: dt.date, last: dt.date) -> list[dt.date]:
        """Local days in ``(first, last)`` on which some price of the region changes."""
        region = self.priced_as(region)
        return sorted({r.valid_from for r in self.rows if r.region == region and first < r.valid_from < last})

    def periods(self, region: str | None, first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date, Prices]]:
        """``[from, to)`` local-day periods covering ``[first, last)``, each with the prices in force."""
        bounds = [first, *self.change_days(region, first, last), last]
        return [(lo, hi, self.prices_on(region, lo)) for lo, hi in zip(bounds, bounds[1:], strict=False) if lo < hi]


def cost_of_series(local_ts: np.ndarray, kwh: np.ndarray, plan: str, region: str | None, book: PriceBook) -> float:
    """Roubles for values at local wall times (``datetime64``), each hour at the price of its local day."""
    if not len(local_ts):
        return 0.0
    stamps = np.asarray(local_ts, dtype="datetime64[s]")
    days = stamps.astype("datetime64[D]")
    hours = ((stamps - days).astype("timedelta64[h]").astype("int64")) % 24
    first, last = days.min().item(), days.max().item() + dt.timedelta(days=1)
    total = 0.0
    for lo, hi, prices in book.periods(region, first, last):
        inside = (days >= np.datetime64(lo)) & (days < np.datetime64(hi))
        total += cost_by_local_hour(hours[inside], kwh[inside], plan, prices)
    return total
