"""Russian working calendar: the fixed public holidays and the kind of each day."""

from __future__ import annotations

import datetime as dt

# Labour Code art. 112: New Year holidays and Christmas (1–8 January), 23 February, 8 March,
# 1 and 9 May, 12 June, 4 November. Transferred days off vary by year and are not modelled.
FIXED_HOLIDAYS = frozenset({(1, d) for d in range(1, 9)} | {(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)})

DAY_KINDS = ("weekday", "weekend", "holiday")


def is_holiday(day: dt.date) -> bool:
    return (day.month, day.day) in FIXED_HOLIDAYS


def day_kind(day: dt.date) -> str:
    if is_holiday(day):
        return "holiday"
    return "weekend" if day.weekday() >= 5 else "weekday"
