"""The write and what follows it: the write with its outage/data-error split and bisection, the hooks after a write,
a thread to write in while the next batch is read, and the commit of what was written."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, Protocol

from prometheus_client import Counter

from pipeline.outage import through_outages
from pipeline.types import Batch, Done, Item, Letter, Step, Stopped

log = logging.getLogger(__name__)

ISOLATED = Counter(
    "wattboard_pipeline_isolated_total", "Messages a write failed on, set aside as dead letters", ["pipeline"]
)


class Sink(Protocol):
    """Where a pipeline writes. ``write`` stores the items' payloads and returns what it did, by lane; it may be
    called again with a part of the same items (after a data error), so it must be idempotent in effect."""

    def write(self, items: list[Item]) -> dict[str, Any]: ...

    def merge(self, lane: str, results: list[Any]) -> Any: ...

    def probe(self) -> None:
        """Raise when a store the sink writes to does not answer."""


class LetterBox(Protocol):
    def send(self, letters: list[Letter]) -> None: ...


class Write:
    """A batch into the sink, then its dead letters into the letter box.

    An outage is waited out (the same batch is written again once the stores answer). Any other failure is a data
    error, confirmed by probing the stores: the batch is cut in halves, each written on its own, down to the single
    messages that still fail; those become dead letters with the reason, and everything else is written. One record
    therefore never holds back another, whatever it holds."""

    def __init__(self, sink: Sink, letters: LetterBox, stop: threading.Event, name: str = "ingest") -> None:
        self.sink, self.letters, self.stop, self.name = sink, letters, stop, name

    def __call__(self, batch: Batch) -> Done:
        letters = [letter for item in batch.items for letter in item.letters]
        results: list[dict[str, Any]] = []
        self._write([item for item in batch.items if item.payload is not None], results, letters)
        lanes = sorted({lane for result in results for lane in result})
        merged = {lane: self.sink.merge(lane, [r[lane] for r in results if lane in r]) for lane in lanes}
        if letters:
            through_outages(lambda: self.letters.send(letters), self.stop, f"{self.name}: dead letters")
        return Done(batch, merged, letters)

    def _write(self, items: list[Item], results: list[dict[str, Any]], letters: list[Letter]) -> None:
        if not items:
            return
        while True:
            try:
                results.append(through_outages(lambda: self.sink.write(items), self.stop, f"{self.name}: write"))
                return
            except Stopped:
                raise
            except Exception as exc:
                if self._stores_answer():
                    failure = exc
                    break
        if len(items) == 1:
            item = items[0]
            reason = f"not written: {type(failure).__name__}: {failure}"[:300]
            log.warning(
                "%s: message %s:%d:%d set aside as a dead letter (%s)",
                self.name, item.message.topic, item.message.partition, item.message.offset, reason,
            )
            ISOLATED.labels(pipeline=self.name).inc()
            letters.append(Letter(reason, item.message, None, item.partner, item.batch))
            return
        half = len(items) // 2
        self._write(items[:half], results, letters)
        self._write(items[half:], results, letters)

    def _stores_answer(self) -> bool:
        """True when every store answers (the failure was the data's); otherwise wait until they do and say False,
        so the write is tried again whole."""
        try:
            self.sink.probe()
            return True
        except Exception as exc:
            log.warning("%s: a write failed and a store does not answer (%s); waiting for it", self.name, exc)
        through_outages(self.sink.probe, self.stop, f"{self.name}: probe", outage=lambda _exc: True)
        return False


Hook = Callable[[Any], None]


class AfterWrite:
    """What other parts of the product do once a lane was written (new forecasts after late history, alerts after
    device reports, …). They register here; a hook that fails is logged and never undoes or stops the write."""

    def __init__(self) -> None:
        self._hooks: list[tuple[str, str, Hook]] = []

    def on(self, lane: str, hook: Hook, name: str | None = None) -> None:
        self._hooks.append((lane, name or str(getattr(hook, "__qualname__", repr(hook))), hook))

    @property
    def names(self) -> list[str]:
        return [f"{lane}: {name}" for lane, name, _ in self._hooks]

    def __call__(self, done: Done) -> Done:
        results = done.result or {}
        for lane, name, hook in self._hooks:
            if lane not in results:
                continue
            try:
                hook(results[lane])
            except Exception as exc:  # a hook's store or broker hiccup must not stop ingestion
                log.warning("after-write hook %s failed: %s", name, exc)
        return done


class RunInThread:
    """Runs ``task`` on each batch in a thread of its own, so the next batch is read meanwhile; what it returns is
    handed on from the polling thread (where the consumer may be used), in order. One batch waits while one is in
    the works."""

    def __init__(self, task: Callable[[Batch], Done], next_step: Step[Done], name: str = "pipeline-writer") -> None:
        self.task, self.next = task, next_step
        self._todo: queue.Queue[Batch | None] = queue.Queue(maxsize=1)
        self._done: queue.Queue[Done | BaseException] = queue.Queue()
        self.in_flight = 0
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while (batch := self._todo.get()) is not None:
            try:
                self._done.put(self.task(batch))
            except BaseException as exc:  # handed to the polling thread, which decides
                self._done.put(exc)

    def submit(self, value: Batch) -> None:
        self._todo.put(value)  # blocks while the previous batch is still being written
        self.in_flight += 1

    def poll(self) -> None:
        self._forward(block=False)
        self.next.poll()

    def join(self) -> None:
        self._forward(block=True)
        self.next.join()

    def close(self) -> None:
        self._todo.put(None)
        self._thread.join(timeout=60)
        self.next.close()

    def _forward(self, block: bool) -> None:
        while self.in_flight:
            try:
                done = self._done.get(timeout=1) if block else self._done.get_nowait()
            except queue.Empty:
                if block:
                    continue
                return
            self.in_flight -= 1
            if isinstance(done, BaseException):
                raise done
            self.next.submit(done)


class RunTask:
    """Runs ``task`` on each batch in the polling thread and hands on what it returns (a short job that reads, applies
    and commits in one go has no use for a second thread)."""

    def __init__(self, task: Callable[[Batch], Done], next_step: Step[Done]) -> None:
        self.task, self.next = task, next_step

    def submit(self, value: Batch) -> None:
        self.next.submit(self.task(value))

    def poll(self) -> None:
        self.next.poll()

    def join(self) -> None:
        self.next.join()

    def close(self) -> None:
        self.next.close()


class Commit:
    """Commits, for each partition, the offset after the last message of a written batch. A failed commit only
    means the batch is read again later, which the sink's idempotence makes harmless."""

    def __init__(self, commit: Callable[[dict[tuple[str, int], int]], None]) -> None:
        self.commit = commit
        self.committed: dict[tuple[str, int], int] = {}

    def submit(self, value: Done) -> None:
        offsets = {key: offset + 1 for key, offset in value.batch.offsets.items()}
        if not offsets:
            return
        try:
            self.commit(offsets)
            self.committed.update(offsets)
        except Exception as exc:
            log.warning("offset commit failed (%s); the last batch will be read again", exc)

    def poll(self) -> None:
        return None

    def join(self) -> None:
        return None

    def close(self) -> None:
        return None
