"""A regular series on the metering point's local time, starting at a local midnight."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from analytics.calendar import RUSSIA, days_off, shortened

DAY_S = 86_400


@dataclass(frozen=True)
class Series:
    """``values`` every ``step_s`` seconds from ``start`` (local wall time, a midnight); NaN marks a gap.

    ``calendar``: whose days off apply — Russia's production calendar (``RU``, the product's points), another
    country's public holidays (``FR``, ``AU-VIC``: the benchmarks' foreign series) or weekends only (None).
    ``temperature``: the air temperature at each step (°C, NaN where unknown), when the point has a weather source.
    """

    values: np.ndarray
    start: np.datetime64
    step_s: int
    calendar: str | None = RUSSIA
    temperature: np.ndarray | None = None

    @property
    def per_day(self) -> int:
        return DAY_S // self.step_s

    @property
    def days(self) -> int:
        return len(self.values) // self.per_day

    def day(self, index: int) -> np.datetime64:
        """The local date of day ``index`` (counting from ``start``; may run past the end)."""
        return (self.start.astype("datetime64[D]") + np.timedelta64(index, "D")).astype("datetime64[D]")

    @cached_property
    def _off(self) -> np.ndarray:
        return days_off(self._calendar_days, self.calendar)

    @cached_property
    def _short(self) -> np.ndarray:
        return shortened(self._calendar_days, self.calendar)

    @cached_property
    def _calendar_days(self) -> np.ndarray:
        return self.start.astype("datetime64[D]") + np.arange(self.days + 62)

    def day_off(self, index: int) -> bool:
        """Weekend, public holiday or a day off moved by the Labour Code."""
        return bool(self._off[index])

    def shortened(self, index: int) -> bool:
        """A working day one hour shorter because a holiday follows it (Russia's art. 95)."""
        return bool(self._short[index])

    def days_off_at(self, first_step: int, steps: int) -> np.ndarray:
        """A per-step mask: is the step's local day a day off."""
        index = (first_step + np.arange(steps)) // self.per_day
        return self._off[index]

    def stamps(self, first_step: int, steps: int) -> np.ndarray:
        return self.start + (first_step + np.arange(steps)) * np.timedelta64(self.step_s, "s")

    def day_values(self, index: int) -> np.ndarray:
        p = self.per_day
        return self.values[index * p : (index + 1) * p]


def from_frame(
    frame: pd.DataFrame,
    step_s: int,
    calendar: str | None = RUSSIA,
    first: pd.Timestamp | None = None,
    last: pd.Timestamp | None = None,
) -> Series:
    """A series from ``ts`` (local, naive) and ``value`` (and ``temperature``, if the frame has it) on a full grid of
    whole days, gaps as NaN.

    Without ``first``/``last`` (local midnights) the grid runs from the first whole day of data to the end of the
    last whole day; incomplete days at either end are dropped, so every origin is a local midnight.
    """
    ts = pd.to_datetime(frame["ts"]) if not frame.empty else pd.Series([], dtype="datetime64[ns]")
    if first is None:
        if frame.empty:
            return Series(np.zeros(0), np.datetime64("1970-01-01T00:00:00"), step_s, calendar)
        first = ts.min().ceil("D") if ts.min() != ts.min().floor("D") else ts.min()
    if last is None:
        last = (ts.max() + pd.Timedelta(seconds=step_s)).floor("D") if not frame.empty else first
    if last <= first:
        return Series(np.zeros(0), np.datetime64(pd.Timestamp(first).to_datetime64(), "s"), step_s, calendar)
    axis = pd.date_range(first, last, freq=f"{step_s}s", inclusive="left")
    values = pd.Series(frame["value"].to_numpy(dtype="float64"), index=ts).groupby(level=0).sum(min_count=1)
    grid = values.reindex(axis).to_numpy(dtype="float64")
    temperature = None
    if "temperature" in frame.columns:
        temps = pd.Series(frame["temperature"].to_numpy(dtype="float64"), index=ts).groupby(level=0).mean()
        temperature = temps.reindex(axis).to_numpy(dtype="float64")
    return Series(grid, np.datetime64(pd.Timestamp(first).to_datetime64(), "s"), step_s, calendar, temperature)


class BadSeries(ValueError):
    """A file cannot be read as an evenly spaced series; the message says where and why."""


def from_csv(text: str, calendar: str | None = RUSSIA) -> Series:
    """A series from CSV text with the header ``ts,value`` and an optional ``temperature`` column (°C): ISO timestamps
    (their wall time is used), evenly spaced."""
    import io

    try:
        frame = pd.read_csv(io.StringIO(text))
    except (ValueError, pd.errors.ParserError) as exc:
        raise BadSeries(f"not CSV: {exc}") from None
    if list(frame.columns[:2]) != ["ts", "value"] or not set(frame.columns[2:]) <= {"temperature"}:
        raise BadSeries(f"the header must be ts,value[,temperature] (found {','.join(map(str, frame.columns))})")
    try:
        stamps = pd.to_datetime(frame["ts"].astype(str), format="ISO8601")
    except (ValueError, TypeError) as exc:
        raise BadSeries(f"a timestamp is not ISO 8601: {exc}") from None
    if stamps.dt.tz is not None:
        stamps = stamps.dt.tz_localize(None)
    values = pd.to_numeric(frame["value"], errors="coerce")
    parsed = pd.DataFrame({"ts": stamps, "value": values})
    if "temperature" in frame.columns:
        parsed["temperature"] = pd.to_numeric(frame["temperature"], errors="coerce")
        odd = parsed.index[(parsed["temperature"] < -90) | (parsed["temperature"] > 60)]
        if len(odd):
            raise BadSeries(f"a temperature must be in °C between -90 and 60 (line {int(odd[0]) + 2})")
    if len(stamps) < 3:
        raise BadSeries("too few rows")
    steps = stamps.diff().dropna().dt.total_seconds()
    step_s = int(steps.iloc[0])
    uneven = steps[steps != step_s]
    if step_s <= 0 or len(uneven):
        line = int(uneven.index[0]) + 2 if len(uneven) else 2
        raise BadSeries(f"timestamps must be evenly spaced and increasing (line {line})")
    if DAY_S % step_s:
        raise BadSeries(f"a step of {step_s} s does not divide a day")
    return from_frame(parsed, step_s, calendar)
