"""The month-end projection: what was consumed so far plus the stored forecast for the rest of the month, in kWh and
roubles with the 80 % range, and how it compares with the organization's monthly budget.

The range adds up the bounds of every remaining hour and day, as if their errors all went the same way: a wide but
honest range for a cold spell or a holiday that moves the whole rest of the month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.coarse import MonthEstimate

Pricer = Callable[[np.ndarray, np.ndarray], float]  # (local datetime64 stamps, kWh) -> roubles


@dataclass(frozen=True)
class Budget:
    amount: float
    unit: str  # rub | kwh


@dataclass(frozen=True)
class Projection(MonthEstimate):
    """The month's figures (so far, and the month-end estimate with its 80 % range) with the month and its budget."""

    month: dt.date
    budget: Budget | None = None

    @property
    def budget_share(self) -> float | None:
        """The central projection as a share of the budget."""
        if self.budget is None or self.budget.amount <= 0:
            return None
        return float((self.rub if self.budget.unit == "rub" else self.kwh) / self.budget.amount)

    @property
    def over_budget(self) -> bool | None:
        share = self.budget_share
        return None if share is None else bool(share > 1.0)


def month_end(
    now_local: dt.datetime,
    so_far_kwh: float,
    so_far_rub: float,
    hours: pd.DataFrame,
    days: pd.DataFrame,
    pricer: Pricer,
    budget: Budget | None = None,
) -> Projection:
    """``hours``: the stored hourly forecast (``ts`` local, ``value``, ``lower``, ``upper``); ``days``: its daily totals
    (``day``). The rest of the month starts at the next whole hour of ``now_local``."""
    month_start = now_local.date().replace(day=1)
    last_day = calendar.monthrange(month_start.year, month_start.month)[1]
    month_end_at = dt.datetime.combine(month_start.replace(day=last_day), dt.time(0)) + dt.timedelta(days=1)
    next_hour = now_local.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    ts = pd.to_datetime(hours["ts"]) if not hours.empty else pd.Series([], dtype="datetime64[ns]")
    rest = hours[(ts >= next_hour) & (ts < month_end_at)] if not hours.empty else hours
    covered_until = pd.to_datetime(rest["ts"]).max() + pd.Timedelta(hours=1) if not rest.empty else next_hour
    later = days[(pd.to_datetime(days["day"]) >= covered_until) & (pd.to_datetime(days["day"]) < month_end_at)]

    def bounds(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        value = frame["value"].to_numpy(dtype="float64")
        lower = np.where(np.isfinite(frame["lower"].to_numpy(dtype="float64")), frame["lower"], value)
        upper = np.where(np.isfinite(frame["upper"].to_numpy(dtype="float64")), frame["upper"], value)
        return value, lower, upper

    hv, hl, hu = bounds(rest)
    dv, dl, du = bounds(later)
    stamps = pd.to_datetime(rest["ts"]).to_numpy(dtype="datetime64[s]")
    hourly_rub = pricer(stamps, hv)
    rate = hourly_rub / hv.sum() if hv.sum() > 0 else (so_far_rub / so_far_kwh if so_far_kwh > 0 else 0.0)

    def rub(h: np.ndarray, d: np.ndarray) -> float:
        return float(so_far_rub + pricer(stamps, h) + float(d.sum()) * rate)

    return Projection(
        month=month_start,
        so_far_kwh=so_far_kwh,
        so_far_rub=so_far_rub,
        kwh=so_far_kwh + float(hv.sum() + dv.sum()),
        kwh_low=so_far_kwh + float(hl.sum() + dl.sum()),
        kwh_high=so_far_kwh + float(hu.sum() + du.sum()),
        rub=rub(hv, dv),
        rub_low=rub(hl, dl),
        rub_high=rub(hu, du),
        budget=budget,
    )


def with_coarse(
    metered: Projection | None, estimate: MonthEstimate, month: dt.date, budget: Budget | None
) -> Projection:
    """The projection with the points read by hand added (their covered part and the rest at their recent rate), or
    theirs alone when no metered forecast exists (a household that reads its meter by eye)."""
    if metered is None:
        return Projection(**vars(estimate), month=month, budget=budget)
    added = {name: getattr(metered, name) + value for name, value in vars(estimate).items()}
    return Projection(**added, month=metered.month, budget=metered.budget)
