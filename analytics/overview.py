"""The overview of an organization: today and this month in kWh and roubles, comparisons, top points,
data health and the alerts that need attention."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np

from analytics.coarse import CoarseUse, by_meter, share
from analytics.consumption import period_cost, shifted
from analytics.quality import Quality, quality_by_meter
from analytics.series import local_date
from analytics.tariffs import PriceBook
from caching.answers import cached_for_points
from data.clickhouse.readings import group_series, latest_timestamps, meter_totals, quality_inputs
from data.clickhouse.store import AnalyticsStore
from data.relational.devices import DeviceInfo
from data.relational.meters import MeterInfo
from data.services import Services

_POOL = ThreadPoolExecutor(max_workers=6, thread_name_prefix="overview")
TOP_POINTS = 5
QUALITY_WINDOW = dt.timedelta(days=30)
LOW_BATTERY = 20.0  # per cent


@dataclass(frozen=True)
class Alert:
    kind: str  # device_offline | device_stale | device_error | low_battery | poor_data
    severity: str  # danger | warning
    subject: str  # a device serial or a metering point code
    at: dt.datetime | None
    detail: str = ""


@dataclass(frozen=True)
class Overview:
    today_kwh: float
    today_rub: float
    month_kwh: float
    month_rub: float
    previous_month_kwh: float  # the same days of the month before
    last_year_kwh: float  # the same days a year earlier
    top: list[tuple[MeterInfo, float, float]]  # point, kWh this month, share of the total
    quality: dict[int, Quality]
    devices: dict[str, int] = field(default_factory=dict)  # status -> count
    alerts: list[Alert] = field(default_factory=list)
    by_hand_kwh: float = 0.0  # of month_kwh: the part of points read by hand, spread over their periods' days


def has_interval_data(services: Services, meters: Sequence[MeterInfo]) -> bool:
    """Whether any of these points has interval readings stored (a new organization's first run lasts until one
    has): asked of ClickHouse once per data version of their organizations, not on every visit to the overview."""
    ids = [m.id for m in meters]
    if not ids:
        return False
    return cached_for_points(services, "has data", meters, (), lambda: bool(latest_timestamps(services.store, ids)))


def overview(
    services: Services,
    meters: list[MeterInfo],
    devices: list[DeviceInfo],
    book: PriceBook,
    now: dt.datetime,
    coarse: Sequence[CoarseUse] = (),
) -> Overview:
    """``meters``: the points the caller may see; ``coarse``: the periods of points read by hand — the month and its
    comparisons count the part of each period that falls inside them (today does not: a reading says nothing of one
    day). What the readings say is computed once per data version and hour, shared by every user who sees the same
    points (an administrators' overview of several organizations: each organization's, summed); the devices' state
    is read afresh."""
    figures = _figures(services, meters, book, now, coarse)
    counts: dict[str, int] = {"online": 0, "stale": 0, "offline": 0}
    for d in devices:
        counts[d.status] = counts.get(d.status, 0) + 1
    return replace(figures, devices=counts, alerts=alerts(meters, devices, figures.quality))


def _figures(
    services: Services, meters: list[MeterInfo], book: PriceBook, now: dt.datetime, coarse: Sequence[CoarseUse]
) -> Overview:
    """The readings' figures of these points. Over several organizations (the administrators' overview) they are the
    sum of each organization's, each kept under the key its own readers' overview uses: one organization's new
    readings recompute that organization's figures, not those of every point (10,021 of them in ``bench.warming``)."""
    by_organization: dict[int, list[MeterInfo]] = {}
    for m in meters:
        by_organization.setdefault(m.organization_id, []).append(m)
    if len(by_organization) > 1:
        parts = []
        for points in by_organization.values():
            ids = {m.id for m in points}
            parts.append(_figures(services, points, book, now, [c for c in coarse if c.meter_id in ids]))
        return combined(parts)
    return cached_for_points(
        services,
        "overview",
        meters,
        (now.strftime("%Y-%m-%dT%H"), tuple(coarse)),
        lambda: readings_figures(services.store, meters, book, now, coarse),
    )


def combined(parts: Sequence[Overview]) -> Overview:
    """The figures of several organizations' points as one: their sums, the largest points of them all (with their
    share of the whole) and every point's data quality. Each organization's day and month are its own points' local
    ones."""
    month_kwh = sum(p.month_kwh for p in parts)
    largest = sorted((item for p in parts for item in p.top), key=lambda item: -item[1])[:TOP_POINTS]
    return Overview(
        today_kwh=sum(p.today_kwh for p in parts),
        today_rub=sum(p.today_rub for p in parts),
        month_kwh=month_kwh,
        month_rub=sum(p.month_rub for p in parts),
        previous_month_kwh=sum(p.previous_month_kwh for p in parts),
        last_year_kwh=sum(p.last_year_kwh for p in parts),
        top=[(m, value, value / month_kwh if month_kwh else 0.0) for m, value, _share in largest],
        quality={meter_id: q for p in parts for meter_id, q in p.quality.items()},
        by_hand_kwh=sum(p.by_hand_kwh for p in parts),
    )


def readings_figures(
    store: AnalyticsStore, meters: list[MeterInfo], book: PriceBook, now: dt.datetime, coarse: Sequence[CoarseUse] = ()
) -> Overview:
    """The overview's figures from the readings alone (no devices, no alerts)."""
    ids = [m.id for m in meters]
    offset = meters[0].utc_offset if meters else 0
    today = local_date(now, offset)
    month_start = today.replace(day=1)
    tomorrow = today + dt.timedelta(days=1)
    day_start = _utc_midnight(today, offset)
    month_start_at = _utc_midnight(month_start, offset)

    def kwh(lo: dt.datetime, hi: dt.datetime) -> float:
        if not ids:
            return 0.0
        days = group_series(store, ids, local_date(lo, offset), local_date(hi, offset), "day")
        return float(np.nansum(days["value"]))

    month_end_at = _utc_midnight(tomorrow, offset)
    previous_start = _utc_midnight(_month_before(month_start), offset)
    previous = (previous_start, min(previous_start + (month_end_at - month_start_at), month_start_at))
    year = shifted(month_start_at, month_end_at, "year")
    def cost(lo: dt.datetime, hi: dt.datetime) -> float:
        return period_cost(store, meters, lo, hi, book) if ids else 0.0

    # The figures are independent queries: asked side by side, the card waits for the slowest, not for their sum.
    top_month = _POOL.submit(top_points, store, meters, now, by_meter(coarse, month_start_at, month_end_at))
    inputs = _POOL.submit(quality_inputs, store, ids, now - QUALITY_WINDOW, now)
    today_rub, month_rub = _POOL.submit(cost, day_start, month_end_at), _POOL.submit(cost, month_start_at, month_end_at)
    before, last_year = _POOL.submit(kwh, *previous), _POOL.submit(kwh, *year)
    today_kwh = kwh(day_start, month_end_at)
    top, month_kwh = top_month.result()
    windows = ((month_start_at, month_end_at), previous, year)
    month, before_hand, year_hand = (share(coarse, lo, hi) for lo, hi in windows)
    return Overview(
        today_kwh=today_kwh,
        today_rub=today_rub.result(),
        month_kwh=month_kwh,
        month_rub=month_rub.result() + month.rub,
        previous_month_kwh=before.result() + before_hand.kwh,
        last_year_kwh=last_year.result() + year_hand.kwh,
        top=top,
        quality=quality_by_meter(inputs.result(), ids, QUALITY_WINDOW),
        by_hand_kwh=month.kwh,
    )


def top_points(
    store: AnalyticsStore, meters: list[MeterInfo], now: dt.datetime, by_hand: dict[int, float] | None = None
) -> tuple[list[tuple[MeterInfo, float, float]], float]:
    """The largest points this month (point, kWh, share of the total) and the month's total so far; ``by_hand``:
    the month's kWh of points read by hand, by point."""
    today = local_date(now, meters[0].utc_offset if meters else 0)
    totals = meter_totals(store, [m.id for m in meters], today.replace(day=1), today + dt.timedelta(days=1))
    for meter_id, value in (by_hand or {}).items():
        totals[meter_id] = totals.get(meter_id, 0.0) + value
    month_kwh = sum(totals.values())
    by_meter = {m.id: m for m in meters}
    top = [
        (by_meter[mid], value, value / month_kwh if month_kwh else 0.0)
        for mid, value in sorted(totals.items(), key=lambda kv: -kv[1])[:TOP_POINTS]
    ]
    return top, month_kwh


def alerts(meters: list[MeterInfo], devices: list[DeviceInfo], quality: dict[int, Quality]) -> list[Alert]:
    """What needs attention now, the most serious and the most recent first."""
    found: list[Alert] = []
    for d in devices:
        if d.status in ("offline", "stale"):
            severity = "danger" if d.status == "offline" else "warning"
            found.append(Alert(f"device_{d.status}", severity, d.serial, d.last_seen))
        if d.error_code:
            found.append(Alert("device_error", "danger", d.serial, d.last_seen, d.error_code))
        if d.battery is not None and d.battery < LOW_BATTERY:
            found.append(Alert("low_battery", "warning", d.serial, d.last_seen, f"{d.battery:.0f} %"))
    for m in meters:
        q = quality.get(m.id)
        if q is not None and q.grade == "poor":
            found.append(Alert("poor_data", "warning", m.code, q.last_reading, f"{q.completeness:.0%}"))
    found.sort(key=lambda a: (a.severity != "danger", -a.at.timestamp() if a.at else 0.0))
    return found


def _utc_midnight(day: dt.date, utc_offset: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), dt.UTC) - dt.timedelta(seconds=utc_offset)


def _month_before(month_start: dt.date) -> dt.date:
    return (month_start - dt.timedelta(days=1)).replace(day=1)
