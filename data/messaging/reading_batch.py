"""The normalized reading batch that pollers, push, import and the demo publish to Kafka.

One message per metering point and batch (the Kafka key is the metering-point code)::

    {"meter": "MP-001", "partner": "demo", "batch": "<id>", "version": 1700000000000,
     "interval_s": 1800, "kind": "interval" | "register",
     "readings": [[ts_epoch_seconds, value_kwh, status], ...]}

``version`` orders corrections: a later batch for the same (meter, ts) replaces an earlier one, and a
replay of the same batch changes nothing. ``kind = register`` carries cumulative register values,
turned into interval consumption here (a reset or rollover never becomes a spike).
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from data.messaging.broker import encode

READINGS_LANE = "readings"  # what the ingestion consumer's after-write hooks for stored readings register on
MAX_INTERVAL_KWH = 1_000_000.0  # per interval; above it a record is rejected as out of range
STATUS_OK = 0
STATUS_ESTIMATED = 1
STATUS_RESET = 2  # the register went backwards: interval value restarts from the new register value
STATUS_CLOCK_FIXED = 4  # the timestamp was off the interval grid by a little and was snapped to it
STATUS_ROLLOVER = 8  # the register wrapped around its maximum: the interval was counted across the wrap
STATUS_CORRECTED = 16  # a later batch replaced an earlier, different value (set by the store on write)


class BadBatch(ValueError):
    """The whole message is unusable; the message says why."""


@dataclass
class ParsedBatch:
    meter: str
    partner: str
    batch: str
    version: int
    interval_s: int
    ts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    values: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float64))
    status: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint8))
    rejected: list[tuple[Any, str]] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[int, float, int]]:
        return list(zip(self.ts.tolist(), self.values.tolist(), self.status.tolist(), strict=True))


def encode_batch(
    meter: str,
    partner: str,
    batch: str,
    version: int,
    interval_s: int,
    readings: Sequence[Sequence[float]],  # [ts_epoch_seconds, value_kwh, status] each
    kind: str = "interval",
) -> bytes:
    return encode({**_about(meter, partner, batch, version, interval_s, kind), "readings": readings})


def _about(meter: str, partner: str, batch: str, version: int, interval_s: int, kind: str) -> dict[str, object]:
    """What both batch formats say about their readings."""
    return {
        "meter": meter,
        "partner": partner,
        "batch": batch,
        "version": version,
        "interval_s": interval_s,
        "kind": kind,
    }


COLUMNAR = b"WBC1"  # a columnar batch: this, a 4-byte header length, a JSON header, then ts/value/status arrays


def encode_columnar(
    meter: str,
    partner: str,
    batch: str,
    version: int,
    interval_s: int,
    ts: np.ndarray,
    values: np.ndarray,
    status: np.ndarray,
    kind: str = "interval",
) -> bytes:
    """The same batch as :func:`encode_batch`, columnar: little-endian int64 epoch seconds, float64 kWh and uint8
    status after a JSON header. Parsing it costs a header and three array views instead of a JSON list per reading."""
    about = _about(meter, partner, batch, version, interval_s, kind)
    header = json.dumps({**about, "n": len(ts)}, ensure_ascii=False).encode()
    return b"".join(
        (
            COLUMNAR,
            struct.pack("<I", len(header)),
            header,
            np.asarray(ts, dtype="<i8").tobytes(),
            np.asarray(values, dtype="<f8").tobytes(),
            np.asarray(status, dtype="u1").tobytes(),
        )
    )


def _columnar(raw: bytes) -> tuple[dict[str, Any], list[Any] | tuple[np.ndarray, np.ndarray, np.ndarray]]:
    if len(raw) < 8:
        raise BadBatch("columnar batch too short")
    size = struct.unpack_from("<I", raw, 4)[0]
    try:
        header = json.loads(raw[8 : 8 + size])
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadBatch(f"columnar batch header is not JSON: {exc}") from None
    n = header.get("n") if isinstance(header, dict) else None
    if not isinstance(n, int) or n < 0 or len(raw) != 8 + size + n * 17:
        raise BadBatch("columnar batch: 'n' does not match the arrays that follow")
    at = 8 + size
    ts = np.frombuffer(raw, dtype="<i8", count=n, offset=at)
    values = np.frombuffer(raw, dtype="<f8", count=n, offset=at + 8 * n)
    status = np.frombuffer(raw, dtype="u1", count=n, offset=at + 16 * n)
    return header, (ts, values, status)


def parse_batch(raw: bytes) -> ParsedBatch:
    """Parse and validate a message (JSON, or columnar — see :func:`encode_columnar`): bad records go to
    ``rejected`` with a reason, the rest to ``rows``."""
    columns = None
    if raw[:4] == COLUMNAR:
        msg, columns = _columnar(raw)
        readings: Any = []
    else:
        try:
            msg = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadBatch(f"not JSON: {exc}") from None
        if not isinstance(msg, dict):
            raise BadBatch("not a JSON object")
        readings = msg.get("readings")
        if not isinstance(readings, list):
            raise BadBatch("no 'readings' list")
    meter = msg.get("meter")
    if not isinstance(meter, str) or not meter:
        raise BadBatch("no metering-point code ('meter')")
    version, interval_s = msg.get("version"), msg.get("interval_s", 1800)
    if not isinstance(version, int) or version < 0:
        raise BadBatch("'version' must be a non-negative integer")
    if not isinstance(interval_s, int) or not 1 <= interval_s <= 86_400:
        raise BadBatch("'interval_s' must be an integer from 1 to 86400")
    batch = ParsedBatch(
        meter=meter,
        partner=str(msg.get("partner") or "unknown"),
        batch=str(msg.get("batch") or ""),
        version=version,
        interval_s=interval_s,
    )
    register = msg.get("kind") == "register"
    if columns is not None:
        if not register and _valid_columns(batch, *columns):
            return batch
        readings = [list(row) for row in zip(*(c.tolist() for c in columns), strict=True)]  # name each bad one
    elif not register and _fast_path(batch, readings):
        return batch
    rows: list[tuple[int, float, int]] = []
    previous: float | None = None
    for record in readings:
        reason = _record_problem(record, register)
        if reason:
            batch.rejected.append((record, reason))
            continue
        ts, value = int(record[0]), float(record[1])
        status = int(record[2]) if len(record) > 2 else STATUS_OK
        if register:
            if previous is None:
                previous = value
                continue  # the first register value only anchors the next interval
            delta, status = (value - previous, status) if value >= previous else (value, STATUS_RESET)
            previous = value
            value = delta
        rows.append((ts, value, status))
    if rows:
        ts_col, value_col, status_col = zip(*rows, strict=True)
        batch.ts = np.asarray(ts_col, dtype=np.int64)
        batch.values = np.asarray(value_col, dtype=np.float64)
        batch.status = np.asarray(status_col, dtype=np.uint8)
    return batch


def _fast_path(batch: ParsedBatch, readings: list[Any]) -> bool:
    """Validate a regular batch with numpy in one go; False sends it to the record-by-record path,
    which names the reason for every bad record."""
    if not readings or not isinstance(readings[0], list):
        return False
    try:
        table = np.asarray(readings, dtype=np.float64)
    except (ValueError, TypeError):
        return False
    if table.ndim != 2 or table.shape[1] not in (2, 3):
        return False
    ts, values = table[:, 0], table[:, 1]
    status = table[:, 2] if table.shape[1] == 3 else np.zeros(len(table))
    if not (np.all(ts == np.floor(ts)) and np.all(status == np.floor(status)) and np.all(status <= 255)):
        return False
    return _valid_columns(batch, ts.astype(np.int64), values, status.astype(np.int64))


def _valid_columns(batch: ParsedBatch, ts: np.ndarray, values: np.ndarray, status: np.ndarray) -> bool:
    """Every reading valid (epoch seconds 2000–2100, finite non-negative kWh within range, status 0–255): then the
    columns are the batch's; otherwise False and nothing is taken."""
    ok = (
        len(ts) > 0
        and np.all((ts >= 946_684_800) & (ts <= 4_102_444_800))
        and np.all(np.isfinite(values))
        and np.all((values >= 0) & (values <= MAX_INTERVAL_KWH))
        and np.all((status >= 0) & (status <= 255))
    )
    if not ok:
        return False
    batch.ts, batch.values, batch.status = ts.astype(np.int64), values.astype(np.float64), status.astype(np.uint8)
    return True


def _record_problem(record: Any, register: bool) -> str | None:
    if not isinstance(record, list | tuple) or len(record) < 2:
        return "a reading must be [timestamp, value, status?]"
    ts, value = record[0], record[1]
    if isinstance(ts, bool) or not isinstance(ts, int) or not 946_684_800 <= ts <= 4_102_444_800:
        return "timestamp is not epoch seconds between 2000 and 2100"
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return "value is not a finite number"
    if value < 0:
        return "negative consumption"
    if not register and value > MAX_INTERVAL_KWH:
        return f"value above {MAX_INTERVAL_KWH:.0f} kWh per interval"
    if len(record) > 2 and (not isinstance(record[2], int) or not 0 <= record[2] <= 255):
        return "status must be an integer 0..255"
    return None
