"""Consumption known only over a period, not by the hour: a point read by eye has two readings and the kWh between
them (pure).

Such a period is spread evenly over its hours when a window of the calendar (this month, the same days last year)
asks how much of it falls inside: honestly coarse, never drawn as hours. The month-end estimate carries the recent
daily rate past the last reading; its range is the lowest and the highest rate of the last periods (one period alone
gives ±25 %, a choice: a household's month-to-month swing is of that order outside the heating season).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

RECENT_PERIODS = 3  # the rates the month-end range is drawn from
SINGLE_PERIOD_SPREAD = 0.25  # ± on the rate when only one period is known


@dataclass(frozen=True)
class CoarseUse:
    """kWh (and roubles, when the prices were known) used by one point between two moments (UTC)."""

    meter_id: int
    start: dt.datetime
    end: dt.datetime
    kwh: float
    rub: float | None


@dataclass(frozen=True)
class Share:
    kwh: float = 0.0
    rub: float = 0.0


@dataclass(frozen=True)
class MonthEstimate:
    """What the periods say of a month: the part they cover (``so_far``) and the whole month's estimate with its
    range, the uncovered rest at each point's recent daily rate and price."""

    so_far_kwh: float
    so_far_rub: float
    kwh: float
    kwh_low: float
    kwh_high: float
    rub: float
    rub_low: float
    rub_high: float


def share(uses: Sequence[CoarseUse], lo: dt.datetime, hi: dt.datetime) -> Share:
    """The part of every period inside [lo, hi), each spread evenly over its length."""
    kwh = rub = 0.0
    for use in uses:
        part = _overlap(use, lo, hi)
        kwh += use.kwh * part
        rub += (use.rub or 0.0) * part
    return Share(kwh, rub)


def by_meter(uses: Sequence[CoarseUse], lo: dt.datetime, hi: dt.datetime) -> dict[int, float]:
    """kWh inside [lo, hi) per point (points whose periods miss the window are left out)."""
    out: dict[int, float] = {}
    for use in uses:
        part = _overlap(use, lo, hi)
        if part > 0:
            out[use.meter_id] = out.get(use.meter_id, 0.0) + use.kwh * part
    return out


def month_estimate(uses: Sequence[CoarseUse], month_start: dt.datetime, month_end: dt.datetime) -> MonthEstimate | None:
    """The month [month_start, month_end) by the periods: None when no point has a period to take a rate from."""
    points: dict[int, list[CoarseUse]] = {}
    for use in sorted(uses, key=lambda u: u.end):
        points.setdefault(use.meter_id, []).append(use)
    if not points:
        return None
    covered = share(uses, month_start, month_end)
    kwh = [covered.kwh] * 3  # central, low, high
    rub = [covered.rub] * 3
    for periods in points.values():
        last = periods[-1]
        rest_days = (month_end - max(month_start, last.end)).total_seconds() / 86400
        if rest_days <= 0:
            continue
        rates = [p.kwh / _days(p) for p in periods[-RECENT_PERIODS:]]
        central = rates[-1]
        if len(rates) == 1:
            low, high = central * (1 - SINGLE_PERIOD_SPREAD), central * (1 + SINGLE_PERIOD_SPREAD)
        else:
            low, high = min(rates), max(rates)
        price = _price(periods)
        for i, rate in enumerate((central, low, high)):
            kwh[i] += rate * rest_days
            rub[i] += rate * rest_days * price
    return MonthEstimate(covered.kwh, covered.rub, kwh[0], kwh[1], kwh[2], rub[0], rub[1], rub[2])


def _overlap(use: CoarseUse, lo: dt.datetime, hi: dt.datetime) -> float:
    """The share of the period inside [lo, hi)."""
    length = (use.end - use.start).total_seconds()
    inside = (min(hi, use.end) - max(lo, use.start)).total_seconds()
    return max(0.0, inside) / length if length > 0 else 0.0


def _days(use: CoarseUse) -> float:
    return max((use.end - use.start).total_seconds() / 86400, 1 / 24)


def _price(periods: list[CoarseUse]) -> float:
    """Roubles per kWh of the newest priced period (its zone split carries on); 0 when none was priced."""
    for p in reversed(periods):
        if p.rub is not None and p.kwh > 0:
            return p.rub / p.kwh
    return 0.0
