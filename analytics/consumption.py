"""The consumption view: a series for one point, a group or an organization, with comparisons and cost."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.series import LOCAL_STEPS, Step, query_bounds, to_local, with_gaps
from analytics.tariffs import Prices, cost, cost_by_local_hour
from data.clickhouse_store import AnalyticsStore
from data.meters import MeterInfo
from data.readings import group_series, hour_of_day_totals

COMPARISONS = ("previous", "year")


@dataclass(frozen=True)
class Consumption:
    frame: pd.DataFrame  # ts (local, naive), value (kWh, NaN for gaps), samples, status
    total_kwh: float
    cost_rub: float
    compared: dict[str, pd.DataFrame]  # kind -> ts (aligned on this period's axis), value
    compared_kwh: dict[str, float]


def consumption(
    store: AnalyticsStore,
    meters: list[MeterInfo],
    start: dt.datetime,
    end: dt.datetime,
    step: Step,
    prices: Prices,
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
        cost_rub=_cost(store, meters, start, end, step, frame, prices),
        compared=compared,
        compared_kwh=compared_kwh,
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
    store: AnalyticsStore, meters: list[MeterInfo], start: dt.datetime, end: dt.datetime, prices: Prices
) -> float:
    hours = hour_of_day_totals(store, [m.id for m in meters], start, end)
    return cost(hours, {m.id: m.tariff_plan for m in meters}, {m.id: m.utc_offset for m in meters}, prices)


def _cost(
    store: AnalyticsStore,
    meters: list[MeterInfo],
    start: dt.datetime,
    end: dt.datetime,
    step: Step,
    frame: pd.DataFrame,
    prices: Prices,
) -> float:
    """An hourly or finer series of points on one plan and zone is priced as it is; otherwise ask the store."""
    if step in ("30min", "hour") and len({(m.tariff_plan, m.utc_offset) for m in meters}) == 1:
        hours = pd.to_datetime(frame["ts"]).dt.hour.to_numpy()
        return cost_by_local_hour(hours, frame["value"].to_numpy(dtype="float64"), meters[0].tariff_plan, prices)
    return period_cost(store, meters, start, end, prices)


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
