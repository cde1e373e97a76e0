"""The analysis view: load profile, baseload and peak, load duration, day-type profiles, monthly table."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from analytics import profile
from analytics.consumption import period_series
from analytics.series import local_date
from caching.answers import cached_for_points
from data.clickhouse.readings import group_series
from data.clickhouse.store import AnalyticsStore
from data.relational.meters import MeterInfo
from data.services import Services

MONTHS_SHOWN = 13


@dataclass(frozen=True)
class Analysis:
    hourly: pd.DataFrame
    heatmap: pd.DataFrame
    duration: pd.DataFrame
    profiles: pd.DataFrame
    baseload_kw: float | None
    peak: tuple[float, pd.Timestamp] | None
    load_factor: float | None


def analysis(store: AnalyticsStore, meters: list[MeterInfo], start: dt.datetime, end: dt.datetime) -> Analysis:
    hourly = period_series(store, meters, start, end, "hour")
    return Analysis(
        hourly=hourly,
        heatmap=profile.heatmap(hourly),
        duration=profile.duration_curve(hourly),
        profiles=profile.day_profiles(hourly),
        baseload_kw=profile.baseload_kw(hourly),
        peak=profile.peak(hourly),
        load_factor=profile.load_factor(hourly),
    )


def shared_analysis(services: Services, meters: list[MeterInfo], start: dt.datetime, end: dt.datetime) -> Analysis:
    """:func:`analysis`, computed once per data version for everyone who asks for the same points and range."""
    return cached_for_points(
        services, "analysis", meters, (start, end), lambda: analysis(services.store, meters, start, end)
    )


def shared_monthly_table(services: Services, meters: list[MeterInfo], now: dt.datetime) -> pd.DataFrame:
    """:func:`monthly_table`, computed once per data version and day for everyone who asks for the same points."""
    day = local_date(now, meters[0].utc_offset)
    return cached_for_points(services, "months", meters, day, lambda: monthly_table(services.store, meters, now))


def monthly_table(store: AnalyticsStore, meters: list[MeterInfo], now: dt.datetime) -> pd.DataFrame:
    """The last 13 months from the daily rollup, each with its change against the month before and a year
    before (so 25 months are read)."""
    today = local_date(now, meters[0].utc_offset)
    month = dt.date(today.year, today.month, 1)
    start = dt.date(month.year - 2, month.month, 1)
    end = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    monthly = group_series(store, [m.id for m in meters], start, end, "month")
    axis = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="MS", inclusive="left")
    values = pd.Series(monthly["value"].to_numpy(), index=pd.to_datetime(monthly["ts"])).reindex(axis)
    monthly = pd.DataFrame({"ts": axis, "value": values.to_numpy()})
    table = profile.month_over_month(monthly, MONTHS_SHOWN)
    return _current_month_like_with_like(store, [m.id for m in meters], table, today)


def _current_month_like_with_like(
    store: AnalyticsStore, meter_ids: list[int], table: pd.DataFrame, today: dt.date
) -> pd.DataFrame:
    """The month in progress is compared over its complete days (1 … yesterday) with the same days of the month before
    and of the same month a year earlier, not with whole months (which made a month's first week read "−75 %"). The
    ``days`` column says how many complete days that comparison covers (empty for whole months)."""
    table = table.assign(days=pd.NA)
    last = table.index[-1]
    days = today.day - 1
    table.loc[last, "days"] = days

    month = dt.date(today.year, today.month, 1)
    year_ago = dt.date(month.year - 1, month.month, 1)
    # One daily series from a year ago to today serves all three comparisons (one query instead of three).
    daily = group_series(store, meter_ids, year_ago, today, "day")
    by_day = (
        pd.Series(daily["value"].to_numpy(), index=pd.to_datetime(daily["ts"]).dt.date) if not daily.empty else None
    )

    def same_days(first: dt.date) -> float | None:
        span = min(days, calendar.monthrange(first.year, first.month)[1])
        if not span or by_day is None:
            return None
        chosen = by_day[(by_day.index >= first) & (by_day.index < first + dt.timedelta(days=span))]
        return float(chosen.sum()) if not chosen.empty else None

    previous = dt.date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    current = same_days(month)
    for column, first in (("vs_previous", previous), ("vs_last_year", year_ago)):
        before = same_days(first)
        table.loc[last, column] = current / before - 1 if before and current is not None else float("nan")
    return table
