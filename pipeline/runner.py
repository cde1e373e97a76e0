"""The loop that feeds a pipeline: poll the consumer, hand each message to the first step, let the steps do their
timed work, and stop cleanly — draining what the broker holds first, or at a deadline."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from pipeline.types import Message, Step, Stopped

log = logging.getLogger(__name__)


def describe_partitions(assigned: Any) -> str:
    """``topic:0,1 other:0`` — which partitions a consumer holds, for its log (a rebalance shows there)."""
    by_topic: dict[str, list[int]] = {}
    for tp in assigned:
        by_topic.setdefault(tp.topic, []).append(tp.partition)
    return " ".join(f"{topic}:{','.join(map(str, sorted(parts)))}" for topic, parts in sorted(by_topic.items())) or "-"


def caught_up(consumer: Any) -> bool:
    """True when every assigned partition has been read to its end (or the broker is gone: nothing more to read)."""
    try:
        ends = consumer.end_offsets(list(consumer.assignment()))
        return all(consumer.position(tp) >= end for tp, end in ends.items())
    except Exception as exc:
        log.warning("cannot check what is left to read (%s); stopping", exc)
        return True


class Runner:
    """Polls ``consumer`` (a kafka-python consumer) and feeds ``first``. ``every`` runs (seconds, function) pairs
    between polls, such as a lag metric; ``on_assigned`` is told when the partitions held change."""

    def __init__(
        self,
        consumer: Any,
        first: Step[Message],
        on_assigned: Callable[[set[Any]], None] | None = None,
        every: tuple[tuple[float, Callable[[], None]], ...] = (),
        poll_ms: int = 200,
        max_records: int | None = None,
        announce: bool = False,
    ) -> None:
        """``announce``: log each change of the partitions held (a long-running consumer's rebalances; a short job
        reading a few partitions it assigned itself has nothing to say)."""
        self.announce = announce
        self.consumer, self.first, self.on_assigned = consumer, first, on_assigned
        self.every, self.poll_ms, self.max_records = every, poll_ms, max_records
        self.assigned: set[Any] = set()

    def run(self, stop: threading.Event, until_caught_up: bool = False, deadline_s: float | None = None) -> bool:
        """Until ``stop`` is set (then the broker is drained first), or — with ``until_caught_up`` — until everything
        is read, or until ``deadline_s`` seconds have passed. Everything read is then written and committed; returns
        False when the pipeline had to stop during an outage (nothing more was committed)."""
        started = time.monotonic()
        last_run = [0.0] * len(self.every)
        idle = 0
        try:
            while True:
                self.first.poll()
                for n, (period, work) in enumerate(self.every):
                    if time.monotonic() - last_run[n] >= period:
                        work()
                        last_run[n] = time.monotonic()
                options = {"max_records": self.max_records} if self.max_records else {}
                records = self.consumer.poll(timeout_ms=self.poll_ms, **options)
                self._note_assignment()
                for messages in records.values():
                    for m in messages:
                        self.first.submit(Message(m.topic, m.partition, m.offset, m.value, m.key))
                idle = 0 if records else idle + 1
                if deadline_s is not None and time.monotonic() - started >= deadline_s:
                    break
                if (stop.is_set() or until_caught_up) and idle >= 2 and self._drained(stop):
                    break
            self.first.join()
            return True
        except Stopped as exc:
            log.warning("%s; the rest is read again on the next start", exc)
            return False

    def _drained(self, stop: threading.Event) -> bool:
        if not self.assigned:  # not joined yet: nothing to drain when stopping, everything still to read otherwise
            return stop.is_set()
        return caught_up(self.consumer)

    def _note_assignment(self) -> None:
        assigned = set(self.consumer.assignment())
        if assigned != self.assigned:
            self.assigned = assigned
            if self.announce:
                log.info("assigned partitions %s", describe_partitions(assigned))
            if self.on_assigned is not None:
                self.on_assigned(assigned)
