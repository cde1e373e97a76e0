"""The analysis view: load profile, baseload and peak, load duration, day-type profiles, monthly table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from analytics import profile
from analytics.consumption import period_series
from analytics.series import local_date
from data.clickhouse_store import AnalyticsStore
from data.meters import MeterInfo
from data.readings import group_series

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
    return profile.month_over_month(monthly, MONTHS_SHOWN)
