"""Running the detectors where their input appears, and publishing what they find to the alerts topic.

- device-state reports, as the ingestion consumer applies them (``on_device_reports``);
- devices the schedule found silent (``on_devices_marked``);
- readings the consumer wrote with register resets or corrected clocks (``on_readings_written``);
- every few minutes (``evaluate``): points without readings, consumption outside the forecast band, month-end
  projections above budget, pull partners silent or failing, the dead-letter topic growing, and one-shot alerts
  a day old (resolved).
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from prometheus_client import Gauge

from alerts import detectors
from alerts.detectors import IsOpen
from alerts.events import AlertEvent, publish, resolved
from alerts.kinds import KINDS
from analytics.business import is_business, marginal_prices, peak_points
from analytics.series import to_local
from data.clickhouse import forecasts as stored
from data.clickhouse.readings import Written, hourly_by_meter, latest_timestamps
from data.messaging import broker
from data.queue import progress
from data.relational import alert_settings, alerts, budgets
from data.relational import partners as partners_repo
from data.relational.devices import DeviceInfo, mark_stale
from data.relational.meters import MeterInfo, created_times, list_meters, list_organizations, meters_by_ids
from data.relational.register_readings import latest_readings, manual_ids
from data.services import Services
from forecasting.actions import projection_of
from partners.config import partner_config
from pricing.book import market_book, price_book
from weather.pull import freshness as weather_freshness

log = logging.getLogger(__name__)

ONE_SHOT_FOR = dt.timedelta(days=1)
MAX_BACKLOG = 1000  # readings messages the ingestion group has not committed: above it, silence cannot be judged
DEAD_LETTERS = Gauge("wattboard_dead_letters", "Records in the dead-letter topic", multiprocess_mode="mostrecent")
DLQ_WINDOW_S = 3600.0


class Rules:
    """Each organization's thresholds, defaulting to the kind's."""

    def __init__(self, services: Services, organization_ids: list[int | None]) -> None:
        self._rules = alert_settings.rules(services.db, sorted({o for o in organization_ids if o is not None}))

    def threshold(self, organization_id: int | None, kind: str) -> float | None:
        """The threshold in force, or None when the organization switched the kind off."""
        enabled, value = self._rules.get((organization_id, kind), (True, None)) if organization_id else (True, None)
        if not enabled:
            return None
        return value if value is not None else KINDS[kind].threshold

    def enabled(self, organization_id: int | None, kind: str) -> bool:
        return self._rules.get((organization_id, kind), (True, None))[0] if organization_id else True


def on_device_reports(services: Services, changes: list[tuple[DeviceInfo, DeviceInfo]]) -> list[AlertEvent]:
    rules = Rules(services, [after.organization_id for _, after in changes])
    events = []
    for before, after in changes:
        found = detectors.device_report(before, after, rules.threshold(after.organization_id, "battery_low"))
        events += [e for e in found if rules.enabled(after.organization_id, e.kind)]
    publish(services, events)
    return events


def mark_silent_devices(
    services: Services, now: dt.datetime, stale_after: dt.timedelta, offline_after: dt.timedelta
) -> dict[str, int]:
    """Devices not heard from turn stale, then offline (raising their alerts); returns how many of each."""
    changed = mark_stale(services.db, now, stale_after, offline_after)
    if changed:
        on_devices_marked(services, changed)
    return {"stale": sum(s == "stale" for _, s in changed), "offline": sum(s == "offline" for _, s in changed)}


def on_devices_marked(services: Services, changed: list[tuple[DeviceInfo, str]]) -> list[AlertEvent]:
    rules = Rules(services, [before.organization_id for before, _ in changed])
    events = [
        e
        for before, status in changed
        for e in detectors.device_silent(before, status)
        if rules.enabled(before.organization_id, e.kind)
    ]
    publish(services, events)
    return events


def on_readings_written(services: Services, written: Written) -> list[AlertEvent]:
    flagged = sorted(set(written.resets) | set(written.clock_fixed))
    if not flagged:
        return []
    meters = meters_by_ids(services.db, flagged)
    rules = Rules(services, [m.organization_id for m in meters])
    events = [
        e
        for m in meters
        for e in detectors.reading_flags(m, written.resets.get(m.id, 0), written.clock_fixed.get(m.id, 0))
        if rules.enabled(m.organization_id, e.kind)
    ]
    publish(services, events)
    return events


def evaluate(services: Services, now: dt.datetime | None = None) -> dict[str, int]:
    """The scheduled detectors; returns how many events each published."""
    now = now or dt.datetime.now(dt.UTC)
    open_keys = alerts.open_keys(services.db, tuple(KINDS))

    def is_open(key: str) -> bool:
        return key in open_keys

    meters = list_meters(services.db, None)
    manual = manual_ids(services.db)  # read by hand: never silent, reminded instead
    rules = Rules(services, [m.organization_id for m in meters])
    found: dict[str, list[AlertEvent]] = {
        "no_readings": _gaps(services, [m for m in meters if m.id not in manual], rules, now, is_open),
        "reading_due": _readings_due(services, [m for m in meters if m.id in manual], rules, now, is_open),
        "unusual_consumption": _unusual(services, meters, rules, now, is_open),
        "over_budget": _budgets(services, rules, now, is_open),
        "partner_feed": _partners(services, now, is_open),
        "weather_feed": _weather(services, meters, now, is_open),
        "dlq_growth": _dead_letters(services, now, is_open),
        "peak_hours": _peak_hours(services, meters, rules, now, is_open),
        "sustained_change": _sustained(services, meters, rules, now, is_open),
        "one_shot": _one_shots_done(services, now),
    }
    events = [e for group in found.values() for e in group]
    publish(services, events)
    return {name: len(group) for name, group in found.items()}


def _gaps(
    services: Services, meters: list[MeterInfo], rules: Rules, now: dt.datetime, is_open: IsOpen
) -> list[AlertEvent]:
    """Silence is only judged when ingestion has caught up: with a backlog on the broker, the readings may be
    there, just not stored yet. A point that never sent anything is silent once it is older than the threshold."""
    try:
        backlog = broker.group_lag(services.broker_address, services.topics.readings, broker.INGEST_GROUP)
    except Exception as exc:  # the broker is down: Prometheus alerts on that
        log.warning("ingestion backlog unknown (%s): no-readings alerts wait", exc)
        return []
    if backlog > MAX_BACKLOG:
        log.info("%d readings messages not stored yet: no-readings alerts wait", backlog)
        return []
    latest = latest_timestamps(services.store, [m.id for m in meters])
    created = created_times(services.db, [m.id for m in meters])
    events = []
    for m in meters:
        hours = rules.threshold(m.organization_id, "no_readings")
        if hours is None:
            continue
        last = latest.get(m.id)
        last = last.replace(tzinfo=dt.UTC) if last is not None and last.tzinfo is None else last
        born = created.get(m.id)
        if last is None and born is not None and now - born < dt.timedelta(hours=hours):
            continue
        event = detectors.data_gap(m, last, hours, now, is_open)
        if event is not None:
            events.append(event)
    return events


def _readings_due(
    services: Services, meters: list[MeterInfo], rules: Rules, now: dt.datetime, is_open: IsOpen
) -> list[AlertEvent]:
    last = latest_readings(services.db, [m.id for m in meters])
    days = services.settings.reading_days()
    found = [e for m in meters for e in detectors.reading_due(m, last.get(m.id), days, now, is_open)]
    return [e for e in found if e.state == "resolved" or rules.enabled(e.organization_id, "reading_due")]


def _unusual(
    services: Services, meters: list[MeterInfo], rules: Rules, now: dt.datetime, is_open: IsOpen
) -> list[AlertEvent]:
    thresholds = {m.id: rules.threshold(m.organization_id, "unusual_consumption") for m in meters}
    wanted = {mid: int(h) for mid, h in thresholds.items() if h}
    if not wanted:
        return []
    end = now.replace(minute=0, second=0, microsecond=0)  # complete hours only
    start = end - dt.timedelta(hours=max(wanted.values()) + 1)
    ids = list(wanted)
    actual = hourly_by_meter(services.store, ids, start, end).rename(columns={"value": "actual"})
    band = stored.stored_steps_of_meters(services.store, ids, start, end)
    if band.empty:
        return []
    joined = band.merge(actual, on=["meter_id", "ts"], how="left").sort_values(["meter_id", "ts"])
    by_id = {m.id: m for m in meters}
    events = []
    for meter_id, hours in joined.groupby("meter_id"):
        event = detectors.unusual(by_id[int(meter_id)], hours, wanted[int(meter_id)], is_open)
        if event is not None:
            events.append(event)
    return events


def _budgets(services: Services, rules: Rules, now: dt.datetime, is_open: IsOpen) -> list[AlertEvent]:

    events = []
    for org_id, name in list_organizations(services.db):
        budget = budgets.get_budget(services.db, org_id)
        if budget is None or not rules.enabled(org_id, "over_budget"):
            if is_open(f"over_budget:{org_id}"):
                events.append(resolved("over_budget", str(org_id), name, organization_id=org_id, link="/forecast"))
            continue
        projection = projection_of(services, org_id, now)
        if projection is None:
            continue
        projected = projection.rub if budget[1] == "rub" else projection.kwh
        event = detectors.over_budget(
            org_id, name, projected, float(budget[0]), budget[1], projection.budget_share, is_open
        )
        if event is not None:
            events.append(event)
    return events


def _partners(services: Services, now: dt.datetime, is_open: IsOpen) -> list[AlertEvent]:
    threshold = KINDS["partner_feed"].threshold or 3.0
    events = []
    for partner in partners_repo.list_partners(services.db):
        pull = partner_config(partner).pull
        if pull is None or not partner.enabled:
            continue
        last = partner.last_polled_at
        last = last.replace(tzinfo=dt.UTC) if last is not None and last.tzinfo is None else last
        interval = dt.timedelta(seconds=(pull.interval_s or 900) * threshold)
        problem, minutes = None, None
        if last is None or now - last > interval:
            problem, minutes = "no_poll", interval.total_seconds() / 60
        else:
            latest = partners_repo.batches(services.db, partner.id, limit=1)
            if latest and latest[0].error:
                problem = latest[0].error[:300]
        event = detectors.partner_feed(partner.slug, problem, last, is_open, minutes)
        if event is not None:
            events.append(event)
    return events


def _weather(services: Services, meters: list[MeterInfo], now: dt.datetime, is_open: IsOpen) -> list[AlertEvent]:
    """Places whose temperatures were fetched once and have not been for ``weather.pull.STALE_AFTER``."""
    if not services.weather_url:
        return []
    events = []
    for fresh in weather_freshness(services, now, meters):
        problem = (fresh.failure or "no_new_data") if fresh.stale else None
        event = detectors.weather_feed(fresh.name, problem, fresh.fetched_at, is_open)
        if event is not None:
            events.append(event)
    return events


def _dead_letters(services: Services, now: dt.datetime, is_open: IsOpen) -> list[AlertEvent]:
    try:
        total = broker.message_count(services.broker_address, services.topics.readings_dlq)
    except Exception as exc:  # the broker is down: Prometheus alerts on that; nothing to compare here
        log.warning("dead-letter count unavailable: %s", exc)
        return []
    DEAD_LETTERS.set(total)
    before = progress.sample(services.redis, "dlq-total", total, time.time(), DLQ_WINDOW_S)
    if before is None:
        return []
    event = detectors.dead_letters(int(total - before), KINDS["dlq_growth"].threshold or 100.0, is_open)
    return [event] if event is not None else []


SUSTAINED_EVERY_S = 6 * 3600  # whole days are judged: four times a day is plenty
SUSTAINED_HISTORY = dt.timedelta(days=7 * 17)  # ten weeks of ratios, each against days up to six weeks before


def _sustained(
    services: Services, meters: list[MeterInfo], rules: Rules, now: dt.datetime, is_open: IsOpen
) -> list[AlertEvent]:
    """Points whose consumption has stayed above what their own comparable days explain for days in a row, with what
    it has cost so far (``detectors.sustained_change``); checked a few times a day, not on every evaluation."""

    wanted = [m for m in meters if rules.enabled(m.organization_id, "sustained_change")]
    if not wanted or not progress.claim(services.redis, "sustained-change-check", SUSTAINED_EVERY_S):
        return []
    book = price_book(services.db)
    hours = hourly_by_meter(services.store, [m.id for m in wanted], now - SUSTAINED_HISTORY, now)
    events = []
    for meter in wanted:
        rows = hours[hours["meter_id"] == meter.id] if not hours.empty else hours
        local = rows.assign(ts=to_local(rows["ts"], meter.timezone))[["ts", "value"]] if len(rows) else rows
        today = (now + dt.timedelta(seconds=meter.utc_offset)).date()
        prices = (marginal_prices(meter, book.market, today) if is_business(meter) else None) or book.prices_on(
            meter.region, today
        )
        change = detectors.sustained_change(local, prices, meter.tariff_plan, today) if len(rows) else None
        event = detectors.sustained_event(meter, change, is_open)
        if event is not None:
            events.append(event)
    return events


PEAK_NOTICE_FROM_HOUR = 17  # the evening before a working day, local time


def _peak_hours(
    services: Services, meters: list[MeterInfo], rules: Rules, now: dt.datetime, is_open: IsOpen
) -> list[AlertEvent]:
    """The evening before a working day, organizations with points on the 3rd–6th price category hear of the
    region's planned peak hours (an informational alert: only those who opted in are told)."""

    market = market_book(services.db)
    events = []
    for org_id, group in peak_points(meters).items():
        if not rules.enabled(org_id, "peak_hours"):
            continue
        event = detectors.peak_notice(org_id, group, market, now, PEAK_NOTICE_FROM_HOUR, is_open)
        if event is not None:
            events.append(event)
    return events


def _one_shots_done(services: Services, now: dt.datetime) -> list[AlertEvent]:
    kinds = tuple(name for name, kind in KINDS.items() if kind.one_shot)
    return [
        resolved(
            a.kind,
            a.key.split(":", 1)[1],
            a.subject,
            organization_id=a.organization_id,
            meter=a.meter_code,
            link=a.link,
            params=a.params,
        )
        for a in alerts.firing(services.db, kinds, older_than=now - ONE_SHOT_FOR)
    ]
