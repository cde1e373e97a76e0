"""The steps before the write: decode, validate, route and accumulate. Each takes a value, hands on to ``next``."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping

from pipeline.outage import through_outages
from pipeline.types import Batch, Invalid, Item, Message, Step, Stopped

log = logging.getLogger(__name__)

Decoder = Callable[[Message], Item]
Validator = Callable[[Item], None]


def _problem(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


class Decode:
    """Bytes → an :class:`Item` by the decoder of the message's topic. A decoder raises :class:`Invalid` for a
    message that cannot be used, and puts record-level problems into the item's letters; whatever else it raises is a
    dead letter too (decoding touches no store, so it cannot be an outage)."""

    def __init__(self, decoders: Mapping[str, Decoder], next_step: Step[Item]) -> None:
        self.decoders, self.next = decoders, next_step

    def submit(self, value: Message) -> None:
        decoder = self.decoders.get(value.topic)
        if decoder is None:
            item = Item(value).reject(f"no decoder for topic {value.topic!r}")
        else:
            try:
                item = decoder(value)
            except Invalid as exc:
                item = Item(value).reject(exc.reason, exc.partner, exc.batch)
            except Exception as exc:  # a decoder's bug met by one message must not stop the others
                log.warning("message %s:%d:%d not decoded: %s", value.topic, value.partition, value.offset, exc)
                item = Item(value).reject(f"undecodable message: {_problem(exc)}")
        self.next.submit(item)

    def poll(self) -> None:
        self.next.poll()

    def join(self) -> None:
        self.next.join()

    def close(self) -> None:
        self.next.close()


class Validate:
    """Checks that need a look-up (does the metering point exist?) by the validator of the item's topic. A validator
    raises :class:`Invalid`, or changes the item (its payload, its letters). A look-up that fails because a store is
    down is retried until it answers; any other failure makes the message a dead letter."""

    def __init__(self, validators: Mapping[str, Validator], next_step: Step[Item], stop: threading.Event) -> None:
        self.validators, self.next, self.stop = validators, next_step, stop

    def submit(self, value: Item) -> None:
        validator = self.validators.get(value.message.topic)
        if validator is not None and value.payload is not None:
            try:
                through_outages(lambda: validator(value), self.stop, "validation")
            except Invalid as exc:
                value.reject(exc.reason, exc.partner, exc.batch)
            except Stopped:
                raise
            except Exception as exc:
                value.reject(f"not validated: {_problem(exc)}")
        self.next.submit(value)

    def poll(self) -> None:
        self.next.poll()

    def join(self) -> None:
        self.next.join()

    def close(self) -> None:
        self.next.close()


class Route:
    """Names the lane an item is written in (readings, device state, …); an item with nothing to write keeps its
    letters and no lane."""

    def __init__(self, lane: Callable[[Item], str], next_step: Step[Item]) -> None:
        self.lane, self.next = lane, next_step

    def submit(self, value: Item) -> None:
        if value.payload is not None:
            value.lane = self.lane(value)
        self.next.submit(value)

    def poll(self) -> None:
        self.next.poll()

    def join(self) -> None:
        self.next.join()

    def close(self) -> None:
        self.next.close()


class Accumulate:
    """Gathers items into a batch and hands it on when it holds ``max_size`` rows or is ``max_wait_s`` old."""

    def __init__(
        self,
        next_step: Step[Batch],
        max_size: int = 200_000,
        max_wait_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.next, self.max_size, self.max_wait_s, self.clock = next_step, max_size, max_wait_s, clock
        self.batch: Batch | None = None

    def submit(self, value: Item) -> None:
        if self.batch is None:
            self.batch = Batch(started=self.clock())
        self.batch.add(value)
        if self.batch.size >= self.max_size:
            self._flush()

    def poll(self) -> None:
        if self.batch is not None and self.clock() - self.batch.started >= self.max_wait_s:
            self._flush()
        self.next.poll()

    def join(self) -> None:
        self._flush()
        self.next.join()

    def close(self) -> None:
        self.next.close()

    @property
    def holding(self) -> bool:
        return self.batch is not None

    def _flush(self) -> None:
        if self.batch is not None:
            batch, self.batch = self.batch, None
            self.next.submit(batch)
