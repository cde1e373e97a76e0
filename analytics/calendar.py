"""Russia's production calendar: public holidays, the days off the government moves by decree, working Saturdays,
shortened pre-holiday days, and the kind of each day.

The calendar is the ``holidays`` package's for RU, which carries the yearly decrees' transfers (4 January 2026 moved
to 31 December 2026, 3 January to 9 January; the same for other years as they are published). Labour Code art. 112
names the holidays; art. 95 shortens the working day before a holiday by one hour.
"""

from __future__ import annotations

import datetime as dt
import functools

import holidays
import numpy as np

DAY_KINDS = ("weekday", "weekend", "holiday")


@functools.lru_cache(maxsize=64)
def _year(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("RU", years=year)


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


def days_off(days: np.ndarray) -> np.ndarray:
    """``is_day_off`` for an array of ``datetime64[D]``: weekends, holidays and moved days off."""
    days = np.asarray(days, dtype="datetime64[D]")
    off = np.zeros(len(days), dtype=bool)
    if len(days):
        unique = np.unique(days)
        flags = np.array([is_day_off(d.item()) for d in unique])
        off = np.isin(days, unique[flags])
    return off
