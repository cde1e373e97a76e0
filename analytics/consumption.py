"""The consumption view: a series for one point, a group or an organization, with comparisons and cost."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.business import is_business, points_cost
from analytics.series import LOCAL_STEPS, Granularity, Step, local_date, query_bounds, to_local, with_gaps
from analytics.tariffs import PriceBook, Prices, cost, cost_of_series
from caching.answers import cached_for_points
from data.clickhouse.readings import group_series, hour_of_day_totals, latest_timestamps, readings_since, series
from data.clickhouse.store import AnalyticsStore
from data.messaging.reading_batch import STATUS_CORRECTED
from data.relational.meters import MeterInfo
from data.services import Services

COMPARISONS = ("previous", "year")


@dataclass(frozen=True)
class Consumption:
    frame: pd.DataFrame  # ts (local, naive), value (kWh, NaN for gaps), samples, status
    total_kwh: float
    cost_rub: float
    compared: dict[str, pd.DataFrame]  # kind -> ts (aligned on this period's axis), value
    compared_kwh: dict[str, float]


def corrected(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a series a partner's later batch corrected (their status carries the corrected flag)."""
    flags = frame["status"].fillna(0).astype(int)
    return frame[(flags & STATUS_CORRECTED) != 0]


def meter_readings(
    store: AnalyticsStore, meter: MeterInfo, start: dt.datetime, end: dt.datetime, granularity: Granularity
) -> pd.DataFrame:
    """A point's readings over whole local days at ``raw``, ``hour`` or ``day``, missing periods as NaN: what the
    REST API serves."""
    lo, hi = query_bounds(granularity, start, end, meter.utc_offset)
    return with_gaps(series(store, meter.id, lo, hi, granularity), granularity, lo, hi)


@dataclass(frozen=True)
class Live:
    readings: pd.DataFrame  # the point's raw readings since the moment asked, oldest first
    last: dt.datetime | None  # without any: when the newest reading starts (UTC), if it has one


def shared_live(services: Services, meter: MeterInfo, since: dt.datetime) -> Live:
    """What the live chart draws or appends, computed once per data version for every reader of the point asking
    from the same moment: every open page's tick every few seconds finds nothing new in the cache, not in the store,
    until a reading lands (a chart drawn afresh asks from a whole minute, so readers opening it share that too)."""

    def read() -> Live:
        frame = readings_since(services.store, meter.id, since)
        return Live(frame, _last_reading_at(services.store, meter) if frame.empty else None)

    return cached_for_points(services, "live", [meter], since, read)


def _last_reading_at(store: AnalyticsStore, meter: MeterInfo) -> dt.datetime | None:
    last = latest_timestamps(store, [meter.id]).get(meter.id)
    return last.replace(tzinfo=dt.UTC) if last is not None and last.tzinfo is None else last


def consumption(
    store: AnalyticsStore,
    meters: list[MeterInfo],
    start: dt.datetime,
    end: dt.datetime,
    step: Step,
    book: PriceBook,
    compare: tuple[str, ...] = (),
) -> Consumption:
    frame = period_series(store, meters, start, end, step)
    compared, compared_kwh = {}, {}
    for kind in compare:
        shifted_start, shifted_end = shifted(start, end, kind)
        other = period_series(store, meters, shifted_start, shifted_end, step)
        values = np.full(len(frame), np.nan)
        n = min(len(frame), len(other))
        values[:n] = other["value"].to_numpy(dtype="float64")[:n]
        compared[kind] = pd.DataFrame({"ts": frame["ts"], "value": values})
        compared_kwh[kind] = float(np.nansum(values))
    return Consumption(
        frame=frame,
        total_kwh=float(frame["value"].sum()),
        cost_rub=_cost(store, meters, start, end, step, frame, book),
        compared=compared,
        compared_kwh=compared_kwh,
    )


def shared_consumption(
    services: Services,
    meters: list[MeterInfo],
    start: dt.datetime,
    end: dt.datetime,
    step: Step,
    book: PriceBook,
    compare: tuple[str, ...] = (),
) -> Consumption:
    """:func:`consumption`, computed once per data version for everyone who asks for the same points, range and step
    (prices that change bump every version)."""
    return cached_for_points(
        services,
        "consumption",
        meters,
        (start, end, step, tuple(compare)),
        lambda: consumption(services.store, meters, start, end, step, book, compare),
    )


def period_series(
    store: AnalyticsStore, meters: list[MeterInfo], start: dt.datetime, end: dt.datetime, step: Step
) -> pd.DataFrame:
    """The summed series on its full axis, in the first point's local time; gaps stay NaN."""
    lead = meters[0]
    lo, hi = query_bounds(step, start, end, lead.utc_offset)
    frame = with_gaps(group_series(store, [m.id for m in meters], lo, hi, step), step, lo, hi)
    if step not in LOCAL_STEPS:
        frame["ts"] = to_local(frame["ts"], lead.timezone)
    return frame


def period_cost(
    store: AnalyticsStore, meters: list[MeterInfo], start: dt.datetime, end: dt.datetime, book: PriceBook
) -> float:
    """Roubles for ``[start, end)``: a household point's hours priced by its plan and zone at its region's regulated
    prices in force on each local day; a business point's by its price category at its region's published price
    levels (without VAT). NaN when a business point's prices are not known at all."""
    households = [m for m in meters if not is_business(m)]
    total = sum(
        cost(hours, {m.id: m.tariff_plan for m in group}, {m.id: m.utc_offset for m in group}, prices)
        for hours, group, prices in priced_hours(store, households, start, end, book)
    )
    businesses = [m for m in meters if is_business(m)]
    if businesses:
        total += sum(c.total for c in points_cost(store, businesses, start, end, book.market).values())
    return float(total)


def priced_hours(
    store: AnalyticsStore, meters: list[MeterInfo], start: dt.datetime, end: dt.datetime, book: PriceBook
) -> list[tuple[pd.DataFrame, list[MeterInfo], Prices]]:
    """kWh by point and UTC hour of day for each stretch of ``[start, end)`` with one set of prices.

    Points are grouped by the region that prices them and their UTC offset (price changes take effect at a
    local midnight); each group's range is cut at its price changes."""
    parts = []
    groups: dict[tuple[str, int], list[MeterInfo]] = {}
    for m in meters:
        groups.setdefault((book.priced_as(m.region), m.utc_offset), []).append(m)
    for (region, offset), group in groups.items():
        first, last = local_date(start, offset), local_date(end, offset) + dt.timedelta(days=1)
        for lo, hi, prices in book.periods(region, first, last):
            sub_start = max(start, _utc_midnight(lo, offset))
            sub_end = min(end, _utc_midnight(hi, offset))
            if sub_start < sub_end:
                parts.append((hour_of_day_totals(store, [m.id for m in group], sub_start, sub_end), group, prices))
    return parts


def _cost(
    store: AnalyticsStore,
    meters: list[MeterInfo],
    start: dt.datetime,
    end: dt.datetime,
    step: Step,
    frame: pd.DataFrame,
    book: PriceBook,
) -> float:
    """An hourly or finer series of points on one plan, zone and region is priced as it is; otherwise ask the store."""
    lead = meters[0]
    one_kind = len({(m.tariff_plan, m.utc_offset, book.priced_as(m.region)) for m in meters}) < 2
    if step in ("30min", "hour") and one_kind and not any(is_business(m) for m in meters):
        stamps = pd.to_datetime(frame["ts"]).to_numpy(dtype="datetime64[s]")
        return cost_of_series(stamps, frame["value"].to_numpy(dtype="float64"), lead.tariff_plan, lead.region, book)
    return period_cost(store, meters, start, end, book)


def _utc_midnight(day: dt.date, utc_offset: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), dt.UTC) - dt.timedelta(seconds=utc_offset)


def shifted(start: dt.datetime, end: dt.datetime, kind: str) -> tuple[dt.datetime, dt.datetime]:
    """The period compared with ``[start, end)``: the one just before it, or the same one a year earlier."""
    if kind == "previous":
        return start - (end - start), start
    if kind == "year":
        return _year_earlier(start), _year_earlier(end)
    raise ValueError(f"unknown comparison {kind!r}")


def change(current: float, before: float) -> float | None:
    """Relative change, or None when there is nothing to compare with."""
    return None if not before else (current - before) / before


def _year_earlier(moment: dt.datetime) -> dt.datetime:
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - 1, day=28)
