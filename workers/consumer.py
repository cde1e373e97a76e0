"""Kafka → ClickHouse ingestion, assembled from the steps of :mod:`pipeline`::

    Decode (reading batches, device reports) → Validate (is the metering point ours?) → Route (readings | devices)
    → Accumulate (by rows and time) → RunInThread(Write → AfterWrite hooks) → Commit

Writing runs in a thread of its own so the next batch is read and parsed meanwhile; offsets are committed, by the
polling thread, only after the batch was written and its dead letters sent. A crash therefore replays at most the
batches not yet committed, and the readings table collapses a replay into the rows it repeats. A record that cannot
be decoded, names an unknown point or fails to write (alone, after the batch was bisected) goes to the dead-letter
topic with its reason and never holds back another; only a store or the broker not answering makes the writer wait.

The consumer imports no domain package: forecasting, alerts and review register their after-write hooks
(``runtime.ingestion`` puts them together).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from typing import Any

import numpy as np
import pandas as pd
from prometheus_client import Counter, Gauge, Histogram

from data.clickhouse.readings import merge_written, readings_frame, write_readings
from data.messaging.broker import INGEST_GROUP, commit_offsets, make_consumer
from data.messaging.device_report import DEVICES_LANE, BadReport, DeviceReport, decode_report
from data.messaging.reading_batch import READINGS_LANE, BadBatch, ParsedBatch, parse_batch
from data.relational import devices as devices_repo
from data.relational import meters as meters_repo
from data.services import Services
from pipeline.dead_letters import DeadLetterTopic
from pipeline.runner import Runner, describe_partitions
from pipeline.steps import Accumulate, Decode, Route, Validate
from pipeline.types import Invalid, Item, Letter, Message
from pipeline.write import AfterWrite, Commit, RunInThread, Write
from workers.device_state import write_device_reports

log = logging.getLogger(__name__)

GROUP = INGEST_GROUP
READINGS, DEVICES = READINGS_LANE, DEVICES_LANE  # the lanes a batch is written in

INGESTED = Counter("wattboard_readings_ingested_total", "Readings written to the store")
REJECTED = Counter("wattboard_readings_rejected_total", "Readings sent to the dead-letter topic", ["reason"])
FLUSH_SECONDS = Histogram("wattboard_ingest_flush_seconds", "Time to write one batch and its rollups")
LAG = Gauge(
    "wattboard_ingest_lag",
    "Messages on the broker not yet read, by topic and partition",
    ["topic", "partition"],
    multiprocess_mode="livemax",
)
LAG_EVERY_S = 5.0
SINK_TABLES = ("readings", "readings_hourly", "readings_daily", "replaced_readings", "device_status", "rollup_pending")
READING_COLUMNS = ("meter_id", "ts", "value", "interval_s", "status", "version", "utc_offset", "partner", "batch_id")

__all__ = ["IngestConsumer", "describe_partitions", "readings_frame_of"]


class MeterDirectory:
    """Metering points by code, read again at most every second when a code is not known (new points appear)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.codes: dict[str, meters_repo.MeterInfo] = {}
        self.read_at = 0.0

    def get(self, code: str) -> meters_repo.MeterInfo | None:
        meter = self.codes.get(code)
        if meter is None and time.monotonic() - self.read_at > 1:
            self.codes = meters_repo.meter_directory(self.services.db)
            self.read_at = time.monotonic()
            meter = self.codes.get(code)
        if meter is None:  # created a moment ago (by the very push that sent it): never dead-letter a point that exists
            meter = meters_repo.meter_by_code(self.services.db, code)
            if meter is not None:
                self.codes[code] = meter
        return meter


class DeviceDirectory:
    """Serials of the devices that exist, read again at most every second when a serial is not known."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.serials: set[str] = set()
        self.read_at = 0.0

    def __contains__(self, serial: object) -> bool:
        if serial in self.serials:
            return True
        if time.monotonic() - self.read_at > 1:
            self.serials = set(devices_repo.all_serials(self.services.db))
            self.read_at = time.monotonic()
        return serial in self.serials


def decode_readings(message: Message) -> Item:
    try:
        parsed = parse_batch(message.value)
    except BadBatch as exc:
        raise Invalid(str(exc)) from None
    item = Item(message, parsed, size=len(parsed.ts), partner=parsed.partner, batch=parsed.batch)
    item.letters = [Letter(reason, message, record, parsed.partner, parsed.batch) for record, reason in parsed.rejected]
    return item


def decode_device(message: Message) -> Item:
    try:
        report = decode_report(message.value)
    except BadReport as exc:
        raise Invalid(f"device report: {exc}") from None
    return Item(message, report, partner=report.partner or None)


def readings_frame_of(payloads: list[tuple[meters_repo.MeterInfo, ParsedBatch]]) -> pd.DataFrame:
    """The rows of these reading batches as one frame of the readings table. Partner and batch names repeat across
    thousands of rows: they travel as categorical columns, not as a Python string per row."""
    columns: dict[str, list[Any]] = {name: [] for name in READING_COLUMNS}
    names: dict[str, dict[str, int]] = {"partner": {}, "batch_id": {}}
    for meter, batch in payloads:
        n = len(batch.ts)
        if not n:
            continue
        columns["meter_id"].append(np.full(n, meter.id, dtype="uint32"))
        columns["ts"].append(batch.ts)
        columns["value"].append(batch.values)
        columns["interval_s"].append(np.full(n, batch.interval_s, dtype="uint32"))
        columns["status"].append(batch.status)
        columns["version"].append(np.full(n, batch.version, dtype="uint64"))
        columns["utc_offset"].append(np.full(n, meter.utc_offset, dtype="int32"))
        for column, name in (("partner", batch.partner), ("batch_id", batch.batch)):
            code = names[column].setdefault(name, len(names[column]))
            columns[column].append(np.full(n, code, dtype=np.int32))
    joined: dict[str, Any] = {k: np.concatenate(v) for k, v in columns.items()}
    for column, codes in names.items():
        joined[column] = pd.Categorical.from_codes(joined[column], list(codes))
    return readings_frame(joined)


class IngestSink:
    """Writes the readings lane (readings, rollups, corrections' provenance) and the devices lane."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def write(self, items: list[Item]) -> dict[str, Any]:
        readings = [item.payload for item in items if item.lane == READINGS and item.size]
        reports: list[DeviceReport] = [item.payload for item in items if item.lane == DEVICES]
        result: dict[str, Any] = {}
        with FLUSH_SECONDS.time():
            if readings:
                result[READINGS] = write_readings(self.services.store, readings_frame_of(readings))
            if reports:
                result[DEVICES] = write_device_reports(self.services, reports)
        INGESTED.inc(sum(item.size for item in items if item.lane == READINGS))
        return result

    def merge(self, lane: str, results: list[Any]) -> Any:
        if lane == READINGS:
            return results[0] if len(results) == 1 else merge_written(results)
        return [change for part in results for change in part]

    def probe(self) -> None:
        """Every table a write touches answers (a detached or missing table is an outage, not bad data)."""
        self.services.db.ping()
        for table in SINK_TABLES:
            self.services.store.query_df(f"SELECT 1 FROM {table} LIMIT 0")


class IngestConsumer:
    """The ingestion consumer: ``run(stop)`` until ``stop`` is set, then drains what the broker holds."""

    def __init__(
        self,
        services: Services,
        max_rows: int = 200_000,
        max_wait_s: float = 1.0,
        group: str = GROUP,
        hooks: AfterWrite | None = None,
    ) -> None:
        self.services, self.max_rows, self.max_wait_s, self.group = services, max_rows, max_wait_s, group
        self.topics = services.topics
        self.hooks = hooks or AfterWrite()
        self.directory = MeterDirectory(services)
        self.devices = DeviceDirectory(services)
        self.ready = threading.Event()

    def validate_readings(self, item: Item) -> None:
        parsed: ParsedBatch = item.payload
        meter = self.directory.get(parsed.meter)
        if meter is None:
            raise Invalid(f"unknown metering point {parsed.meter!r}", parsed.partner, parsed.batch)
        item.payload = (meter, parsed)

    def validate_device(self, item: Item) -> None:
        report: DeviceReport = item.payload
        if report.device not in self.devices:
            raise Invalid(f"device report: unknown device {report.device!r}", report.partner or None)

    def strategy(self, commit: Any, stop: threading.Event) -> Decode:
        """The chain of steps, ending in ``commit`` (offsets by (topic, partition))."""
        letters = DeadLetterTopic(self.services.producer, self.topics.readings_dlq, on_sent=count_rejected)
        write = Write(IngestSink(self.services), letters, stop, name="ingest")
        lanes = {self.topics.readings: READINGS, self.topics.device_state: DEVICES}

        def write_then_hooks(batch: Any) -> Any:
            return self.hooks(write(batch))

        return Decode(
            {self.topics.readings: decode_readings, self.topics.device_state: decode_device},
            Validate(
                {self.topics.readings: self.validate_readings, self.topics.device_state: self.validate_device},
                Route(
                    lambda item: lanes[item.message.topic],
                    Accumulate(
                        RunInThread(write_then_hooks, Commit(commit), name="ingest-writer"),
                        self.max_rows,
                        self.max_wait_s,
                    ),
                ),
                stop,
            ),
        )

    def run(self, stop: threading.Event) -> None:
        consumer = make_consumer(
            self.services.broker_address, [self.topics.readings, self.topics.device_state], self.group
        )
        strategy = self.strategy(lambda offsets: commit_offsets(consumer, offsets), stop)

        def assigned(partitions: set[Any]) -> None:
            if partitions:
                self.ready.set()

        runner = Runner(
            consumer,
            strategy,
            on_assigned=assigned,
            every=((LAG_EVERY_S, lambda: measure_lag(consumer)),),
            announce=True,
        )
        try:
            runner.run(stop)
        finally:
            strategy.close()
            consumer.close(autocommit=False)


def count_rejected(letter: Letter) -> None:
    """By the kind of reason, without the values in it (a label per metering point would grow without bound)."""
    REJECTED.labels(reason=re.split(r"[:'\"(]", letter.reason)[0].strip()[:40]).inc()


def measure_lag(consumer: Any) -> None:
    try:
        assigned = list(consumer.assignment())
        for tp, end in consumer.end_offsets(assigned).items():
            LAG.labels(topic=tp.topic, partition=str(tp.partition)).set(max(0, end - consumer.position(tp)))
    except Exception as exc:  # a metric is not worth a stop
        log.debug("consumer lag not measured: %s", exc)

