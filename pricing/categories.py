"""Which price category is cheapest for a business point: its actual hourly consumption priced under every category
it may choose, month by month (the comparison table and chart, ``GET /api/v1/meters/<code>/price-categories`` and the
recommendation to switch)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.business import is_business, points_cost, series_cost
from analytics.categories import CategoryCost
from analytics.market import (
    MarketBook,
    allowed_categories,
    category_of,
    first_of_month,
    next_month,
    voltage_or_default,
)
from analytics.series import BadRange, checked_days, local_date
from auth.access import meter_for
from auth.principal import Principal
from caching.answers import cached_for_points
from data.clickhouse.readings import hourly_by_meter
from data.clickhouse.store import AnalyticsStore
from data.relational.meters import MeterInfo
from data.services import Services
from i18n import t
from pricing.book import market_book

YEAR_MONTHS = 12
PLANNED = (5, 6)  # the categories with an hourly plan and charges for deviating from it


class NotABusiness(ValueError):
    """A household point has no price category: its regulated tariffs are compared instead."""


@dataclass(frozen=True)
class CategoryComparison:
    meter: MeterInfo
    current: int
    first: dt.date  # local days [first, last] compared
    last: dt.date
    totals: dict[int, CategoryCost]  # category → the whole range
    months: list[tuple[dt.date, dict[int, CategoryCost]]]  # each month of the range, every category
    demo: bool  # some of the prices are the demo's, not published ones

    @property
    def cheapest(self) -> int:
        """The cheapest category that can be judged: the 5th and 6th are left out, since what deviating from an hourly
        plan would cost is not known without the plan (they are shown, priced as if the plan were met)."""
        known = {c: cost.total for c, cost in self.totals.items() if not cost.missing and c not in PLANNED}
        return min(known, key=known.__getitem__) if known else self.current

    @property
    def saving(self) -> float:
        """Roubles over the range that the cheapest category would have saved (0 when the current is cheapest)."""
        current = self.totals.get(self.current)
        if current is None or current.missing:
            return 0.0
        return max(0.0, current.total - self.totals[self.cheapest].total)

    @property
    def projected(self) -> bool:
        return any(cost.projected for cost in self.totals.values())

    @property
    def missing(self) -> bool:
        return all(cost.missing for cost in self.totals.values())


def default_range(meter: MeterInfo, now: dt.datetime) -> tuple[dt.date, dt.date]:
    """The last twelve whole months up to yesterday's month end (the month in progress is not yet priced)."""
    this_month = first_of_month(local_date(now, meter.utc_offset))
    first = this_month
    for _ in range(YEAR_MONTHS):
        first = first_of_month(first - dt.timedelta(days=1))
    return first, this_month - dt.timedelta(days=1)


def compare_categories(
    services: Services,
    principal: Principal,
    code: str,
    first: object = None,
    last: object = None,
    now: dt.datetime | None = None,
) -> CategoryComparison:
    """The use case: a point the caller may see, over local days ``first``..``last`` (default: the last twelve
    months). Raises :class:`NotABusiness` for a household point, ``BadRange`` for a bad range."""
    meter = meter_for(services.db, principal, code)
    if not is_business(meter):
        raise NotABusiness(t("err.category.household_point").format(code=code))
    now = now or dt.datetime.now(dt.UTC)
    if first is None or last is None:
        first, last = default_range(meter, now)
    else:
        first, last = checked_days(first, last)
    if (last - first).days > 3 * 366:
        raise BadRange("comparison_too_long")
    return cached_for_points(  # every reader of the point, until its data or the prices change
        services,
        "categories",
        [meter],
        (first, last),
        lambda: category_comparison(services.store, meter, first, last, market_book(services.db)),
    )


def category_comparison(
    store: AnalyticsStore, meter: MeterInfo, first: dt.date, last: dt.date, market: MarketBook
) -> CategoryComparison:
    shift = dt.timedelta(seconds=meter.utc_offset)
    start = dt.datetime.combine(first, dt.time(0), dt.UTC) - shift
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), dt.UTC) - shift
    hours = hourly_by_meter(store, [meter.id], start, end)
    local = (
        (pd.to_datetime(hours["ts"], utc=True).dt.tz_localize(None) + pd.Timedelta(shift)).to_numpy("datetime64[s]")
        if len(hours)
        else np.zeros(0, dtype="datetime64[s]")
    )
    kwh = hours["value"].to_numpy(dtype="float64") if len(hours) else np.zeros(0)
    current = category_of(meter.organization_kind, meter.price_category) or 1
    categories = allowed_categories(meter.max_power_kw)
    end_day = last + dt.timedelta(days=1)
    totals = {c: series_cost(local, kwh, meter, market, c, (first, end_day)) for c in categories}
    months = []
    month = first_of_month(first)
    days = local.astype("datetime64[D]")
    while month < end_day:
        lo, hi = max(month, first), min(next_month(month), end_day)
        inside = (days >= np.datetime64(lo)) & (days < np.datetime64(hi))
        costs = {c: series_cost(local[inside], kwh[inside], meter, market, c, (lo, hi)) for c in categories}
        months.append((month, costs))
        month = next_month(month)
    demo = any(
        (sheet := market.sheet(meter.region, m, c, voltage_or_default(meter.voltage_level))) is not None and sheet.demo
        for m, _ in months
        for c in categories
    )
    return CategoryComparison(meter, current, first, last, totals, months, demo)


@dataclass(frozen=True)
class PeakInfo:
    """A point's month in the region's peak hours: the hours, its capacity volume so far, what a kW less saves."""

    month: dt.date
    category: int
    planned: tuple[tuple[int, int], ...]
    network: tuple[tuple[int, int], ...]
    capacity_kw: float  # the mean, over the working days so far, of its consumption in each day's peak hour
    saving_per_kw: float  # roubles a month (without VAT) for one kW less in the peak hours
    projected: bool  # this month's peak hours are not published yet: the last published month's stand in
    demo: bool


def peak_info(services: Services, principal: Principal, code: str, now: dt.datetime | None = None) -> PeakInfo | None:
    """For a point on the 3rd–6th category: this month's peak hours and what they cost it (None otherwise)."""
    meter = meter_for(services.db, principal, code)
    category = category_of(meter.organization_kind, meter.price_category)
    if category is None or category < 3:
        return None
    now = now or dt.datetime.now(dt.UTC)
    market = market_book(services.db)
    month = first_of_month(local_date(now, meter.utc_offset))
    sheet = market.sheet(meter.region, month, category, voltage_or_default(meter.voltage_level))
    peaks = market.peaks(meter.region, month)
    if sheet is None or peaks is None:
        return None
    start = dt.datetime.combine(month, dt.time(0), dt.UTC) - dt.timedelta(seconds=meter.utc_offset)
    cost = points_cost(services.store, [meter], start, now, market).get(meter.id)
    per_kw = (sheet.capacity or 0.0) / 1000
    if category in (4, 6):
        per_kw += (sheet.network_capacity or 0.0) / 1000
    return PeakInfo(
        month,
        category,
        peaks.planned,
        peaks.network,
        (cost.capacity_mw * 1000) if cost else 0.0,
        per_kw,
        peaks.projected or sheet.projected,
        sheet.demo or peaks.demo,
    )
