"""What a business point's consumption costs over any range, under its own price category or another one, at the
published (or, for a month not yet published, projected) price levels of its region and voltage level."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from analytics.calendar import working_days
from analytics.categories import CategoryCost, PriceMissing, hourly_frame, month_cost, months_of
from analytics.market import MarketBook, category_of, first_of_month, next_month, voltage_or_default
from analytics.tariffs import PriceBook, zone_of
from data.clickhouse.readings import hourly_by_meter
from data.clickhouse.store import AnalyticsStore
from data.relational.meters import MeterInfo


def is_business(meter: MeterInfo) -> bool:
    return category_of(meter.organization_kind, meter.price_category) is not None


def series_cost(
    local_ts: np.ndarray,
    kwh: np.ndarray,
    meter: MeterInfo,
    market: MarketBook,
    category: int | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> CategoryCost:
    """The cost of hourly values at local wall times under ``category`` (default: the point's own). ``period`` is the
    ``[first, last)`` local days the values stand for (default: the whole months they touch)."""
    chosen = category or category_of(meter.organization_kind, meter.price_category) or 1
    frame = hourly_frame(local_ts, kwh)
    total = CategoryCost(chosen)
    for month, part in months_of(frame).items():
        sheet = market.sheet(meter.region, month, chosen, voltage_or_default(meter.voltage_level))
        if sheet is None:
            return CategoryCost(chosen, kwh=float(frame["kwh"].sum()), missing=True, months=(month,))
        inside = (max(month, period[0]), min(next_month(month), period[1])) if period else None
        try:
            total = total + month_cost(
                part, chosen, sheet, market.peaks(meter.region, month), meter.tariff_plan, inside
            )
        except PriceMissing:
            return CategoryCost(chosen, kwh=float(frame["kwh"].sum()), missing=True, months=(month,))
    return total


def points_cost(
    store: AnalyticsStore,
    meters: Iterable[MeterInfo],
    start: dt.datetime,
    end: dt.datetime,
    market: MarketBook,
    category: int | None = None,
) -> dict[int, CategoryCost]:
    """Each business point's cost over ``[start, end)`` (one query for all of them)."""
    chosen = [m for m in meters if is_business(m)]
    if not chosen:
        return {}
    hours = hourly_by_meter(store, [m.id for m in chosen], start, end)
    ids, utc, values = _sorted_by_point(hours)  # each point's hours are a slice, not a scan of every row
    out = {}
    for meter in chosen:
        lo, hi = np.searchsorted(ids, meter.id, "left"), np.searchsorted(ids, meter.id, "right")
        first = (start + dt.timedelta(seconds=meter.utc_offset)).date()
        local_end = end + dt.timedelta(seconds=meter.utc_offset)
        last = local_end.date() + (dt.timedelta(days=1) if local_end.time() != dt.time(0) else dt.timedelta(0))
        out[meter.id] = series_cost(
            utc[lo:hi] + np.timedelta64(meter.utc_offset, "s"), values[lo:hi], meter, market, category, (first, last)
        )
    return out


def _sorted_by_point(hours: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows' point ids, UTC hours and kWh as arrays sorted by point (stably: each point's hours in their order)."""
    if hours.empty:
        return np.zeros(0, dtype="int64"), np.zeros(0, dtype="datetime64[s]"), np.zeros(0)
    ids = hours["meter_id"].to_numpy(dtype="int64")
    order = np.argsort(ids, kind="stable")
    utc = pd.to_datetime(hours["ts"], utc=True).dt.tz_localize(None).to_numpy(dtype="datetime64[s]")
    return ids[order], utc[order], hours["value"].to_numpy(dtype="float64")[order]


def marginal_prices(meter: MeterInfo, market: MarketBook, day: dt.date) -> dict[str, dict[str, float]] | None:
    """What one more kWh costs a business point in each zone of the day (₽/kWh without VAT), in the shape of the
    households' zone prices, so that advice prices a saving by the point's own category: the single price (1st), the
    zone prices (2nd), or the mean hourly energy price of the zone's hours plus — in the peak zone — the capacity (and
    for the 4th and 6th the network) charge one kWh in the planned peak hours brings on average. None without prices."""
    category = category_of(meter.organization_kind, meter.price_category) or 1
    sheet = market.sheet(meter.region, day, category, voltage_or_default(meter.voltage_level))
    if sheet is None:
        return None
    zones_of = {"single": ("single",), "two_zone": ("day", "night"), "three_zone": ("peak", "half_peak", "night")}
    if category == 1 and sheet.single is not None:
        rate = sheet.single / 1000
        return {plan: {zone: rate for zone in zones} for plan, zones in zones_of.items()}
    if category == 2:
        z = {k: v / 1000 for k, v in sheet.zones.items()}
        day_rate = z.get("day", (z.get("peak", 0) + z.get("half_peak", 0)) / 2)
        three = {
            "night": z.get("night", 0.0),
            "half_peak": z.get("half_peak", day_rate),
            "peak": z.get("peak", day_rate),
        }
        return {
            "single": {"single": sum(three.values()) / 3},
            "two_zone": {"day": day_rate, "night": three["night"]},
            "three_zone": three,
        }
    month = first_of_month(day)
    workdays = working_days(month, next_month(month)) or [month]
    energy: dict[str, list[float]] = {z: [] for z in ("peak", "half_peak", "night")}
    for d in workdays:
        for hour in range(24):
            energy[zone_of("three_zone", hour)].append(sheet.energy_price(d, hour))
    peaks = market.peaks(meter.region, month)
    planned_hours = sum(hi - lo for lo, hi in (peaks.planned if peaks else ())) or 7
    per_kwh_in_peak = (sheet.capacity or 0.0) / len(workdays) / planned_hours / 1000
    if category in (4, 6):
        network_hours = sum(hi - lo for lo, hi in (peaks.network if peaks and peaks.network else ())) or 13
        per_kwh_in_peak += (sheet.network_capacity or 0.0) / len(workdays) / network_hours / 1000
    losses = (sheet.network_energy or 0.0) / 1000 if category in (4, 6) else 0.0
    three = {z: float(np.mean(v)) / 1000 + losses for z, v in energy.items()}
    three["peak"] += per_kwh_in_peak
    day_rate = (three["peak"] * 7 + three["half_peak"] * 9) / 16
    return {
        "single": {"single": (three["peak"] * 7 + three["half_peak"] * 9 + three["night"] * 8) / 24},
        "two_zone": {"day": day_rate, "night": three["night"]},
        "three_zone": three,
    }


def pricing_facts(meters: Iterable[MeterInfo], book: PriceBook, day: dt.date) -> dict[str, object]:
    """What the roubles shown for these points rest on, for the notes beside them: businesses priced by category
    (without VAT), demo prices, business regions without prices, households priced with another region's tariffs."""
    meters = list(meters)
    business = [m for m in meters if is_business(m)]
    demo = missing = False
    for m in business:
        category = category_of(m.organization_kind, m.price_category) or 1
        sheet = book.market.sheet(m.region, day, category, voltage_or_default(m.voltage_level))
        demo |= bool(sheet is not None and sheet.demo)
        missing |= sheet is None
    households = [m for m in meters if not is_business(m)]
    fallback = sorted({(m.region or "—", book.priced_as(m.region)) for m in households if book.is_fallback(m.region)})
    return {
        "business": bool(business),
        "households": len(business) < len(meters),
        "demo": demo,
        "missing": missing,
        "fallback": fallback,
    }


def peak_points(meters: Iterable[MeterInfo]) -> dict[int, list[MeterInfo]]:
    """The points on the 3rd–6th price category (their capacity is paid by the peak hours), by organization."""
    out: dict[int, list[MeterInfo]] = {}
    for m in meters:
        category = category_of(m.organization_kind, m.price_category)
        if category is not None and category >= 3:
            out.setdefault(m.organization_id, []).append(m)
    return out
