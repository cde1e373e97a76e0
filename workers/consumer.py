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
from kafka import TopicPartition
from kafka.structs import OffsetAndMetadata
from prometheus_client import Counter, Histogram

from data import meters as meters_repo
from data.broker import encode, make_consumer
from data.reading_batch import BadBatch, ParsedBatch, parse_batch
from data.readings import readings_frame, write_readings
from data.services import Services
from workers.device_state import DeviceStateBuffer

log = logging.getLogger(__name__)

GROUP = "wattboard-ingest"

INGESTED = Counter("wattboard_readings_ingested_total", "Readings written to the store")
REJECTED = Counter("wattboard_readings_rejected_total", "Readings sent to the dead-letter topic", ["reason"])
FLUSH_SECONDS = Histogram("wattboard_ingest_flush_seconds", "Time to write one batch and its rollups")


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
        c["partner"].append(np.full(n, batch.partner, dtype=object))
        c["batch_id"].append(np.full(n, batch.batch, dtype=object))
        self.rows += n

    def frame(self) -> Any:
        return readings_frame({k: np.concatenate(v) for k, v in self.columns.items()})


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

    # -- resolution of metering points --------------------------------------------------------
    def _meter(self, code: str) -> meters_repo.MeterInfo | None:
        meter = self._directory.get(code)
        if meter is None and time.monotonic() - self._directory_at > 1:  # new points appear: look again
            self._directory = meters_repo.meter_directory(self.services.db)
            self._directory_at = time.monotonic()
            meter = self._directory.get(code)
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
        try:
            while not failed:
                in_flight, failed = self._commit_written(consumer, written, in_flight, block=False)
                batch = consumer.poll(timeout_ms=200)
                if not self.ready.is_set() and consumer.assignment():
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
                    if acc.rows:
                        write_readings(self.services.store, acc.frame())
                    for report in acc.device_reports:
                        self.devices.add(report)
                    self.devices.flush()
                    producer = self.services.producer
                    for letter in acc.dead_letters:
                        producer.send(self.topics.readings_dlq, encode(letter))
                    if acc.dead_letters:
                        producer.flush(timeout=10)
                INGESTED.inc(acc.rows)
                return True
            except Exception as exc:  # the store or broker is down: back off and try again
                self.devices.clear()
                log.warning("ingest flush failed (%s); retrying in %.1f s", exc, delay)
                if stop.wait(delay) and delay >= 8:
                    return False
                delay = min(delay * 2, 30)
