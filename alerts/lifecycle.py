"""Applying alert events from the ``wattboard.alerts`` topic: an RQ job reads what arrived since its group's
committed offset, applies each event (one open alert per key, bell messages, outbox rows) and commits after.

Only one reader runs at a time (a Redis lock); a replayed event changes nothing (its id was recorded), so a crash
between applying and committing is harmless."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter

from alerts import texts
from alerts.events import AlertEvent, BadEvent, decode
from alerts.kinds import KINDS
from alerts.preferences import plan
from data import alert_settings, alerts, progress
from data.broker import commit_next, make_group_reader
from data.services import Services

log = logging.getLogger(__name__)

GROUP = "wattboard-alerts"
LOCK = "alerts-consume"
LOCK_TTL_S = 120


def consume(services: Services, max_seconds: float = 20.0) -> dict[str, int]:
    """Apply what the alerts topic holds beyond the committed offset; returns counts by outcome."""
    if not progress.claim(services.redis, LOCK, LOCK_TTL_S):
        return {"busy": 1}
    counts: Counter[str] = Counter()
    consumer = None
    try:
        consumer = make_group_reader(services.kafka_bootstrap, services.topics.alerts, GROUP)
        deadline = time.monotonic() + max_seconds
        while time.monotonic() < deadline:
            batch = consumer.poll(timeout_ms=300, max_records=500)
            for tp, messages in batch.items():
                for message in messages:
                    counts[apply_raw(services, message.value)] += 1
                commit_next(consumer, tp, messages[-1].offset)
            if not batch and _caught_up(consumer):
                break
    finally:
        if consumer is not None:
            consumer.close(autocommit=False)
        progress.release(services.redis, LOCK)
    return dict(counts)


def _caught_up(consumer) -> bool:  # type: ignore[no-untyped-def]
    assigned = list(consumer.assignment())
    ends = consumer.end_offsets(assigned)
    return all(consumer.position(tp) >= end for tp, end in ends.items())


def apply_raw(services: Services, raw: bytes) -> str:
    try:
        event = decode(raw)
    except BadEvent as exc:
        log.warning("alert event skipped: %s", exc)
        return "bad"
    return apply(services, event)


def apply(services: Services, event: AlertEvent, now: dt.datetime | None = None) -> str:
    """One event through the lifecycle; the plan says who is told and how."""
    now = now or dt.datetime.now(dt.UTC)
    kind = KINDS[event.kind]
    if kind.staff:
        people = alert_settings.staff(services.db)
    elif event.organization_id is not None:
        people = alert_settings.members(services.db, event.organization_id)
    else:
        people = []
    stored = alert_settings.preferences(services.db, [p.id for p in people])
    slack = event.organization_id in alert_settings.slack_webhooks(services.db) if event.organization_id else False
    moment = event.moment

    def words(language: str) -> tuple[str, str]:
        return texts.render(event.kind, event.state, event.subject, event.params, language, moment)

    the_plan = plan(event.kind, event.severity, event.organization_id, people, stored, slack, words, now)
    record = alerts.EventRecord(
        id=event.id,
        key=event.key,
        kind=event.kind,
        state=event.state,
        severity=event.severity,
        subject=event.subject,
        organization_id=event.organization_id,
        meter=event.meter,
        params=event.params,
        link=event.link,
    )
    return alerts.apply_event(services.db, record, the_plan, now)
