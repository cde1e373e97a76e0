"""Applying alert events from the ``wattboard.alerts`` topic: an RQ job reads what arrived since its group's
committed offset, applies each event (one open alert per key, bell messages, outbox rows) and commits after.

Only one reader runs at a time (a Redis lock); a replayed event changes nothing (its id was recorded), so a crash
between applying and committing is harmless."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import Counter

from alerts.events import AlertEvent, BadEvent, decode
from alerts.kinds import KINDS
from alerts.preferences import plan
from data.messaging.broker import commit_offsets, make_group_reader
from data.queue import progress
from data.relational import alert_settings, alerts
from data.services import Services
from i18n import alert_texts as texts
from pipeline.dead_letters import DeadLetterTopic
from pipeline.runner import Runner
from pipeline.steps import Accumulate, Decode
from pipeline.types import Invalid, Item, Message
from pipeline.write import Commit, RunTask, Write

log = logging.getLogger(__name__)

GROUP = "wattboard-alerts"
LOCK = "alerts-consume"
LOCK_TTL_S = 120


def consume(services: Services, max_seconds: float = 20.0) -> dict[str, int]:
    """Apply what the alerts topic holds beyond the committed offset; returns counts by outcome.

    The same steps as the ingestion consumer (:mod:`pipeline`): decode → accumulate → apply → commit. An event that
    cannot be decoded, or whose application fails for what it holds, goes to the dead-letter topic with its reason and
    holds back no other; the database not answering makes the job wait and try again."""
    if not progress.claim(services.redis, LOCK, LOCK_TTL_S):
        return {"busy": 1}
    sink = LifecycleSink(services)
    consumer = None
    try:
        consumer = make_group_reader(services.broker_address, services.topics.alerts, GROUP)
        reader = consumer
        stop = threading.Event()
        letters = DeadLetterTopic(services.producer, services.topics.readings_dlq)
        strategy = Decode(
            {services.topics.alerts: decode_message},
            Accumulate(
                RunTask(
                    Write(sink, letters, stop, name="alerts"),
                    Commit(lambda offsets: commit_offsets(reader, offsets)),
                ),
                max_size=500,
                max_wait_s=0.3,
            ),
        )
        Runner(consumer, strategy, max_records=500).run(stop, until_caught_up=True, deadline_s=max_seconds)
    finally:
        if consumer is not None:
            consumer.close(autocommit=False)
        progress.release(services.redis, LOCK)
    return dict(sink.counts)


def decode_message(message: Message) -> Item:
    try:
        return Item(message, decode(message.value))
    except BadEvent as exc:
        raise Invalid(f"alert event: {exc}") from None


class LifecycleSink:
    """Applies events in order; applying one again changes nothing (its id is recorded), so a part of a batch may be
    applied twice when the batch is bisected."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.counts: Counter[str] = Counter()

    def write(self, items: list[Item]) -> dict[str, Counter[str]]:
        counts: Counter[str] = Counter(apply(self.services, item.payload) for item in items)
        self.counts += counts
        return {"alerts": counts}

    def merge(self, lane: str, results: list[Counter[str]]) -> Counter[str]:
        return sum(results, Counter())

    def probe(self) -> None:
        self.services.db.ping()


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

    def words(language: str, zone: str) -> tuple[str, str]:  # times in the point's zone, else the reader's
        params = {**event.params, "tz": event.params.get("tz") or zone}
        return texts.render(event.kind, event.state, event.subject, params, language, moment)

    telegram = services.settings.telegram_bot_token is not None
    the_plan = plan(event.kind, event.severity, event.organization_id, people, stored, slack, words, now, telegram)
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
