"""What a metering point's actual consumption over a range costs on its own plan and on every other plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from analytics.business import is_business
from analytics.consumption import priced_hours
from analytics.series import BadRange, checked_days
from analytics.tariffs import PLANS, PriceBook, cost
from auth.access import meter_for
from auth.principal import Principal
from caching.answers import cached_for_points
from data.clickhouse.store import AnalyticsStore
from data.relational.meters import MeterInfo
from data.services import Services
from i18n import t
from pricing.book import price_book


@dataclass(frozen=True)
class Comparison:
    current: str
    plans: dict[str, float]  # plan -> roubles, to the kopeck
    kwh: float
    region: str  # whose prices were used
    meter_region: str | None = None  # the point's own region (when it has no prices, ``region`` differs)

    @property
    def cheapest(self) -> str:
        return min(self.plans, key=lambda plan: (self.plans[plan], plan != self.current))

    @property
    def saving(self) -> float:
        """Roubles the cheapest plan would have saved over the range."""
        return round(self.plans[self.current] - self.plans[self.cheapest], 2)


def compare_plans(
    store: AnalyticsStore, meter: MeterInfo, start: dt.datetime, end: dt.datetime, book: PriceBook
) -> Comparison:
    """Price the hourly consumption in ``[start, end)`` on each plan, each hour at the price of its local day."""
    parts = priced_hours(store, [meter], start, end, book)
    offsets = {meter.id: meter.utc_offset}
    plans = {
        plan: round(sum(cost(hours, {meter.id: plan}, offsets, prices) for hours, _, prices in parts), 2)
        for plan in PLANS
    }
    kwh = sum(float(hours["value"].sum()) for hours, _, _ in parts)
    return Comparison(meter.tariff_plan, plans, round(kwh, 3), book.priced_as(meter.region), meter.region)


MAX_RANGE = dt.timedelta(days=3 * 366)


class BusinessPoint(ValueError):
    """A business point is compared by price category, never by the households' plans."""


def comparison_for(services: Services, principal: Principal, code: str, first: dt.date, last: dt.date) -> Comparison:
    """The tariff comparison of a point the caller may see, over its local days ``[first, last]``."""
    meter = meter_for(services.db, principal, code)
    if is_business(meter):
        raise BusinessPoint(t("err.category.business_point").format(code=code))
    first, last = checked_days(first, last)
    shift = dt.timedelta(seconds=meter.utc_offset)
    start = dt.datetime.combine(first, dt.time(0), dt.UTC) - shift
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), dt.UTC) - shift
    if end - start > MAX_RANGE:
        raise BadRange("comparison_too_long")
    return cached_for_points(  # every reader of the point, until its data or the prices change
        services,
        "plans",
        [meter],
        (start, end),
        lambda: compare_plans(services.store, meter, start, end, price_book(services.db)),
    )
