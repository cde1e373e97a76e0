"""The detectors: pure functions from what the product saw to alert events (firing on the way in, resolved on the
way out). Each takes the threshold in force for the organization; ``is_open`` says whether the key fires now, so
a scheduled detector speaks only when something changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from alerts.events import AlertEvent, firing, resolved
from analytics.calendar import is_working_day
from analytics.market import MarketBook
from analytics.tariffs import cost_by_local_hour
from data.relational.devices import DeviceInfo
from data.relational.meters import MeterInfo

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


REMIND_AHEAD_DAYS = 2  # how long before the supplier's window the reminder comes


def reading_due(
    meter: MeterInfo, last: dt.datetime | None, days: tuple[int, int], now: dt.datetime, is_open: IsOpen
) -> list[AlertEvent]:
    """A point read by hand, in its local month: from two days before the supplier's window (``days``: its first
    and last day of the month) until its last day, remind the owner while no reading was taken since the reminder's
    first day; done when one is, or when the window closes. One alert per point and month (last month's, if still
    open, is closed)."""
    zone = ZoneInfo(meter.timezone)
    today = now.astimezone(zone).date()
    month_end = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    opens = today.replace(day=min(days[0], month_end.day))
    closes = today.replace(day=min(days[1], month_end.day))
    remind_from = opens - dt.timedelta(days=REMIND_AHEAD_DAYS)
    taken = last is not None and last.astimezone(zone).date() >= remind_from
    key = f"{meter.code}:{today:%Y-%m}"
    fields = _meter_fields(
        meter,
        f"/consumption?meter={meter.code}",
        opens=opens.strftime("%d.%m"),
        closes=closes.strftime("%d.%m"),
        last=last.astimezone(zone).strftime("%d.%m.%Y") if last else "—",
    )
    due = remind_from <= today <= closes and not taken
    before = f"{meter.code}:{today.replace(day=1) - dt.timedelta(days=1):%Y-%m}"
    events = [resolved("reading_due", before, meter.code, **fields)] if is_open(f"reading_due:{before}") else []
    if due and not is_open(f"reading_due:{key}"):
        events.append(firing("reading_due", key, meter.code, **fields))
    if not due and is_open(f"reading_due:{key}"):
        events.append(resolved("reading_due", key, meter.code, **fields))
    return events


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
        direction="above" if above else "below",
        actual=round(float(newest["actual"]), 2),
        forecast=round(float(newest["value"]), 2),
    )
    if (above or below) and not is_open(key):
        return firing("unusual_consumption", meter.code, meter.code, **fields)
    if inside and is_open(key):
        return resolved("unusual_consumption", meter.code, meter.code, **fields)
    return None


def over_budget(
    organization_id: int, name: str, projected: float, budget: float, unit: str, share: float | None, is_open: IsOpen
) -> AlertEvent | None:
    """The month-end projection against the budget, both in ``unit`` (``rub`` or ``kwh``)."""
    if share is None:
        return None
    key = f"over_budget:{organization_id}"
    fields = {
        "organization_id": organization_id,
        "link": "/forecast",
        "params": {"projected": round(projected), "budget": round(budget), "unit": unit, "share": round(share * 100)},
    }
    if share > 1.0 and not is_open(key):
        return firing("over_budget", str(organization_id), name, **fields)
    if share <= 1.0 and is_open(key):
        return resolved("over_budget", str(organization_id), name, **fields)
    return None


def partner_feed(
    slug: str, problem: str | None, since: dt.datetime | None, is_open: IsOpen, minutes: float | None = None
) -> AlertEvent | None:
    """A pull partner silent for too long (``problem`` ``no_poll``, for ``minutes``), or whose last poll failed
    (``problem``: the failure as the poll reported it)."""
    key = f"partner_feed:{slug}"
    params = {"reason": problem or "", "since_ts": since.timestamp() if since else None}
    fields = {"link": "/partners", "params": params | ({"minutes": round(minutes)} if minutes is not None else {})}
    if problem and not is_open(key):
        return firing("partner_feed", slug, slug, **fields)
    if not problem and is_open(key):
        return resolved("partner_feed", slug, slug, **fields)
    return None


def weather_feed(place: str, problem: str | None, since: dt.datetime | None, is_open: IsOpen) -> AlertEvent | None:
    """A place whose temperatures have not been fetched for too long (``problem``: the last pull's failure, or
    ``no_new_data``)."""
    key = f"weather_feed:{place}"
    fields = {"link": "/admin", "params": {"reason": problem or "", "since_ts": since.timestamp() if since else None}}
    if problem and not is_open(key):
        return firing("weather_feed", place, place, **fields)
    if not problem and is_open(key):
        return resolved("weather_feed", place, place, **fields)
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


SUSTAINED_DAYS = 3  # whole local days in a row beyond what the point's own days explain
REFERENCE_DAYS = (14, 42)  # a day is compared with the comparable days this many days before it
HISTORY_WEEKS = 10  # the ratios of the weeks before show how far a day wanders on its own (weather, chance)
MIN_CHANGE_SHARE = 0.15  # a change smaller than this share of the reference is not worth an alert
# A change no single day shows (a household whose days wander as much as the change): the last 3–7 days together,
# each above the usual upper quarter of days, beyond how far such stretches of the ten weeks before went; 20 % at least.
RUN_QUANTILE = 0.99  # of the history's means over as many days in a row
DAY_FLOOR_QUANTILE = 0.75  # every day of the stretch above this quantile of the history's days
RUN_DAYS_AT_MOST = 7
MIN_RUN_CHANGE_SHARE = 0.20


@dataclass(frozen=True)
class SustainedChange:
    """Consumption beyond what the point's own comparable days explain, ``days`` whole days in a row up to yesterday."""

    since: dt.date
    days: int
    excess_kwh: float  # above the reference days' profile over those days
    cost_rub: float  # what that excess cost so far, at the point's prices
    share: float  # the excess as a share of the reference


def sustained_change(
    hourly: pd.DataFrame,
    prices: dict,
    plan: str,
    today: dt.date,
    needed_days: int = SUSTAINED_DAYS,
) -> SustainedChange | None:
    """A change that has lasted — not the hours above an 80 % band that such a band yields by design, and not a
    forecast that has already followed the change. Each whole day is compared with the median of the comparable days
    (working or not) two to six weeks before it; the ratios of the previous ten weeks show how far a day wanders on
    its own (weather spells included). When each of the last ``needed_days`` or more days is above the 95th percentile
    of those ratios — or, for a change smaller than a day's own wander, when those days together stand beyond every
    stretch of as many days before (:func:`_run_beyond_history`) — the energy above the reference days' hourly profile
    is the change, priced hour by hour so far."""
    data = hourly.dropna(subset=["value"])
    if data.empty:
        return None
    stamps = pd.to_datetime(data["ts"])
    frame = pd.DataFrame({"day": stamps.dt.date, "hour": stamps.dt.hour, "value": data["value"].to_numpy()})
    frame = frame[frame["day"] < today]
    counts = frame.groupby("day")["value"].count()
    totals = frame.groupby("day")["value"].sum()[counts >= 20]
    if len(totals) < 7 * HISTORY_WEEKS:
        return None
    working = {d: is_working_day(d) for d in totals.index}
    ratio: dict[dt.date, float] = {}
    reference: dict[dt.date, list[dt.date]] = {}
    for day in totals.index[-(7 * HISTORY_WEEKS + 14):]:
        lo, hi = day - dt.timedelta(days=REFERENCE_DAYS[1]), day - dt.timedelta(days=REFERENCE_DAYS[0])
        same = [d for d in totals.index if lo <= d < hi and working[d] == working[day]]
        if len(same) < 4:
            continue
        base = float(np.median(totals[same]))
        if base > 0:
            ratio[day], reference[day] = float(totals[day]) / base, same
    days = sorted(ratio)
    recent, history = days[-14:], days[:-14]
    if len(history) < 30:
        return None
    threshold = float(np.quantile([ratio[d] for d in history], 0.95))
    run = 0
    for day in reversed(recent):
        if ratio[day] <= threshold:
            break
        run += 1
    days_of = _Days(frame, ratio, reference, history, recent)
    found = _priced_change(days_of, run, needed_days, MIN_CHANGE_SHARE, plan, prices)
    if found is None:  # no single day says it: the days together may
        run = _run_beyond_history([ratio[d] for d in history], [ratio[d] for d in recent], needed_days)
        found = _priced_change(days_of, run, needed_days, MIN_RUN_CHANGE_SHARE, plan, prices)
    return found


@dataclass(frozen=True)
class _Days:
    frame: pd.DataFrame  # day, hour, value: the whole days before today
    ratio: dict[dt.date, float]  # a day's total against its reference days' median
    reference: dict[dt.date, list[dt.date]]  # the comparable days two to six weeks before it
    history: list[dt.date]  # the ten weeks that show how far a day wanders
    recent: list[dt.date]  # the last two weeks, where a change is looked for


def _priced_change(
    days: _Days, run: int, needed_days: int, least_share: float, plan: str, prices: dict
) -> SustainedChange | None:
    """The change made by the last ``run`` days, priced, if it still lasts ``needed_days`` once trimmed and is at
    least ``least_share`` of the reference."""
    ratio, recent = days.ratio, days.recent
    # A day just before the change that the noise lifted over the threshold is not part of it: the change is the days
    # nearer its own level than the usual one (a 60 % rise counts from the first day above +30 %).
    usual = float(np.median([ratio[d] for d in days.history]))
    level = float(np.median([ratio[d] for d in recent[-run:]])) if run else usual
    while run > 0 and ratio[recent[-run]] < (usual + level) / 2:
        run -= 1
    if run < needed_days:
        return None
    changed = recent[-run:]
    # The reference days lie weeks back: the days just before the change say how far the level has drifted since
    # (the season, the weather), and the reference is carried over by that much.
    before_run = [d for d in sorted(ratio) if d < changed[0]][-10:]
    drift = float(np.median([ratio[d] for d in before_run])) if before_run else 1.0
    frame = days.frame
    excess_rows, hours_rows = [], []
    reference_kwh = 0.0
    for day in changed:
        hours_of = frame[frame["day"].isin(days.reference[day])].groupby("hour")["value"]
        profile = hours_of.median().reindex(range(24)) * drift
        actual = frame[frame["day"] == day].set_index("hour")["value"].reindex(range(24))
        excess_rows.append((actual - profile).fillna(0).to_numpy())  # not clipped per hour: noise would add up
        hours_rows.append(np.arange(24))
        reference_kwh += float(profile.sum())
    excess = np.concatenate(excess_rows)
    if reference_kwh <= 0 or float(excess.sum()) < least_share * reference_kwh:
        return None
    cost = max(0.0, cost_by_local_hour(np.concatenate(hours_rows), excess, plan, prices))
    return SustainedChange(
        since=changed[0],
        days=run,
        excess_kwh=round(max(0.0, float(excess.sum())), 2),
        cost_rub=round(cost, 2),
        share=round(max(0.0, float(excess.sum())) / reference_kwh, 4),
    )


def _run_beyond_history(history: list[float], recent: list[float], needed_days: int) -> int:
    """How many of the last days make a change together (0: none): the longest stretch of ``needed_days`` to
    :data:`RUN_DAYS_AT_MOST` last days, each above the history's upper quarter, whose mean (of log ratios) is beyond
    the :data:`RUN_QUANTILE` of the history's means over as many days in a row; then as far back as the days before
    it stay above that quarter."""
    past, last = np.log(history), np.log(recent)
    floor = float(np.quantile(past, DAY_FLOOR_QUANTILE))
    run = 0
    for k in range(needed_days, min(RUN_DAYS_AT_MOST, len(last)) + 1):
        if (last[-k:] <= floor).any():
            break
        stretches = np.convolve(past, np.ones(k) / k, mode="valid")
        if float(last[-k:].mean()) > float(np.quantile(stretches, RUN_QUANTILE)):
            run = k
    while 0 < run < len(last) and last[-run - 1] > floor:
        run += 1
    return run


def sustained_event(meter: MeterInfo, change: SustainedChange | None, is_open: IsOpen) -> AlertEvent | None:
    key = f"sustained_change:{meter.code}"
    if change is not None and not is_open(key):
        return firing(
            "sustained_change",
            meter.code,
            meter.code,
            **_meter_fields(
                meter,
                f"/consumption?meter={meter.code}&step=day",
                since=change.since.strftime("%d.%m.%Y"),
                days=change.days,
                excess=round(change.excess_kwh, 1),
                share=round(change.share * 100),
                cost=round(change.cost_rub),
            ),
        )
    if change is None and is_open(key):
        fields = _meter_fields(meter, f"/consumption?meter={meter.code}")
        return resolved("sustained_change", meter.code, meter.code, **fields)
    return None
