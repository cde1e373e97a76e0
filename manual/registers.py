"""Registers, checks and periods (pure).

T1, T2 and T3 are what the meter's display and every supplier's personal account call them: on a two-zone plan T1
is the day and T2 the night; on a three-zone plan T1 is the peak, T2 the night and T3 the half-peak.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

REGISTERS = {"single": ("t1",), "two_zone": ("t1", "t2"), "three_zone": ("t1", "t2", "t3")}
ZONE_OF = {
    "single": {"t1": "single"},
    "two_zone": {"t1": "day", "t2": "night"},
    "three_zone": {"t1": "peak", "t2": "night", "t3": "half_peak"},
}
MAX_VALUE = 1e9  # kWh: more digits than any household register has
IMPLAUSIBLE_FACTOR = 10.0  # a period using this many times the busiest earlier one, per day, is refused
IMPLAUSIBLE_MIN_KWH_DAY = 50.0  # …when it is also more than this a day (small numbers vary a lot)


class ReadingRefused(ValueError):
    """A reading that cannot be taken; ``code`` and ``params`` let the caller say why in the reader's words."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Reading:
    ts: dt.datetime
    registers: dict[str, float]
    replacement: bool = False


@dataclass(frozen=True)
class Period:
    start: dt.datetime
    end: dt.datetime
    kwh: dict[str, float]  # by zone (single | day | night | peak | half_peak)

    @property
    def total(self) -> float:
        return sum(self.kwh.values())

    @property
    def days(self) -> float:
        return max((self.end - self.start).total_seconds() / 86400, 1 / 24)


def check(plan: str, new: Reading, earlier: list[Reading], now: dt.datetime) -> None:
    """Refuse what a person should look at again: the wrong registers, a number that is not one, a moment in the
    future or before the last reading, registers below the last ones (unless the meter was replaced), or a period
    using ten times the busiest earlier one."""
    wanted = REGISTERS.get(plan, ("t1",))
    if set(new.registers) != set(wanted):
        raise ReadingRefused(
            "registers",
            f"a {plan} meter has registers {', '.join(wanted)}",
            registers=", ".join(r.upper() for r in wanted),
        )
    for name, value in new.registers.items():
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            raise ReadingRefused("value", f"{name} is not a number", register=name.upper())
        if not 0 <= value < MAX_VALUE:
            raise ReadingRefused("value", f"{name} is out of range", register=name.upper())
    if new.ts > now + dt.timedelta(hours=1):
        raise ReadingRefused("future", "the reading is in the future")
    if not earlier:
        return
    last = earlier[-1]
    if new.ts <= last.ts:
        raise ReadingRefused("order", "the reading is not later than the last one", last=last.ts.isoformat())
    if new.replacement:
        return
    for name in wanted:
        if new.registers[name] < last.registers.get(name, 0.0):
            before = f"{last.registers.get(name, 0.0):g}".replace(".", ",")
            raise ReadingRefused("below", f"{name} is below the last reading", register=name.upper(), last=before)
    history = periods(plan, earlier)
    if len(history) >= 2:
        busiest = max(p.total / p.days for p in history)
        candidate = periods(plan, [last, new])[0]
        rate = candidate.total / candidate.days
        if rate > IMPLAUSIBLE_MIN_KWH_DAY and rate > IMPLAUSIBLE_FACTOR * max(busiest, 1e-9):
            raise ReadingRefused("implausible", "far more than ever before", rate=rate, busiest=busiest)


def periods(plan: str, readings: list[Reading]) -> list[Period]:
    """Consumption between consecutive readings, by zone; a replaced meter starts a new run (no period spans it)."""
    zones = ZONE_OF.get(plan, {"t1": "single"})
    out: list[Period] = []
    for before, after in zip(readings, readings[1:], strict=False):
        if after.replacement:
            continue
        kwh = {
            zones[name]: max(0.0, after.registers.get(name, 0.0) - before.registers.get(name, 0.0)) for name in zones
        }
        out.append(Period(before.ts, after.ts, kwh))
    return out
