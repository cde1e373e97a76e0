"""The detectors: pure functions from what the product saw to alert events (firing on the way in, resolved on the
way out). Each takes the threshold in force for the organization; ``is_open`` says whether the key fires now, so
a scheduled detector speaks only when something changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from alerts.events import AlertEvent, firing, resolved
from analytics.calendar import is_working_day
from analytics.market import MarketBook
from data.devices import DeviceInfo
from data.meters import MeterInfo

BATTERY_HYSTERESIS = 5.0  # per cent above the threshold before a low battery counts as fixed
IsOpen = Callable[[str], bool]


def _device_fields(d: DeviceInfo, **params: object) -> dict[str, object]:
    return {
        "organization_id": d.organization_id,
        "meter": d.meter_code,
        "link": f"/devices/{d.serial}",
        "params": {"meter": d.meter_code, "meter_name": d.meter_name, "tz": d.timezone, **params},
    }


def device_report(before: DeviceInfo, after: DeviceInfo, battery_threshold: float | None) -> list[AlertEvent]:
    """A state report changed a device: offline ↔ online, an error code, a battery crossing the threshold."""
    events = []
    if after.status == "offline" and before.status != "offline":
        since = before.last_seen.timestamp() if before.last_seen else None
        events.append(firing("device_offline", after.serial, after.serial, **_device_fields(after, since_ts=since)))
    elif after.status == "online" and before.status == "offline":
        events.append(resolved("device_offline", after.serial, after.serial, **_device_fields(after)))
    if after.error_code and after.error_code != before.error_code:
        events.append(
            firing("device_error", after.serial, after.serial, **_device_fields(after, code=after.error_code))
        )
    elif before.error_code and not after.error_code:
        events.append(resolved("device_error", after.serial, after.serial, **_device_fields(after)))
    if battery_threshold is not None and after.battery is not None:
        was_low = before.battery is not None and before.battery < battery_threshold
        fields = _device_fields(after, battery=round(after.battery), threshold=round(battery_threshold))
        if after.battery < battery_threshold and not was_low:
            events.append(firing("battery_low", after.serial, after.serial, **fields))
        elif was_low and after.battery >= battery_threshold + BATTERY_HYSTERESIS:
            events.append(resolved("battery_low", after.serial, after.serial, **fields))
    return events


def device_silent(before: DeviceInfo, status: str) -> list[AlertEvent]:
    """The schedule found a device not heard from for too long."""
    if status != "offline":
        return []
    since = before.last_seen.timestamp() if before.last_seen else None
    return [firing("device_offline", before.serial, before.serial, **_device_fields(before, since_ts=since))]


def _meter_fields(m: MeterInfo, link: str | None = None, **params: object) -> dict[str, object]:
    return {
        "organization_id": m.organization_id,
        "meter": m.code,
        "link": link or f"/consumption?meter={m.code}",
        "params": {"meter": m.code, "meter_name": m.name, "tz": m.timezone, **params},
    }


def reading_flags(meter: MeterInfo, resets: int, clock_fixed: int) -> list[AlertEvent]:
    """Ingestion flagged register resets or corrected timestamps in what it just wrote."""
    events = []
    if resets:
        events.append(firing("register_reset", meter.code, meter.code, **_meter_fields(meter, count=resets)))
    if clock_fixed:
        events.append(firing("clock_problem", meter.code, meter.code, **_meter_fields(meter, count=clock_fixed)))
    return events


def large_correction(
    meter: MeterInfo, day: dt.date, batch: str, partner: str, share: float, old_kwh: float, new_kwh: float
) -> AlertEvent:
    """A partner's batch changed a large share of one local day of a point (a one-shot event)."""
    return firing(
        "large_correction",
        f"{meter.code}:{day.isoformat()}:{batch}",
        meter.code,
        **_meter_fields(
            meter,
            link=f"/consumption?meter={meter.code}&from={day.isoformat()}&to={day.isoformat()}&step=30min",
            day=day.strftime("%d.%m.%Y"),
            batch=batch,
            partner=partner,
            share=round(share * 100),
            old_kwh=round(old_kwh, 1),
            new_kwh=round(new_kwh, 1),
        ),
    )


def data_gap(
    meter: MeterInfo, last: dt.datetime | None, hours: float, now: dt.datetime, is_open: IsOpen
) -> AlertEvent | None:
    """No readings for more than ``hours``; back when a reading arrives."""
    silent = last is None or now - last > dt.timedelta(hours=hours)
    key = f"no_readings:{meter.code}"
    fields = _meter_fields(meter, hours=round(hours), since_ts=last.timestamp() if last else None)
    if silent and not is_open(key):
        return firing("no_readings", meter.code, meter.code, **fields)
    if not silent and is_open(key):
        return resolved("no_readings", meter.code, meter.code, **fields)
    return None


def unusual(meter: MeterInfo, hours: pd.DataFrame, needed: int, is_open: IsOpen) -> AlertEvent | None:
    """The last ``needed`` complete hours all above (or all below) the forecast's 80 % band; back when the last
    ``needed`` hours are all inside. ``hours``: ``actual``, ``value``, ``lower``, ``upper`` by hour, oldest first."""
    last = hours.dropna(subset=["actual", "lower", "upper"]).tail(needed)
    if len(last) < needed:
        return None
    above = bool((last["actual"] > last["upper"]).all())
    below = bool((last["actual"] < last["lower"]).all())
    inside = bool(((last["actual"] >= last["lower"]) & (last["actual"] <= last["upper"])).all())
    key = f"unusual_consumption:{meter.code}"
    newest = last.iloc[-1]
    fields = _meter_fields(
        meter,
        f"/forecast?meter={meter.code}",
        hours=needed,
        direction="выше" if above else "ниже",
        actual=round(float(newest["actual"]), 2),
        forecast=round(float(newest["value"]), 2),
    )
    if (above or below) and not is_open(key):
        return firing("unusual_consumption", meter.code, meter.code, **fields)
    if inside and is_open(key):
        return resolved("unusual_consumption", meter.code, meter.code, **fields)
    return None


def over_budget(
    organization_id: int, name: str, projected: str, budget: str, share: float | None, is_open: IsOpen
) -> AlertEvent | None:
    if share is None:
        return None
    key = f"over_budget:{organization_id}"
    fields = {
        "organization_id": organization_id,
        "link": "/forecast",
        "params": {"projected": projected, "budget": budget, "share": round(share * 100)},
    }
    if share > 1.0 and not is_open(key):
        return firing("over_budget", str(organization_id), name, **fields)
    if share <= 1.0 and is_open(key):
        return resolved("over_budget", str(organization_id), name, **fields)
    return None


def partner_feed(slug: str, problem: str | None, since: dt.datetime | None, is_open: IsOpen) -> AlertEvent | None:
    """A pull partner silent for too long, or whose last poll failed (``problem`` says which)."""
    key = f"partner_feed:{slug}"
    fields = {
        "link": "/partners",
        "params": {"reason": problem or "", "since_ts": since.timestamp() if since else None},
    }
    if problem and not is_open(key):
        return firing("partner_feed", slug, slug, **fields)
    if not problem and is_open(key):
        return resolved("partner_feed", slug, slug, **fields)
    return None


def dead_letters(count: int, threshold: float, is_open: IsOpen) -> AlertEvent | None:
    """More records rejected in the last hour than the threshold."""
    key = "dlq_growth:all"
    fields = {"link": "/partners", "params": {"count": count, "threshold": round(threshold)}}
    if count > threshold and not is_open(key):
        return firing("dlq_growth", "all", "dead letters", **fields)
    if count <= threshold and is_open(key):
        return resolved("dlq_growth", "all", "dead letters", **fields)
    return None


def peak_notice(
    organization_id: int,
    points: list[MeterInfo],
    market: MarketBook,
    now: dt.datetime,
    from_hour: int,
    is_open: IsOpen,
) -> AlertEvent | None:
    """Tomorrow's planned peak hours, told once on the evening before a working day (the points' local time)."""
    lead = points[0]
    local = now + dt.timedelta(seconds=lead.utc_offset)
    tomorrow = local.date() + dt.timedelta(days=1)
    if local.hour < from_hour or not is_working_day(tomorrow):
        return None
    key = f"{organization_id}:{tomorrow.isoformat()}"
    if is_open(f"peak_hours:{key}"):
        return None
    peaks = market.peaks(lead.region, tomorrow)
    sheet = market.sheet(lead.region, tomorrow, lead.price_category or 3, lead.voltage_level or "НН")
    if peaks is None or not peaks.planned:
        return None
    hours = ", ".join(f"{lo}:00–{hi}:00" for lo, hi in peaks.planned)
    saving = round((sheet.capacity or 0.0) / 1000) if sheet is not None else 0
    return firing(
        "peak_hours",
        key,
        lead.organization_name,
        organization_id=organization_id,
        link="/recommendations",
        severity="info",
        params={
            "hours": hours,
            "day": tomorrow.strftime("%d.%m.%Y"),
            "zone": lead.timezone,
            "tz": lead.timezone,
            "points": ", ".join(p.code for p in points[:5]) + ("…" if len(points) > 5 else ""),
            "saving": saving,
        },
    )
