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
from analytics.tariffs import Prices, price, zone_of
from data.meters import MeterInfo
from data.recommendations import Found
from pricing.categories import CategoryComparison
from pricing.comparison import Comparison

MIN_TARIFF_SAVING_RUB = 100.0
MIN_TARIFF_SAVING_SHARE = 0.02
BASE_WEEKS_NOW = 4
MIN_BASE_WEEKS = 8
MIN_BASE_EXCESS_SHARE = 0.10  # of the current baseload
BASE_BAND = 1.2  # an hour within 20 % of the baseload counts as "at base"
MOVABLE_SHARE = 0.3  # of the peak-hour load above the half-peak level, assumed movable to the night
WORKDAYS_PER_YEAR = 247
MIN_PEAK_SAVING_RUB = 300.0
UNUSUAL_HOURS = 72
MIN_UNUSUAL_HOURS = 6
MIN_UNUSUAL_SHARE = 0.05  # excess over the forecast, as a share of the period's consumption
MIN_COMPLETENESS = 0.97


@dataclass(frozen=True)
class PointData:
    """What the detectors read for one point (times are the point's local wall time)."""

    meter: MeterInfo
    hourly: pd.DataFrame  # ts, value (kWh): up to a year, gaps NaN
    comparison: Comparison | None  # the last 12 months (or what history there is) on every plan
    band: pd.DataFrame  # ts, value, lower, upper: the stored forecasts of the last hours
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
    """Night base load above the point's own best weeks, measured as a share of its mean load (so a cold winter
    that raises everything does not count). Saving: the excess kW over the hours the point actually spends near
    its base, priced at the night price."""
    data = point.hourly.dropna(subset=["value"])
    if data.empty:
        return None
    ts = pd.to_datetime(data["ts"])
    night = data[ts.dt.hour < 5]
    nightly = night.groupby(pd.to_datetime(night["ts"]).dt.normalize())["value"].min()
    daily_mean = data.groupby(ts.dt.normalize())["value"].mean()
    frame = pd.DataFrame({"base": nightly, "mean": daily_mean}).dropna()
    weekly = frame.groupby(frame.index.to_period("W-SUN")).median()
    weekly = weekly[frame.groupby(frame.index.to_period("W-SUN")).size() >= 5]
    if len(weekly) < MIN_BASE_WEEKS or (weekly["mean"] <= 0).any():
        return None
    share = weekly["base"] / weekly["mean"]
    recent = weekly.iloc[-BASE_WEEKS_NOW:]
    share_now = float((recent["base"] / recent["mean"]).median())
    share_best = float(share.iloc[:-BASE_WEEKS_NOW].quantile(0.10))
    mean_now = float(recent["mean"].median())
    base_now = float(recent["base"].median())
    excess_kw = (share_now - share_best) * mean_now
    if excess_kw <= 0 or excess_kw < MIN_BASE_EXCESS_SHARE * base_now:
        return None
    last_weeks = data[ts >= ts.max() - pd.Timedelta(weeks=BASE_WEEKS_NOW)]
    at_base = float((last_weeks["value"] <= BASE_BAND * base_now).mean())
    kwh_year = excess_kw * 8760 * at_base
    night_price = price(point.prices, point.meter.tariff_plan, zone_of(point.meter.tariff_plan, 3))
    return Found(
        key=f"baseload:{point.meter.id}",
        kind="baseload",
        meter_id=point.meter.id,
        saving_rub_year=round(kwh_year * night_price, 2),
        saving_kwh_year=round(kwh_year, 1),
        strength=round(excess_kw, 3),
        params={
            "base_now_kw": round(base_now, 3),
            "base_target_kw": round(base_now - excess_kw, 3),
            "excess_kw": round(excess_kw, 3),
            "hours_at_base_share": round(at_base, 3),
            "price": night_price,
            "weeks": len(weekly),
        },
        evidence={
            "type": "weekly_base",
            "x": [str(p.start_time.date()) for p in weekly.index],
            "y": [round(float(v), 3) for v in weekly["base"]],
            "target": [round(float(v), 3) for v in weekly["mean"] * share_best],
        },
    )


def peak_shift(point: PointData) -> Found | None:
    """On a three-zone plan: working-day load in the peak hours above the half-peak level. Assumes that
    ``MOVABLE_SHARE`` of it can run at night instead; the saving is the price difference on that energy."""
    if point.meter.tariff_plan != "three_zone":
        return None
    data = point.hourly.dropna(subset=["value"])
    if data.empty:
        return None
    ts = pd.to_datetime(data["ts"])
    recent = ts >= ts.max() - pd.Timedelta(weeks=12)
    workday = ~days_off(ts.to_numpy(dtype="datetime64[D]"))
    work = data[recent & workday]
    if work.empty or pd.to_datetime(work["ts"]).dt.normalize().nunique() < 10:
        return None
    profile = work.groupby(pd.to_datetime(work["ts"]).dt.hour)["value"].mean().reindex(range(24))
    zones = np.array([zone_of("three_zone", h) for h in range(24)])
    half_peak_level = float(profile[zones == "half_peak"].mean())
    above = (profile[zones == "peak"] - half_peak_level).clip(lower=0)
    movable_day = float(above.sum()) * MOVABLE_SHARE
    peak_price = price(point.prices, "three_zone", "peak")
    night_price = price(point.prices, "three_zone", "night")
    yearly = movable_day * WORKDAYS_PER_YEAR * (peak_price - night_price)
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
            "peak_excess_kwh_day": round(float(above.sum()), 2),
            "share": MOVABLE_SHARE,
            "peak_price": peak_price,
            "night_price": night_price,
            "workdays": WORKDAYS_PER_YEAR,
        },
        evidence={"type": "profile", "x": list(range(24)), "y": [round(float(v), 3) for v in profile.fillna(0)]},
    )


def unusual(point: PointData) -> Found | None:
    """The last days above the forecast's 80 % band for several hours: the energy above the central forecast in
    those hours; the yearly figure is what it would cost if it went on."""
    band = point.band.dropna(subset=["upper"])
    if band.empty:
        return None
    start = point.now_local - dt.timedelta(hours=UNUSUAL_HOURS)
    actual = point.hourly.assign(ts=pd.to_datetime(point.hourly["ts"]))
    joined = band.assign(ts=pd.to_datetime(band["ts"])).merge(actual, on="ts", suffixes=("", "_actual"))
    joined = joined[(joined["ts"] >= start) & joined["value_actual"].notna()]
    if joined.empty:
        return None
    over = joined[joined["value_actual"] > joined["upper"]]
    excess = float((over["value_actual"] - over["value"]).sum())
    total = float(joined["value_actual"].sum())
    if len(over) < MIN_UNUSUAL_HOURS or total <= 0 or excess < MIN_UNUSUAL_SHARE * total:
        return None
    hours = len(joined)
    kwh_year = excess * 8760 / hours
    rate = price(point.prices, point.meter.tariff_plan, zone_of(point.meter.tariff_plan, 12))
    return Found(
        key=f"unusual:{point.meter.id}",
        kind="unusual",
        meter_id=point.meter.id,
        saving_rub_year=round(kwh_year * rate, 2),
        saving_kwh_year=round(kwh_year, 1),
        strength=round(excess, 2),
        params={
            "hours_over": len(over),
            "hours": hours,
            "excess_kwh": round(excess, 2),
            "share": round(excess / total, 3),
        },
        evidence={
            "type": "band",
            "x": [t.isoformat() for t in joined["ts"]],
            "actual": [round(float(v), 3) for v in joined["value_actual"]],
            "value": [round(float(v), 3) for v in joined["value"]],
            "lower": [round(float(v), 3) for v in joined["lower"].fillna(joined["value"])],
            "upper": [round(float(v), 3) for v in joined["upper"]],
        },
    )


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


DETECTORS = (tariff, price_category, baseload, peak_shift, unusual, data_problems)


def _days_with_data(hourly: pd.DataFrame) -> int:
    data = hourly.dropna(subset=["value"])
    return int(pd.to_datetime(data["ts"]).dt.normalize().nunique()) if not data.empty else 0
