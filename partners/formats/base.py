"""The one interface every partner format implements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol


class FormatError(ValueError):
    """The payload as a whole cannot be read; the message names the place and the reason."""


@dataclass(frozen=True)
class SourceReading:
    """One reading as the partner sent it: their meter id, a timestamp, a value in their units.

    ``ts`` is the start of the interval; naive when the source gave no zone (the partner's zone applies).
    ``interval_s`` is set when the format itself says how long the interval is.
    """

    meter: str
    ts: dt.datetime
    value: float
    status: int = 0
    interval_s: int | None = None
    channel: str | None = None


@dataclass
class ParseResult:
    readings: list[SourceReading] = field(default_factory=list)
    rejected: list[tuple[Any, str]] = field(default_factory=list)  # (raw record, reason)
    next_link: str | None = None  # pagination: where the next page is, if the payload says
    units: str | None = None  # set when the format states its own units (ESPI); else the partner's
    dst: bool = False  # 80020: local times are daylight-saving times

    @property
    def total(self) -> int:
        return len(self.readings) + len(self.rejected)


class Parser(Protocol):
    def parse(self, payload: bytes, options: dict[str, Any]) -> ParseResult: ...
