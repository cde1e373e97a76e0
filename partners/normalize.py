"""From what a partner sent to reading batches we store: our metering points, UTC, kWh intervals.

Cleaning done here, each with a reason for what it refuses: unknown meters, timestamps in the future
or far off the interval grid (a little clock drift is snapped and flagged), conflicting duplicates
within one batch (the later record wins; exact repeats are collapsed and counted), values no meter can
produce, and cumulative registers turned into intervals with resets
and rollovers flagged instead of becoming spikes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from data.messaging.reading_batch import (
    MAX_INTERVAL_KWH,
    STATUS_CLOCK_FIXED,
    STATUS_ESTIMATED,
    STATUS_RESET,
    STATUS_ROLLOVER,
)
from partners.config import UNIT_TO_KWH, PartnerConfig
from partners.formats.base import ParseResult, SourceReading

DRIFT_TOLERANCE = 0.1  # share of the interval a timestamp may be off the grid and still be snapped


@dataclass
class Normalized:
    # (metering point code, interval seconds) → [(epoch s, kWh, status)] sorted by time
    series: dict[tuple[str, int], list[tuple[int, float, int]]] = field(default_factory=dict)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    registers: dict[str, tuple[int, float]] = field(default_factory=dict)  # new register states
    duplicates: int = 0  # records repeating another record of the batch exactly (collapsed into one)

    @property
    def accepted(self) -> int:
        return sum(len(rows) for rows in self.series.values())


def _reject(out: Normalized, reading: SourceReading | Any, reason: str) -> None:
    record = reading
    if isinstance(reading, SourceReading):
        record = {
            "meter": reading.meter,
            "ts": reading.ts.isoformat(),
            "value": reading.value,
            "status": reading.status,
            "channel": reading.channel,
            "interval_s": reading.interval_s,
        }
    out.rejected.append({"record": record, "reason": reason})


def normalize(
    parsed: ParseResult,
    config: PartnerConfig,
    codes: dict[str, str],
    register_states: dict[str, tuple[int, float]],
    now: dt.datetime | None = None,
    refused: dict[str, str] | None = None,
) -> Normalized:
    """``codes``: the partner's meter ids → our metering-point codes (:func:`partners.codes.resolve`); ``refused``:
    meter ids whose readings are refused, with the reason (another organization's point, an unknown meter, …)."""
    refused = refused or {}
    out = Normalized()
    for raw, reason in parsed.rejected:
        _reject(out, raw, reason)
    zone = ZoneInfo(config.timezone)
    factor = UNIT_TO_KWH[parsed.units or config.units]
    now_s = (now or dt.datetime.now(dt.UTC)).timestamp()
    grouped: dict[tuple[str, int], dict[int, tuple[float, int, SourceReading]]] = defaultdict(dict)
    for reading in parsed.readings:
        code = codes.get(reading.meter)
        if code is None:
            reason = refused.get(reading.meter) or (
                f"unknown meter {reading.meter!r}: map it to a metering point or enable auto-create for this partner"
            )
            _reject(out, reading, reason)
            continue
        interval = reading.interval_s or config.interval_s
        ts = reading.ts
        if ts.tzinfo is None:
            ts = (ts - dt.timedelta(hours=1) if parsed.dst else ts).replace(tzinfo=zone)
        epoch = ts.timestamp()
        if not math.isfinite(reading.value):
            _reject(out, reading, "value is not a finite number")
            continue
        if epoch > now_s + interval:
            _reject(out, reading, "timestamp is in the future")
            continue
        status = reading.status
        offset = epoch % interval
        if offset:
            nearest = min(offset, interval - offset)
            if nearest > interval * DRIFT_TOLERANCE:
                _reject(out, reading, f"timestamp is {nearest:.0f} s off the {interval // 60}-minute grid")
                continue
            epoch = round(epoch / interval) * interval
            status |= STATUS_CLOCK_FIXED
        value = reading.value * factor
        slot = grouped[(code, interval)]
        previous = slot.get(int(epoch))
        if previous is not None and previous[0] != value:
            _reject(out, previous[2], "replaced by a later record for the same interval in this batch")
        elif previous is not None:
            out.duplicates += 1
        slot[int(epoch)] = (value, status, reading)
    for key, slot in grouped.items():
        rows = sorted((second, value, status) for second, (value, status, _) in slot.items())
        if config.value_kind == "cumulative":
            rows = _intervals_from_register(key[0], key[1], rows, register_states.get(key[0]), out)
        for second, v, _ in rows:
            if v < 0:
                _reject(out, {"meter": key[0], "ts": second, "value": v}, "negative consumption")
            elif v > MAX_INTERVAL_KWH:
                _reject(
                    out,
                    {"meter": key[0], "ts": second, "value": v},
                    f"value above {MAX_INTERVAL_KWH:.0f} kWh per interval",
                )
        out.series[key] = [row for row in rows if 0 <= row[1] <= MAX_INTERVAL_KWH]
    return out


def _intervals_from_register(
    code: str, interval: int, rows: list[tuple[int, float, int]], state: tuple[int, float] | None, out: Normalized
) -> list[tuple[int, float, int]]:
    """Register values read at the end of each interval → consumption per interval (stored at its start).

    A register that goes down is a reset (the new value is what was used since) or, near a power of
    ten, a rollover; a gap between two reads spreads the difference evenly and flags it as estimated.
    """
    if not rows:
        return rows
    prev_ts, previous = (state[0], state[1]) if state and state[0] < rows[0][0] else (None, None)
    result = []
    for ts, register, status in rows:
        if previous is not None and prev_ts is not None:
            if register >= previous:
                used = register - previous
            else:
                ceiling = 10 ** math.ceil(math.log10(previous + 1))
                rolled = previous > 0.9 * ceiling and register < 0.1 * ceiling
                used = ceiling - previous + register if rolled else register
                status |= STATUS_ROLLOVER if rolled else STATUS_RESET
            steps = max(1, (ts - prev_ts) // interval)
            flag = status | (STATUS_ESTIMATED if steps > 1 else 0)
            for k in range(steps):
                result.append((ts - (steps - k) * interval, used / steps, flag))
        prev_ts, previous = ts, register
    known = out.registers.get(code)
    if known is None or rows[-1][0] > known[0]:
        out.registers[code] = (rows[-1][0], rows[-1][1])
    return result
