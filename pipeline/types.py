"""What flows between the steps: a message, the item it decodes to, dead letters, and batches of items."""

from __future__ import annotations

import base64
import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
T_contra = TypeVar("T_contra", contravariant=True)

MAX_RAW_CHARS = 100_000  # a dead letter keeps at most this much of the raw message


@dataclass(frozen=True)
class Message:
    """One record as the broker delivered it."""

    topic: str
    partition: int
    offset: int
    value: bytes
    key: bytes | None = None


class Invalid(ValueError):
    """A whole message cannot be used; raised by a decoder or a validator, the message says why."""

    def __init__(self, reason: str, partner: str | None = None, batch: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.partner, self.batch = reason, partner, batch


@dataclass
class Letter:
    """A dead letter: why, and what — one record of a message, or (``record is None``) the whole message."""

    reason: str
    message: Message
    record: Any = None
    partner: str | None = None
    batch: str | None = None

    def as_json(self, now: dt.datetime | None = None) -> dict[str, Any]:
        letter: dict[str, Any] = {
            "reason": self.reason,
            "partner": self.partner,
            "batch": self.batch,
            "record": self.record,
            "raw": None,
            "topic": self.message.topic,
            "partition": self.message.partition,
            "offset": self.message.offset,
            "at": (now or dt.datetime.now(dt.UTC)).isoformat(),
        }
        if self.record is None:  # the whole message: kept so that `wattboard dlq replay` can publish it again
            try:
                letter["raw"] = self.message.value.decode("utf-8")[:MAX_RAW_CHARS]
            except UnicodeDecodeError:  # a binary (columnar) batch
                letter["raw_b64"] = base64.b64encode(self.message.value[: MAX_RAW_CHARS * 3 // 4]).decode()
        return letter


@dataclass
class Item:
    """A message on its way: what it decoded to (``payload``; None when nothing of it is to be written), the dead
    letters it produced so far, the lane it is written in, and how many rows it adds to a batch."""

    message: Message
    payload: Any = None
    letters: list[Letter] = field(default_factory=list)
    lane: str = ""
    size: int = 1
    partner: str | None = None  # who sent it, and in which batch, when the message says (for its dead letters)
    batch: str | None = None

    def reject(self, reason: str, partner: str | None = None, batch: str | None = None) -> Item:
        """The whole message becomes a dead letter; nothing of it is written."""
        self.payload = None
        self.size = 0
        self.letters.append(Letter(reason, self.message, None, partner, batch))
        return self


@dataclass
class Batch:
    """Items gathered for one write, and the last offset of each partition they came from."""

    items: list[Item] = field(default_factory=list)
    offsets: dict[tuple[str, int], int] = field(default_factory=dict)
    size: int = 0
    started: float = field(default_factory=time.monotonic)

    def add(self, item: Item) -> None:
        self.items.append(item)
        self.size += item.size
        key = (item.message.topic, item.message.partition)
        self.offsets[key] = max(item.message.offset, self.offsets.get(key, -1))

    @property
    def empty(self) -> bool:
        return not self.items


@dataclass
class Done:
    """A batch after its write: what the sink reports (``result``) and every dead letter it produced."""

    batch: Batch
    result: Any = None
    letters: list[Letter] = field(default_factory=list)


class Step(Protocol[T_contra]):
    """One step of a pipeline (arroyo's ProcessingStrategy, reduced): take a value, do time-based work when polled,
    and hand on everything still held when joined."""

    def submit(self, value: T_contra) -> None: ...

    def poll(self) -> None: ...

    def join(self) -> None: ...

    def close(self) -> None: ...


class Stopped(RuntimeError):
    """The pipeline was asked to stop while an outage lasted: nothing more is written or committed."""
