"""The dead-letter topic: list what was rejected and why, and replay what a fix made acceptable.

A letter about a whole message carries it (``raw``, or ``raw_b64`` for a binary batch) and the topic it came from;
replaying publishes it to that topic again. A letter from a partner's batch carries the record; records rejected for
an unknown meter are replayed through the partner's meter mapping (after you mapped or created the meter). The
replay runs on the same steps as the ingestion consumer (:mod:`pipeline`) under a consumer group of its own, so
nothing is replayed twice and a letter that cannot be replayed is counted and skipped, never a stop.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from data.errors import is_outage
from data.messaging.broker import commit_offsets, make_consumer, make_reader
from data.messaging.reading_batch import encode_batch
from data.relational import partners as partners_repo
from data.services import Services
from partners.config import UNIT_TO_KWH, PartnerConfig
from pipeline.runner import Runner
from pipeline.steps import Accumulate, Decode
from pipeline.types import Invalid, Item, Letter, Message
from pipeline.write import Commit, RunTask, Write

REPLAY_GROUP = "wattboard-dlq-replay"


def read_letters(services: Services, limit: int = 10_000, idle_ms: int = 1500) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Every letter from the beginning of the topic (for listing)."""
    consumer = make_reader(services.broker_address, services.topics.readings_dlq)
    seen = 0
    try:
        idle = 0
        while seen < limit and idle < 2:
            batch = consumer.poll(timeout_ms=idle_ms)
            idle = 0 if batch else idle + 1
            for messages in batch.values():
                for message in messages:
                    seen += 1
                    try:
                        yield consumer, json.loads(message.value)
                    except (ValueError, UnicodeDecodeError):
                        yield consumer, {"reason": "unreadable letter", "raw": message.value.decode("utf-8", "replace")}
    finally:
        consumer.close()


def recent_letters(services: Services, partner: str, limit: int = 50, scan: int = 500) -> list[dict[str, Any]]:
    """A partner's latest letters, newest first, from the last ``scan`` messages of each partition (a look at what
    was refused lately, cheap however long the topic has grown)."""
    consumer = make_reader(services.broker_address, services.topics.readings_dlq)
    found: list[dict[str, Any]] = []
    try:
        partitions = list(consumer.assignment())
        ends = consumer.end_offsets(partitions)
        for tp in partitions:
            consumer.seek(tp, max(0, ends[tp] - scan))
        left = {tp for tp in partitions if ends[tp] > 0}
        while left:
            batch = consumer.poll(timeout_ms=1500)
            if not batch:
                break
            for tp, messages in batch.items():
                for message in messages:
                    try:
                        letter = json.loads(message.value)
                    except (ValueError, UnicodeDecodeError):
                        continue
                    if isinstance(letter, dict) and letter.get("partner") == partner:
                        found.append(letter)
                    if message.offset + 1 >= ends[tp]:
                        left.discard(tp)
    finally:
        consumer.close()
    found.sort(key=lambda letter: str(letter.get("at", "")), reverse=True)
    return found[:limit]


@dataclass
class ReplaySummary:
    replayed: int = 0
    skipped: int = 0


def replay(services: Services, max_seconds: float = 120.0) -> ReplaySummary:
    """Publish again what the letters not yet replayed hold (see the module's docstring)."""
    sink = ReplaySink(services)
    consumer = make_consumer(services.broker_address, [services.topics.readings_dlq], REPLAY_GROUP)
    stop = threading.Event()
    strategy = Decode(
        {services.topics.readings_dlq: decode_letter},
        Accumulate(
            RunTask(
                Write(sink, sink, stop, name="replay"),
                Commit(lambda offsets: commit_offsets(consumer, offsets)),
            ),
            max_size=1000,
            max_wait_s=0.5,
        ),
    )
    try:
        Runner(consumer, strategy, poll_ms=500).run(stop, until_caught_up=True, deadline_s=max_seconds)
    finally:
        consumer.close(autocommit=False)
    return ReplaySummary(sink.counts["replayed"], sink.counts["skipped"])


def decode_letter(message: Message) -> Item:
    try:
        letter = json.loads(message.value)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Invalid(f"unreadable dead letter: {exc}") from None
    if not isinstance(letter, dict):
        raise Invalid("a dead letter is a JSON object")
    return Item(message, letter)


class ReplaySink:
    """Publishes what each letter holds; a letter published twice (a batch cut in halves after a failure) only
    repeats readings, which the readings table collapses."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.counts: Counter[str] = Counter()
        self.configs: dict[str, PartnerConfig | None] = {}

    def write(self, items: list[Item]) -> dict[str, Counter[str]]:
        counts: Counter[str] = Counter(self._replay_one(item.payload) for item in items)
        self.services.producer.flush(timeout=30)
        self.counts += counts
        return {"replay": counts}

    def send(self, letters: list[Letter]) -> None:
        """The replay's own letter box: a letter that cannot even be read is counted as skipped — never written back
        to the topic the replay reads, where it would come round again."""
        self.counts["skipped"] += len(letters)

    def _replay_one(self, letter: dict[str, Any]) -> str:
        try:
            return self._replay(letter)
        except Exception as exc:  # a letter whose record does not make sense is skipped; an outage waits
            if is_outage(exc):
                raise
            return "skipped"

    def merge(self, lane: str, results: list[Counter[str]]) -> Counter[str]:
        return sum(results, Counter())

    def probe(self) -> None:
        self.services.db.ping()

    def _replay(self, letter: dict[str, Any]) -> str:
        producer, topics = self.services.producer, self.services.topics
        whole = letter.get("raw") or letter.get("raw_b64")
        if letter.get("stage") != "partner" and whole and letter.get("record") is None:
            raw = base64.b64decode(letter["raw_b64"]) if letter.get("raw_b64") else str(letter["raw"]).encode()
            topic = letter.get("topic")
            producer.send(topic if topic in (topics.readings, topics.device_state, topics.alerts) else topics.readings,
                          value=raw)
            return "replayed"
        record, slug = letter.get("record"), str(letter.get("partner") or "")
        if not (isinstance(record, dict) and str(letter.get("reason", "")).startswith("unknown meter") and slug):
            return "skipped"
        if slug not in self.configs:
            partner = partners_repo.partner_by_slug(self.services.db, slug)
            self.configs[slug] = PartnerConfig(**partner.config) if partner else None
        config = self.configs[slug]
        if config is None:
            return "skipped"
        code = str(config.meter_map.get(record["meter"], record["meter"]))
        ts = int(dt.datetime.fromisoformat(record["ts"]).timestamp())
        interval = record.get("interval_s") or config.interval_s
        value = float(record["value"]) * UNIT_TO_KWH[config.units]
        producer.send(
            topics.readings,
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
        return "replayed"
