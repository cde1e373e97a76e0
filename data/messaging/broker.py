"""Kafka: topic names in one place, producer and consumer helpers with timeouts that suit the broker.

Timeouts: the embedded Tansu broker joins a consumer group in ~3 s with a 6 s session timeout and
1 s heartbeats (~22 s with kafka-python's defaults), so those are the defaults here.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Topics:
    """Every topic Wattboard uses, derived from one prefix."""

    prefix: str = "wattboard"

    @property
    def readings(self) -> str:
        return f"{self.prefix}.readings"

    @property
    def readings_dlq(self) -> str:
        return f"{self.prefix}.readings.dlq"

    @property
    def device_state(self) -> str:
        return f"{self.prefix}.device-state"

    @property
    def alerts(self) -> str:
        return f"{self.prefix}.alerts"

    @property
    def audit(self) -> str:
        return f"{self.prefix}.audit"

    def all(self) -> tuple[str, ...]:
        return (self.readings, self.readings_dlq, self.device_state, self.alerts, self.audit)


INGEST_GROUP = "wattboard-ingest"  # the ingestion consumers' group


class BrokerUnavailable(RuntimeError):
    """The Kafka bootstrap servers did not answer."""


def ensure_topics(bootstrap: str, topics: Topics, partitions: int) -> None:
    """Create every topic that does not exist yet (the broker does not auto-create them)."""
    try:
        admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    except KafkaError as exc:
        raise BrokerUnavailable(f"no Kafka broker answers at {bootstrap}: {exc}") from None
    try:
        existing = set(admin.list_topics())
        wanted = [
            NewTopic(name, num_partitions=partitions if name == topics.readings else 1, replication_factor=1)
            for name in topics.all()
            if name not in existing
        ]
        if wanted:
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics(wanted)
    finally:
        admin.close()


def make_producer(bootstrap: str, **overrides: Any) -> KafkaProducer:
    options: dict[str, Any] = {
        "bootstrap_servers": bootstrap,
        "acks": "all",
        "linger_ms": 20,
        "batch_size": 512 * 1024,
        "max_request_size": 8 * 1024 * 1024,
        "retries": 5,
        "request_timeout_ms": 15_000,
        "max_block_ms": 15_000,
    }
    options.update(overrides)
    try:
        return KafkaProducer(**options)
    except KafkaError as exc:
        raise BrokerUnavailable(f"no Kafka broker answers at {bootstrap}: {exc}") from None


def make_consumer(bootstrap: str, topics: Iterable[str], group: str, **overrides: Any) -> KafkaConsumer:
    options: dict[str, Any] = {
        "bootstrap_servers": bootstrap,
        "group_id": group,
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "session_timeout_ms": 6_000,
        "heartbeat_interval_ms": 1_000,
        "max_poll_interval_ms": 300_000,
        "max_poll_records": 2_000,
        "fetch_max_bytes": 32 * 1024 * 1024,
        "max_partition_fetch_bytes": 8 * 1024 * 1024,
        "request_timeout_ms": 30_000,
        # kafka-python checks record CRCs in pure Python: ~220k readings/s with it, millions without.
        # TCP checksums the transfer and the broker validated the batch when it was produced.
        "check_crcs": False,
    }
    options.update(overrides)
    try:
        consumer = KafkaConsumer(**options)
    except KafkaError as exc:
        raise BrokerUnavailable(f"no Kafka broker answers at {bootstrap}: {exc}") from None
    consumer.subscribe(list(topics))
    return consumer


def make_reader(bootstrap: str, topic: str) -> KafkaConsumer:
    """A group-less consumer positioned at the beginning of every partition of ``topic``."""
    from kafka import TopicPartition

    try:
        consumer = KafkaConsumer(
            bootstrap_servers=bootstrap, enable_auto_commit=False, request_timeout_ms=30_000, check_crcs=False
        )
    except KafkaError as exc:
        raise BrokerUnavailable(f"no Kafka broker answers at {bootstrap}: {exc}") from None
    partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or {0})]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    return consumer


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def ping(bootstrap: str) -> None:
    """Raise :class:`BrokerUnavailable` unless the broker answers a metadata request."""
    try:
        admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3_000)
        admin.list_topics()
        admin.close()
    except KafkaError as exc:
        raise BrokerUnavailable(f"no Kafka broker answers at {bootstrap}: {exc}") from None


BrokerError = KafkaError  # what a publish or a read raises when the broker does not answer (for the callers' except)


def commit_next(consumer: KafkaConsumer, partition: Any, last_offset: int) -> None:
    """Commit a group reader's position just after ``last_offset`` of ``partition`` (commit after the write)."""
    from kafka.structs import OffsetAndMetadata

    consumer.commit({partition: OffsetAndMetadata(last_offset + 1, "", -1)})


def make_group_reader(bootstrap: str, topic: str, group: str) -> KafkaConsumer:
    """A consumer that reads every partition of ``topic`` from its group's committed offsets without joining the
    group (no rebalance, so a short job starts reading at once); offsets are committed with ``commit``."""
    from kafka import TopicPartition

    try:
        consumer = KafkaConsumer(
            bootstrap_servers=bootstrap,
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            request_timeout_ms=30_000,
            check_crcs=False,
        )
    except KafkaError as exc:
        raise BrokerUnavailable(f"no Kafka broker answers at {bootstrap}: {exc}") from None
    partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or {0})]
    consumer.assign(partitions)
    return consumer


def message_count(bootstrap: str, topic: str) -> int:
    """How many messages the topic has received (the sum of its partitions' end offsets)."""
    from kafka import TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or {0})]
        return int(sum(consumer.end_offsets(partitions).values()))
    finally:
        consumer.close()


def group_lag(bootstrap: str, topic: str, group: str) -> int:
    """Messages of ``topic`` the consumer group has not committed yet (all of them if it committed none)."""
    from kafka import TopicPartition

    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False, request_timeout_ms=10_000
    )
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or {0})]
        ends = consumer.end_offsets(partitions)
        return int(sum(end - (consumer.committed(tp) or 0) for tp, end in ends.items()))
    finally:
        consumer.close(autocommit=False)


def commit_offsets(consumer: KafkaConsumer, offsets: dict[tuple[str, int], int]) -> None:
    """Commit ``(topic, partition) → next offset to read`` for a consumer (commit after the write)."""
    from kafka import TopicPartition
    from kafka.structs import OffsetAndMetadata

    consumer.commit({TopicPartition(t, p): OffsetAndMetadata(o, "", -1) for (t, p), o in offsets.items()})
