"""Russia's production calendar: public holidays, the days off the government moves by decree, working Saturdays,
shortened pre-holiday days, and the kind of each day.

The calendar is the ``holidays`` package's for RU, which carries the yearly decrees' transfers (4 January 2026 moved
to 31 December 2026, 3 January to 9 January; the same for other years as they are published). Labour Code art. 112
names the holidays; art. 95 shortens the working day before a holiday by one hour.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

import holidays
import numpy as np

DAY_KINDS = ("weekday", "weekend", "holiday")


RUSSIA = "RU"


@functools.lru_cache(maxsize=64)
def _year(year: int, country: str = RUSSIA) -> holidays.HolidayBase:
    """The ``holidays`` calendar of one year: ``RU``, or another country (``FR``), a subdivision as ``AU-VIC``."""
    code, _, subdiv = country.partition("-")
    return holidays.country_holidays(code, subdiv=subdiv or None, years=year)


def is_holiday(day: dt.date) -> bool:
    """A public holiday, or a day off a decree moved a holiday to (31 December 2026, 9 January 2026, …)."""
    return day in _year(day.year)


def is_working_day(day: dt.date) -> bool:
    """A working day of the production calendar (a Saturday a decree made a working day counts)."""
    return bool(_year(day.year).is_working_day(day))


def is_shortened(day: dt.date) -> bool:
    """A working day one hour shorter because a holiday follows it (art. 95)."""
    return is_working_day(day) and is_holiday(day + dt.timedelta(days=1))


def day_kind(day: dt.date) -> str:
    if is_working_day(day):
        return "weekday"
    return "holiday" if is_holiday(day) else "weekend"


def is_day_off(day: dt.date) -> bool:
    return not is_working_day(day)


def working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    """The working days of ``[first, last)``."""
    return [first + dt.timedelta(days=n) for n in range((last - first).days) if is_working_day(first + dt.timedelta(n))]


def days_off(days: np.ndarray, country: str | None = RUSSIA) -> np.ndarray:
    """``is_day_off`` for an array of ``datetime64[D]``: weekends, holidays and moved days off.

    ``country``: another country's calendar (its public holidays and weekends, the benchmarks' foreign series), or
    None for weekends only.
    """
    return _mask(days, lambda day: _off(day, country))


def shortened(days: np.ndarray, country: str | None = RUSSIA) -> np.ndarray:
    """``is_shortened`` for an array of ``datetime64[D]`` (Russia only: other calendars have no such days)."""
    return _mask(days, is_shortened if country == RUSSIA else lambda day: False)


def _off(day: dt.date, country: str | None) -> bool:
    if country == RUSSIA:
        return is_day_off(day)
    if country is None:
        return day.weekday() >= 5
    return day.weekday() >= 5 or day in _year(day.year, country)


def _mask(days: np.ndarray, test: Callable[[dt.date], bool]) -> np.ndarray:
    days = np.asarray(days, dtype="datetime64[D]")
    out = np.zeros(len(days), dtype=bool)
    if len(days):
        unique = np.unique(days)
        flags = np.array([test(d.item()) for d in unique], dtype=bool)
        out = np.isin(days, unique[flags])
    return out
