"""Russian working calendar: public holidays, the days off they move, and the kind of each day."""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np

# Labour Code art. 112: New Year holidays and Christmas (1–8 January), 23 February, 8 March,
# 1 and 9 May, 12 June, 4 November.
FIXED_HOLIDAYS = frozenset({(1, d) for d in range(1, 9)} | {(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)})

DAY_KINDS = ("weekday", "weekend", "holiday")


def is_holiday(day: dt.date) -> bool:
    """A public holiday, or the working day its day off moved to."""
    return (day.month, day.day) in FIXED_HOLIDAYS or day in transferred_days_off(day.year)


@functools.lru_cache(maxsize=64)
def transferred_days_off(year: int) -> frozenset[dt.date]:
    """Art. 112: a holiday on a Saturday or Sunday moves the day off to the next working day.

    The January holidays are the exception: the government moves two of them by a yearly decree, which
    is not modelled here (those weekends simply stay days off).
    """
    moved: set[dt.date] = set()
    for month, day in sorted(FIXED_HOLIDAYS):
        date = dt.date(year, month, day)
        if month == 1 or date.weekday() < 5:
            continue
        following = date + dt.timedelta(days=1)
        while following.weekday() >= 5 or (following.month, following.day) in FIXED_HOLIDAYS or following in moved:
            following += dt.timedelta(days=1)
        moved.add(following)
    return frozenset(moved)


def day_kind(day: dt.date) -> str:
    if is_holiday(day):
        return "holiday"
    return "weekend" if day.weekday() >= 5 else "weekday"


def is_day_off(day: dt.date) -> bool:
    return day.weekday() >= 5 or is_holiday(day)


def days_off(days: np.ndarray) -> np.ndarray:
    """``is_day_off`` for an array of ``datetime64[D]``: weekends, holidays and moved days off."""
    days = np.asarray(days, dtype="datetime64[D]")
    weekday = (days.astype("int64") + 3) % 7  # 1970-01-01 was a Thursday
    off = weekday >= 5
    if len(days):
        unique = np.unique(days)
        holidays = np.array([is_holiday(d.item()) for d in unique])
        off |= np.isin(days, unique[holidays])
    return off
