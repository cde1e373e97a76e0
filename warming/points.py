"""A metering point's pages as they open — the consumption chart of its last week, the analysis of its last 90 days
and its month table — computed ahead for as many points as a run's time allows, each organization's first points
first (the point its readers' pages open on)."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import time
from collections.abc import Sequence

from analytics.analysis import shared_analysis, shared_monthly_table
from analytics.consumption import shared_consumption
from analytics.series import local_date, opening_days, span_of
from analytics.tariffs import PriceBook
from data.relational.meters import MeterInfo
from data.services import Services
from weather.views import weather_days

POINTS_BUDGET_S = 20.0  # a run warms points this long at most (it runs every minute); readers compute the rest
log = logging.getLogger(__name__)


def warm_point(services: Services, meter: MeterInfo, book: PriceBook, now: dt.datetime) -> None:
    """One point's consumption and analysis pages (its weather chart too) as they open when the address names no
    period (the local days up to the point's today), under the keys their callbacks ask with."""
    today = local_date(now, meter.utc_offset)
    start, end = span_of(*opening_days("consumption", today), meter.utc_offset)
    shared_consumption(services, [meter], start, end, "hour", book)
    start, end = span_of(*opening_days("analysis", today), meter.utc_offset)
    shared_analysis(services, [meter], start, end)
    weather_days(services, [meter], start, end)
    shared_monthly_table(services, [meter], now)


def warm_points(
    services: Services, pages: Sequence[Sequence[MeterInfo]], book: PriceBook, now: dt.datetime,
    budget_s: float = POINTS_BUDGET_S,
) -> int:
    """Warm the points of several pickers (each organization's points in its page's order) in :func:`first_points_first`
    order while ``budget_s`` lasts; one point's failure leaves the others. Returns how many points were warmed."""
    deadline = time.monotonic() + budget_s
    warmed = 0
    for meter in first_points_first(pages):
        if time.monotonic() >= deadline:
            break
        try:
            warm_point(services, meter, book, now)
        except Exception:  # its readers compute it themselves
            log.exception("could not warm the pages of point %s", meter.code)
        else:
            warmed += 1
    return warmed


def first_points_first(pages: Sequence[Sequence[MeterInfo]]) -> list[MeterInfo]:
    """The first point of every picker, then the second of every picker, and so on; a point in several pickers (an
    organization's and the administrators') once, where it comes first."""
    order: dict[int, MeterInfo] = {}
    for row in itertools.zip_longest(*pages):
        order.update((meter.id, meter) for meter in row if meter is not None and meter.id not in order)
    return list(order.values())
