"""Kafka → ClickHouse ingestion: parse, validate, batch by size and time, write, then commit.

The loop follows the shape of Sentry's arroyo strategies: poll → parse (bad records to the
dead-letter topic with their reason) → accumulate → write (readings, rollups, dead letters) →
commit. Writing runs in a second thread so the next batch is read and parsed meanwhile; the offsets
of a batch are committed, by the polling thread, only after that batch was written. A crash
therefore replays at most the batches not yet committed, and the readings table collapses a replay
into the rows it repeats.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from kafka import TopicPartition
from kafka.structs import OffsetAndMetadata
from prometheus_client import Counter, Gauge, Histogram

from alerts.detection import on_readings_written
from data import meters as meters_repo
from data.broker import INGEST_GROUP, encode, make_consumer
from data.reading_batch import BadBatch, ParsedBatch, parse_batch
from data.readings import Written, readings_frame, write_readings
from data.services import Services
from forecasting.runs import note_changed_history
from review.corrections import large_corrections
from workers.device_state import DeviceStateBuffer

log = logging.getLogger(__name__)

GROUP = INGEST_GROUP
LATE_ROWS_FOR_REFORECAST = 48  # a day of half-hours arriving late: a backfill or an import
CORRECTED_ROWS_FOR_REFORECAST = 12  # half a day of half-hours replaced by different values

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


@dataclass
class Accumulator:
    """The readings, dead letters and device reports of the next write, and the offsets they end at."""

    columns: dict[str, list[Any]] = field(
        default_factory=lambda: {
            "meter_id": [],
            "ts": [],
            "value": [],
            "interval_s": [],
            "status": [],
            "version": [],
            "utc_offset": [],
            "partner": [],
            "batch_id": [],
        }
    )
    dead_letters: list[dict[str, Any]] = field(default_factory=list)
    device_reports: list[bytes] = field(default_factory=list)
    offsets: dict[TopicPartition, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)
    rows: int = 0
    # Partner and batch names repeat across thousands of rows: kept as codes into these lists (a categorical column),
    # not as a Python string per row.
    names: dict[str, dict[str, int]] = field(default_factory=lambda: {"partner": {}, "batch_id": {}})

    @property
    def empty(self) -> bool:
        return not (self.rows or self.dead_letters or self.device_reports or self.offsets)

    def add(self, meter: meters_repo.MeterInfo, batch: ParsedBatch) -> None:
        n = len(batch.ts)
        if not n:
            return
        c = self.columns
        c["meter_id"].append(np.full(n, meter.id, dtype="uint32"))
        c["ts"].append(batch.ts)
        c["value"].append(batch.values)
        c["interval_s"].append(np.full(n, batch.interval_s, dtype="uint32"))
        c["status"].append(batch.status)
        c["version"].append(np.full(n, batch.version, dtype="uint64"))
        c["utc_offset"].append(np.full(n, meter.utc_offset, dtype="int32"))
        c["partner"].append(np.full(n, self._code("partner", batch.partner), dtype=np.int32))
        c["batch_id"].append(np.full(n, self._code("batch_id", batch.batch), dtype=np.int32))
        self.rows += n

    def _code(self, column: str, name: str) -> int:
        return self.names[column].setdefault(name, len(self.names[column]))

    def frame(self) -> Any:
        columns: dict[str, Any] = {k: np.concatenate(v) for k, v in self.columns.items()}
        for name, codes in self.names.items():
            columns[name] = pd.Categorical.from_codes(columns[name], list(codes))
        return readings_frame(columns)


def describe_partitions(assigned: Any) -> str:
    """``topic:0,1 other:0`` — which partitions a consumer holds, for its log (a rebalance shows there)."""
    by_topic: dict[str, list[int]] = {}
    for tp in assigned:
        by_topic.setdefault(tp.topic, []).append(tp.partition)
    return " ".join(f"{topic}:{','.join(map(str, sorted(parts)))}" for topic, parts in sorted(by_topic.items())) or "-"


class IngestConsumer:
    def __init__(
        self, services: Services, max_rows: int = 200_000, max_wait_s: float = 1.0, group: str = GROUP
    ) -> None:
        self.services = services
        self.max_rows = max_rows
        self.max_wait_s = max_wait_s
        self.topics = services.topics
        self.group = group
        self._directory: dict[str, meters_repo.MeterInfo] = {}
        self._directory_at = 0.0
        self.devices = DeviceStateBuffer(services)
        self.ready = threading.Event()
        self._assigned: set[Any] = set()

    # -- resolution of metering points --------------------------------------------------------
    def _meter(self, code: str) -> meters_repo.MeterInfo | None:
        meter = self._directory.get(code)
        if meter is None and time.monotonic() - self._directory_at > 1:  # new points appear: look again
            self._directory = meters_repo.meter_directory(self.services.db)
            self._directory_at = time.monotonic()
            meter = self._directory.get(code)
        if meter is None:  # created a moment ago (by the very push that sent it): never dead-letter a point that exists
            meter = meters_repo.meter_by_code(self.services.db, code)
            if meter is not None:
                self._directory[code] = meter
        return meter

    # -- the loop -----------------------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        consumer = make_consumer(
            self.services.kafka_bootstrap, [self.topics.readings, self.topics.device_state], self.group
        )
        to_write: queue.Queue[Accumulator | None] = queue.Queue(maxsize=1)
        written: queue.Queue[Accumulator | None] = queue.Queue()  # None: the writer gave up (stop while down)
        writer = threading.Thread(
            target=self._writer, args=(to_write, written, stop), name="ingest-writer", daemon=True
        )
        writer.start()
        acc, in_flight, idle_polls, failed = Accumulator(), 0, 0, False
        lag_at = 0.0
        try:
            while not failed:
                in_flight, failed = self._commit_written(consumer, written, in_flight, block=False)
                if time.monotonic() - lag_at >= LAG_EVERY_S:
                    self._measure_lag(consumer)
                    lag_at = time.monotonic()
                batch = consumer.poll(timeout_ms=200)
                assigned = consumer.assignment()
                if assigned != self._assigned:
                    self._assigned = set(assigned)
                    log.info("assigned partitions %s", describe_partitions(assigned))
                if not self.ready.is_set() and assigned:
                    self.ready.set()
                for tp, messages in batch.items():
                    for message in messages:
                        self._take(tp.topic, message, acc)
                    acc.offsets[tp] = messages[-1].offset
                idle_polls = 0 if batch else idle_polls + 1
                due = acc.rows >= self.max_rows or (not acc.empty and time.monotonic() - acc.started >= self.max_wait_s)
                if (due or stop.is_set()) and not acc.empty:
                    to_write.put(acc)  # blocks while the previous batch is still being written
                    in_flight += 1
                    acc = Accumulator()
                # On stop, drain what the broker still holds, wait for the writes, then leave.
                if stop.is_set() and idle_polls >= 2 and acc.empty and self._caught_up(consumer):
                    while in_flight and not failed:
                        in_flight, failed = self._commit_written(consumer, written, in_flight, block=True)
                    break
        finally:
            to_write.put(None)
            writer.join(timeout=60)
            consumer.close(autocommit=False)

    def _writer(self, to_write: queue.Queue, written: queue.Queue, stop: threading.Event) -> None:
        while (acc := to_write.get()) is not None:
            written.put(acc if self._flush(acc, stop) else None)

    def _commit_written(self, consumer: Any, written: queue.Queue, in_flight: int, block: bool) -> tuple[int, bool]:
        """Commit the offsets of every batch the writer finished; (batches still in flight, gave up)."""
        while in_flight:
            try:
                acc = written.get(timeout=1) if block else written.get_nowait()
            except queue.Empty:
                return in_flight, False
            in_flight -= 1
            if acc is None:
                return in_flight, True  # stop requested while the store was down: nothing is committed
            if acc.offsets:
                self._commit(
                    consumer, {tp: OffsetAndMetadata(offset + 1, "", -1) for tp, offset in acc.offsets.items()}
                )
            block = False
        return in_flight, False

    def _note_changed_history(self, written: Written) -> None:
        """Late history or a large correction makes the points' forecasts stale: have them recomputed."""
        changed = {m for m, n in written.late.items() if n >= LATE_ROWS_FOR_REFORECAST}
        changed |= {m for m, n in written.corrected.items() if n >= CORRECTED_ROWS_FOR_REFORECAST}
        if not changed:
            return
        try:
            note_changed_history(self.services, sorted(changed))
        except Exception as exc:  # Redis down: the nightly run still picks the points up
            log.warning("could not ask for new forecasts of %d points: %s", len(changed), exc)

    def _alert_flags(self, written: Written) -> None:
        """Register resets, corrected clocks and large corrections become alerts (a broker hiccup must not stop
        ingestion)."""
        try:
            on_readings_written(self.services, written)
            large_corrections(self.services, written)
        except Exception as exc:
            log.warning("reading alerts not published: %s", exc)

    @staticmethod
    def _measure_lag(consumer: Any) -> None:
        try:
            assigned = list(consumer.assignment())
            for tp, end in consumer.end_offsets(assigned).items():
                LAG.labels(topic=tp.topic, partition=str(tp.partition)).set(max(0, end - consumer.position(tp)))
        except Exception as exc:  # a metric is not worth a stop
            log.debug("consumer lag not measured: %s", exc)

    @staticmethod
    def _caught_up(consumer: Any) -> bool:
        """True when every assigned partition has been read to its end."""
        assigned = consumer.assignment()
        try:
            ends = consumer.end_offsets(list(assigned))
            return all(consumer.position(tp) >= end for tp, end in ends.items())
        except Exception as exc:  # the broker is gone: nothing more can be drained
            log.warning("cannot check consumer lag (%s); stopping", exc)
            return True

    @staticmethod
    def _commit(consumer: Any, offsets: dict[TopicPartition, OffsetAndMetadata]) -> None:
        """Commit what was written; if the commit fails the batch is replayed later, without duplicates."""
        try:
            consumer.commit(offsets)
        except Exception as exc:
            log.warning("offset commit failed (%s); the last batch will be replayed", exc)

    def _take(self, topic: str, message: Any, acc: Accumulator) -> None:
        if topic == self.topics.device_state:
            acc.device_reports.append(message.value)
            return
        try:
            parsed = parse_batch(message.value)
        except BadBatch as exc:
            self._dead_letter(acc, str(exc), message, record=None)
            return
        meter = self._meter(parsed.meter)
        if meter is None:
            self._dead_letter(
                acc,
                f"unknown metering point {parsed.meter!r}",
                message,
                record=None,
                partner=parsed.partner,
                batch=parsed.batch,
            )
            return
        for record, reason in parsed.rejected:
            self._dead_letter(acc, reason, message, record=record, partner=parsed.partner, batch=parsed.batch)
        acc.add(meter, parsed)

    def _dead_letter(
        self,
        acc: Accumulator,
        reason: str,
        message: Any,
        record: Any,
        partner: str | None = None,
        batch: str | None = None,
    ) -> None:
        raw = message.value.decode("utf-8", "replace") if record is None else None
        acc.dead_letters.append(
            {
                "reason": reason,
                "partner": partner,
                "batch": batch,
                "record": record,
                "raw": raw[:100_000] if raw else None,
                "topic": message.topic,
                "partition": message.partition,
                "offset": message.offset,
                "at": dt.datetime.now(dt.UTC).isoformat(),
            }
        )
        REJECTED.labels(reason=reason.split(":")[0][:40]).inc()

    def _flush(self, acc: Accumulator, stop: threading.Event) -> bool:
        """Write the batch, retrying with backoff while the store is down; False if stopped first."""
        delay = 0.5
        while True:
            try:
                with FLUSH_SECONDS.time():
                    written = write_readings(self.services.store, acc.frame()) if acc.rows else None
                    for report in acc.device_reports:
                        self.devices.add(report)
                    self.devices.flush()
                    producer = self.services.producer
                    for letter in acc.dead_letters:
                        producer.send(self.topics.readings_dlq, encode(letter))
                    if acc.dead_letters:
                        producer.flush(timeout=10)
                INGESTED.inc(acc.rows)
                if written is not None:
                    self._note_changed_history(written)
                    self._alert_flags(written)
                return True
            except Exception as exc:  # the store or broker is down: back off and try again
                self.devices.clear()
                log.warning("ingest flush failed (%s); retrying in %.1f s", exc, delay)
                if stop.wait(delay) and delay >= 8:
                    return False
                delay = min(delay * 2, 30)
