"""The detectors: each looks at one metering point's measured consumption and returns a recommendation with its
yearly saving, the figures its text is written from (``params``) and a small chart (``evidence``), or None.

Savings are estimates from the point's own data; each detector's docstring states its assumption, and the page
repeats it in plain words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.calendar import days_off
from analytics.quality import Quality
from analytics.tariffs import Prices, hourly_prices, price
from data.relational.meters import MeterInfo
from data.relational.recommendations import Found
from pricing.categories import CategoryComparison
from pricing.comparison import Comparison

MIN_TARIFF_SAVING_RUB = 100.0
MIN_TARIFF_SAVING_SHARE = 0.02
# The windows a step is looked for in, shortest first: the last four weeks, or — a smaller step, longer held — six
# (their median: a step that held at least three of four, or four of six weeks).
BASE_WEEKS_NOW = (4, 6)
NIGHT_END_HOUR = 6  # the night base: local hours 0–5
MIN_BASE_WEEKS = 8
MIN_BASE_EXCESS_SHARE = 0.10  # of the current baseload
BASE_BAND = 1.2  # an hour within 20 % of the baseload counts as "at base"
BASE_SIGMAS = 2.5  # a step in the base-load share must stand this far above how the window's median wanders
MIN_BASE_STEP = 0.08  # … and be at least this share of the share it had
# The blocks of the three-zone plan's peak hours a timer's load can sit in (local time, [from, to)).
PEAK_BLOCKS = ((7, 10), (7, 9), (8, 10), (17, 21), (17, 19), (18, 20), (19, 21), (17, 20), (18, 21))
PEAK_RECENT_WEEKS = 12  # the weeks a new block of load is looked for in
PEAK_GAP_WEEKS = 20  # compared with the working days this many weeks back and earlier
PEAK_SIGMAS = 5.0  # how far beyond its weekly wander the block's share must have stepped (4.0 let through clean points)
WORKDAYS_PER_YEAR = 247
MIN_PEAK_SAVING_RUB = 300.0
MIN_COMPLETENESS = 0.97


@dataclass(frozen=True)
class PointData:
    """What the detectors read for one point (times are the point's local wall time)."""

    meter: MeterInfo
    hourly: pd.DataFrame  # ts, value (kWh): up to a year, gaps NaN
    comparison: Comparison | None  # the last 12 months (or what history there is) on every plan
    quality: Quality | None  # the last 30 days
    prices: Prices  # in force today: the region's zone prices (a household), or what a kWh costs by the category
    now_local: dt.datetime
    categories: CategoryComparison | None = None  # a business point: every price category it may choose


def tariff(point: PointData) -> Found | None:
    """A cheaper plan: the comparison over the last year of measured hourly consumption, scaled to a year."""
    cmp = point.comparison
    if cmp is None or cmp.cheapest == cmp.current or cmp.kwh <= 0:
        return None
    days = _days_with_data(point.hourly)
    if days < 28:
        return None
    yearly = cmp.saving * 365.0 / days
    if yearly < MIN_TARIFF_SAVING_RUB or cmp.saving < MIN_TARIFF_SAVING_SHARE * cmp.plans[cmp.current]:
        return None
    return Found(
        key=f"tariff:{point.meter.id}",
        kind="tariff",
        meter_id=point.meter.id,
        saving_rub_year=round(yearly, 2),
        saving_kwh_year=0.0,
        strength=round(yearly, 2),
        params={
            "current": cmp.current,
            "cheapest": cmp.cheapest,
            "days": days,
            "cost_current": cmp.plans[cmp.current],
            "cost_cheapest": cmp.plans[cmp.cheapest],
            "region": cmp.region,
        },
        evidence={"type": "plans", "plans": cmp.plans, "current": cmp.current},
    )


MIN_CATEGORY_SAVING_RUB = 1000.0
MIN_CATEGORY_SAVING_SHARE = 0.02


def price_category(point: PointData) -> Found | None:
    """A cheaper price category: the point's actual hourly consumption of the last months priced under every category
    it may choose, at the prices published for each month; the saving over those months scaled to a year."""
    cmp = point.categories
    if cmp is None or cmp.missing or cmp.cheapest == cmp.current:
        return None
    months = [m for m, costs in cmp.months if costs[cmp.current].kwh > 0]
    if not months:
        return None
    current, cheapest = cmp.totals[cmp.current], cmp.totals[cmp.cheapest]
    yearly = cmp.saving * 12 / len(months)
    if yearly < MIN_CATEGORY_SAVING_RUB or cmp.saving < MIN_CATEGORY_SAVING_SHARE * current.total:
        return None
    return Found(
        key=f"price_category:{point.meter.id}",
        kind="price_category",
        meter_id=point.meter.id,
        saving_rub_year=round(yearly, 2),
        saving_kwh_year=0.0,
        strength=round(yearly, 2),
        params={
            "current": cmp.current,
            "cheapest": cmp.cheapest,
            "months": len(months),
            "first": cmp.first.isoformat(),
            "last": cmp.last.isoformat(),
            "cost_current": round(current.total, 2),
            "cost_cheapest": round(cheapest.total, 2),
            "projected": cmp.projected,
            "demo": cmp.demo,
        },
        evidence={
            "type": "categories",
            "totals": {str(c): round(cost.total, 2) for c, cost in cmp.totals.items() if not cost.missing},
            "current": cmp.current,
        },
    )


def baseload(point: PointData) -> Found | None:
    """A step up in the night base load: its share of the mean load in the last four (or six) weeks against the
    *typical* share of the weeks before (a cold winter raises both, so the share stays), significant beyond how much
    a median over as many weeks wanders on its own. The extra load is solved from the shares (a constant ``W`` kW
    added to base ``b`` and mean ``m``: ``W = (b − s₀·m) / (1 − s₀)``) and, being constant, priced over every hour of
    the day."""
    data = point.hourly.dropna(subset=["value"])
    if data.empty:
        return None
    ts = pd.to_datetime(data["ts"])
    week = ts.dt.to_period("W-SUN")
    night = ts.dt.hour < NIGHT_END_HOUR
    # The week's base: the lower quartile of its 42 night hours (a minimum of a few noisy hours wanders too much).
    weekly = pd.DataFrame(
        {
            "base": data["value"][night].groupby(week[night]).quantile(0.25),
            "mean": data["value"].groupby(week).mean(),
            "hours": data["value"].groupby(week).count(),
        }
    ).dropna()
    weekly = weekly[weekly["hours"] >= 5 * 24][["base", "mean"]]
    if len(weekly) < MIN_BASE_WEEKS or (weekly["mean"] <= 0).any():
        return None
    step = next((s for s in (_base_step(weekly, n) for n in BASE_WEEKS_NOW) if s is not None), None)
    if step is None:
        return None
    share_before, sigmas = step
    # How much it is now: each of the last two weeks' own extra load, their median (the step may be weeks old, or
    # days older than the weeks that detect it).
    latest = weekly.iloc[-2:]
    excess_kw = float(((latest["base"] - share_before * latest["mean"]) / (1 - share_before)).median())
    base_now = float(latest["base"].median())
    if excess_kw <= MIN_BASE_EXCESS_SHARE * base_now:
        return None
    kwh_year = excess_kw * 8760
    day_price = float(np.mean(hourly_prices(point.prices, point.meter.tariff_plan)))
    return Found(
        key=f"baseload:{point.meter.id}",
        kind="baseload",
        meter_id=point.meter.id,
        saving_rub_year=round(kwh_year * day_price, 2),
        saving_kwh_year=round(kwh_year, 1),
        strength=round(excess_kw, 3),
        params={
            "base_now_kw": round(base_now, 3),
            "base_target_kw": round(base_now - excess_kw, 3),
            "excess_kw": round(excess_kw, 3),
            "hours_at_base_share": 1.0,
            "price": round(day_price, 2),
            "weeks": len(weekly),
            "sigmas": sigmas,
        },
        evidence={
            "type": "weekly_base",
            "x": [str(p.start_time.date()) for p in weekly.index],
            "y": [round(float(v), 3) for v in weekly["base"]],
            "target": [round(float(v), 3) for v in weekly["mean"] * share_before],
        },
    )


def _base_step(weekly: pd.DataFrame, weeks_now: int) -> tuple[float, float] | None:
    """The base-load share before the last ``weeks_now`` weeks and how many sigmas their median stands above it, when
    it stands far enough; else None."""
    share = weekly["base"] / weekly["mean"]
    share_now, before = float(share.iloc[-weeks_now:].median()), share.iloc[:-weeks_now]
    share_before = float(before.median())
    # How far a median over as many weeks wanders on its own in the weeks before (seasons included): the yardstick.
    rolling = before.rolling(weeks_now).median().dropna()
    wander = float((rolling - share_before).abs().median()) * 1.4826  # the median absolute deviation as a sigma
    if share_before >= 1 or share_now - share_before <= max(BASE_SIGMAS * wander, MIN_BASE_STEP * share_before):
        return None
    return share_before, round((share_now - share_before) / max(wander, 1e-9), 1)


def peak_shift(point: PointData) -> Found | None:
    """On a three-zone plan: a load that has come to run in a block of peak hours on working days — a timer's load (a
    water heater, a pump, a charger) that could run at night. Each working day the block's energy above the hours
    just around it, as a share of the day's mean hour (so that seasons and weather cancel), is compared between the
    last twelve weeks and the same weekdays months before: a step well beyond how much that share wanders from week to
    week is the new load. A household's evening peak or an office's morning start, there all year, is habit, not a
    movable load, and is left alone. Moving the block to the night saves its kWh × (peak − night price) on every
    working day."""
    if point.meter.tariff_plan != "three_zone":
        return None
    data = point.hourly.dropna(subset=["value"])
    if data.empty:
        return None
    ts = pd.to_datetime(data["ts"])
    table = pd.DataFrame({"day": ts.dt.normalize(), "hour": ts.dt.hour, "value": data["value"].to_numpy()})
    grid = table.pivot_table(index="day", columns="hour", values="value").reindex(columns=range(24))
    grid = grid[~days_off(grid.index.to_numpy(dtype="datetime64[D]"))].dropna(thresh=20)
    last = grid.index.max() if len(grid) else None
    if last is None:
        return None
    recent = grid[grid.index > last - pd.Timedelta(weeks=PEAK_RECENT_WEEKS)]
    earlier = grid[(grid.index <= last - pd.Timedelta(weeks=PEAK_GAP_WEEKS))]
    if len(recent) < 30 or len(earlier) < 40:  # six weeks of working days now, eight some months before
        return None
    candidates: list[tuple[float, float, int, int]] = []  # (movable kWh a day, z, start, end)
    for start, end in PEAK_BLOCKS:
        now, before = _block_share(recent, start, end), _block_share(earlier, start, end)
        weekly = before.groupby(before.index.to_period("W-SUN")).median()
        wander = float((weekly - weekly.median()).abs().median()) * 1.4826 / np.sqrt(PEAK_RECENT_WEEKS) * 1.25
        step = float(now.median() - before.median())
        z = step / max(wander, 1e-9)
        if step > 0 and z >= PEAK_SIGMAS:
            candidates.append((step * float(recent.mean(axis=1).median()), z, start, end))
    if not candidates:
        return None
    # The block that holds the load: the most energy, and of the blocks holding about as much, the shortest.
    most = max(c[0] for c in candidates)
    movable_day, z, start, end = min((c for c in candidates if c[0] >= 0.95 * most), key=lambda c: c[3] - c[2])
    peak_price = price(point.prices, "three_zone", "peak")
    night_price = price(point.prices, "three_zone", "night")
    today = point.now_local.date()
    year = np.array([np.datetime64(today - dt.timedelta(days=n)) for n in range(1, 366)], dtype="datetime64[D]")
    workdays = int((~days_off(year)).sum())
    yearly = movable_day * workdays * (peak_price - night_price)
    if yearly < MIN_PEAK_SAVING_RUB:
        return None
    return Found(
        key=f"peak_shift:{point.meter.id}",
        kind="peak_shift",
        meter_id=point.meter.id,
        saving_rub_year=round(yearly, 2),
        saving_kwh_year=0.0,
        strength=round(movable_day, 3),
        params={
            "movable_kwh_day": round(movable_day, 2),
            "peak_excess_kwh_day": round(movable_day, 2),
            "share": 1.0,
            "block": f"{start:02d}:00–{end:02d}:00",
            "peak_price": peak_price,
            "night_price": night_price,
            "workdays": workdays,
            "days": len(recent),
            "sigmas": round(z, 1),
        },
        evidence={
            "type": "profile",
            "x": list(range(24)),
            "y": [round(float(v), 3) for v in recent.median().fillna(0)],
        },
    )


def _block_share(days: pd.DataFrame, start: int, end: int) -> pd.Series:
    """Each day's energy in hours ``[start, end)`` above the mean of the hours just around them, per its mean hour."""
    edges = (days[(start - 1) % 24] + days[end % 24]) / 2
    return (days.loc[:, start : end - 1].sub(edges, axis=0)).sum(axis=1) / days.mean(axis=1)


def data_problems(point: PointData) -> Found | None:
    """Gaps and counter resets in the last 30 days distort bills: consumption without a reading is billed by an
    estimate. No saving is claimed; the unmeasured energy (missing hours × the point's mean hour) is shown."""
    q = point.quality
    if q is None or (q.completeness >= MIN_COMPLETENESS and q.resets == 0):
        return None
    values = point.hourly["value"]
    mean_hour = float(values.mean()) if values.notna().any() else 0.0
    missing_hours = round((1 - q.completeness) * 30 * 24)
    return Found(
        key=f"data:{point.meter.id}",
        kind="data",
        meter_id=point.meter.id,
        saving_rub_year=0.0,
        saving_kwh_year=0.0,
        strength=float(missing_hours + 24 * q.resets),
        params={
            "completeness": round(q.completeness, 4),
            "missing_hours": missing_hours,
            "resets": q.resets,
            "unmeasured_kwh": round(missing_hours * mean_hour, 1),
        },
        evidence={"type": "quality", "completeness": round(q.completeness, 4), "resets": q.resets},
    )


DETECTORS = (tariff, price_category, baseload, peak_shift, data_problems)


def _days_with_data(hourly: pd.DataFrame) -> int:
    data = hourly.dropna(subset=["value"])
    return int(pd.to_datetime(data["ts"]).dt.normalize().nunique()) if not data.empty else 0
