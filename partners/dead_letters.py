"""The dead-letter topic: list what was rejected and why, and replay what a fix made acceptable.

A letter from the consumer carries the whole raw message (``raw``); replaying republishes it to the
readings topic. A letter from a partner's batch carries the record; records rejected for an unknown
meter are replayed through the partner's meter mapping (after you mapped or created the meter).
Each replay run reads the letters its consumer group has not replayed yet, so nothing is replayed twice.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from data import partners as partners_repo
from data.broker import make_consumer, make_reader
from data.reading_batch import encode_batch
from data.services import Services
from partners.config import UNIT_TO_KWH, PartnerConfig

REPLAY_GROUP = "wattboard-dlq-replay"


def read_letters(
    services: Services, group: str | None = None, limit: int = 10_000, idle_ms: int = 1500
) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Letters from the beginning (``group=None``) or from where that group stopped."""
    if group is None:
        consumer = make_reader(services.kafka_bootstrap, services.topics.readings_dlq)
    else:
        consumer = make_consumer(services.kafka_bootstrap, [services.topics.readings_dlq], group)
    seen = 0
    try:
        idle = 0
        deadline = time.monotonic() + 30
        while seen < limit and idle < 2:
            batch = consumer.poll(timeout_ms=idle_ms)
            joined = bool(consumer.assignment()) or time.monotonic() > deadline
            idle = 0 if batch or not joined else idle + 1
            for messages in batch.values():
                for message in messages:
                    seen += 1
                    try:
                        yield consumer, json.loads(message.value)
                    except (ValueError, UnicodeDecodeError):
                        yield consumer, {"reason": "unreadable letter", "raw": message.value.decode("utf-8", "replace")}
    finally:
        if group is not None:
            consumer.commit()
        consumer.close()


@dataclass
class ReplaySummary:
    replayed: int = 0
    skipped: int = 0


def replay(services: Services) -> ReplaySummary:
    summary = ReplaySummary()
    producer = services.producer
    configs: dict[str, tuple[Any, PartnerConfig] | None] = {}
    for _, letter in read_letters(services, group=REPLAY_GROUP):
        if letter.get("stage") != "partner" and letter.get("raw") and letter.get("record") is None:
            producer.send(services.topics.readings, value=letter["raw"].encode())
            summary.replayed += 1
            continue
        record, slug = letter.get("record"), letter.get("partner")
        if not (isinstance(record, dict) and str(letter.get("reason", "")).startswith("unknown meter") and slug):
            summary.skipped += 1
            continue
        if slug not in configs:
            partner = partners_repo.partner_by_slug(services.db, slug)
            configs[slug] = (partner, PartnerConfig(**partner.config)) if partner else None
        if configs[slug] is None:
            summary.skipped += 1
            continue
        partner, config = configs[slug]  # type: ignore[misc]
        code = config.meter_map.get(record["meter"], record["meter"])
        ts = int(dt.datetime.fromisoformat(record["ts"]).timestamp())
        interval = record.get("interval_s") or config.interval_s
        value = float(record["value"]) * UNIT_TO_KWH[config.units]
        producer.send(
            services.topics.readings,
            key=code.encode(),
            value=encode_batch(
                code,
                slug,
                f"replay-{letter.get('batch')}",
                int(dt.datetime.now(dt.UTC).timestamp() * 1000),
                interval,
                [[ts, value, int(record.get("status") or 0)]],
            ),
        )
        summary.replayed += 1
    producer.flush(timeout=30)
    return summary
