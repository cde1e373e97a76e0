"""The cost of a business point's consumption under each price category (see ``docs/tariffs.md``).

For one point and one month (or part of a month), from its hourly consumption in local time:

- **1st**: every MWh at the single price;
- **2nd**: each zone's MWh at the zone's price (three zones, or two for a two-zone plan);
- **3rd**: each hour's MWh at that hour's energy price, plus the **capacity** charge: the capacity volume — the mean,
  over the working days, of the point's consumption in the region's peak hour of each day — × the capacity price;
- **4th**: as the 3rd (the energy price without the network), plus the network's two-rate charge: the network
  volume — the mean, over the working days, of the day's largest hourly consumption within the network's planned peak
  hours — × the network rate per MW, and every MWh × the network's rate for losses;
- **5th** and **6th**: as the 3rd and the 4th, plus charges for deviating from an hourly plan. Wattboard holds no
  consumer's hourly plan, so these are priced as if the plan had been met (no deviation charges) and say so.

A part of a month bears the capacity and network charges in proportion to its working days (the whole month bears
them whole): totals over a month are exactly the formulas above, and a week is a fair share of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from analytics.calendar import is_working_day, working_days
from analytics.market import PeakHours, Sheet, next_month
from analytics.tariffs import zone_of

MWH = 1000.0  # kWh in a MWh


@dataclass(frozen=True)
class CategoryCost:
    """Roubles without VAT, by component; volumes in MW; ``projected`` when a price or peak hour was not published."""

    category: int
    kwh: float = 0.0
    energy: float = 0.0
    capacity: float = 0.0
    network: float = 0.0
    capacity_mw: float = 0.0
    network_mw: float = 0.0
    projected: bool = False
    missing: bool = False  # no prices at all for some month: the total is unknown
    months: tuple[dt.date, ...] = field(default_factory=tuple)

    @property
    def total(self) -> float:
        return float("nan") if self.missing else self.energy + self.capacity + self.network

    def __add__(self, other: CategoryCost) -> CategoryCost:
        return CategoryCost(
            self.category,
            self.kwh + other.kwh,
            self.energy + other.energy,
            self.capacity + other.capacity,
            self.network + other.network,
            max(self.capacity_mw, other.capacity_mw),
            max(self.network_mw, other.network_mw),
            self.projected or other.projected,
            self.missing or other.missing,
            self.months + other.months,
        )


def hourly_frame(local_ts: np.ndarray, kwh: np.ndarray) -> pd.DataFrame:
    """Local wall times (hourly, ``datetime64``) and kWh → columns day (``datetime.date``), hour, kwh (NaN dropped).
    In numpy, not pandas' datetime accessors: a bill of ten thousand points builds ten thousand of these."""
    values = np.asarray(kwh, dtype="float64")
    known = ~np.isnan(values)
    stamps = np.asarray(local_ts, dtype="datetime64[s]")[known]
    days = stamps.astype("datetime64[D]")
    hours = ((stamps - days) // np.timedelta64(1, "h")).astype("int64")
    return pd.DataFrame({"day": days.astype(object), "hour": hours, "kwh": values[known]})


def month_cost(
    hours: pd.DataFrame,
    category: int,
    sheet: Sheet,
    peaks: PeakHours | None,
    zone_plan: str = "three_zone",
    period: tuple[dt.date, dt.date] | None = None,
) -> CategoryCost:
    """The cost of ``hours`` (day, hour, kwh; all in one month) under ``category`` at ``sheet``'s prices.

    ``period`` is the ``[first, last)`` local days the hours stand for (default: the whole month): capacity and network
    charges are taken for that period's share of the month's working days."""
    month = sheet.month
    first, last = period or (month, next_month(month))
    kwh = float(hours["kwh"].sum())
    projected = sheet.projected or (peaks is not None and peaks.projected and category >= 3)
    cost = partial(CategoryCost, category=category, kwh=kwh, projected=bool(projected), months=(month,))
    if category == 1:
        return cost(energy=kwh / MWH * _required(sheet.single, "single"))
    if category == 2:
        plan = zone_plan if zone_plan in ("two_zone", "three_zone") else "three_zone"
        zones = np.array([zone_of(plan, h) for h in range(24)])[hours["hour"].to_numpy(dtype="int64")]
        kwh_by_hour = hours["kwh"].to_numpy()
        energy = sum(
            float(kwh_by_hour[zones == zone].sum()) / MWH * _required(sheet.zones.get(zone), f"zone {zone}")
            for zone in sorted(set(zones.tolist()))
        )
        return cost(energy=energy)
    prices = np.array([sheet.energy_price(d, int(h)) for d, h in zip(hours["day"], hours["hour"], strict=True)])
    energy = float(np.dot(hours["kwh"].to_numpy(), prices)) / MWH
    share = _working_share(month, first, last)
    capacity_mw = capacity_volume(hours, peaks)
    capacity = capacity_mw * _required(sheet.capacity, "capacity") * share
    network = network_mw = 0.0
    if category in (4, 6):
        network_mw = network_volume(hours, peaks)
        network = network_mw * _required(sheet.network_capacity, "network capacity") * share
        network += kwh / MWH * _required(sheet.network_energy, "network losses")
    return cost(energy=energy, capacity=capacity, network=network, capacity_mw=capacity_mw, network_mw=network_mw)


def capacity_volume(hours: pd.DataFrame, peaks: PeakHours | None) -> float:
    """MW: the mean over the working days in ``hours`` of the consumption (MWh) in each day's peak hour."""
    if peaks is None:
        return 0.0
    values = []
    for day, rows in hours.groupby("day"):
        if not is_working_day(day):
            continue
        hour = peaks.hour_of(day)
        at = rows.loc[rows["hour"] == hour, "kwh"]
        values.append(float(at.sum()) / MWH if hour is not None else 0.0)
    return float(np.mean(values)) if values else 0.0


def network_volume(hours: pd.DataFrame, peaks: PeakHours | None) -> float:
    """MW: the mean over the working days in ``hours`` of the day's largest hourly consumption (MWh) within the
    network's planned peak hours."""
    if peaks is None:
        return 0.0
    values = []
    for day, rows in hours.groupby("day"):
        if not is_working_day(day):
            continue
        inside = rows.loc[rows["hour"].map(lambda h: peaks.in_network(int(h))), "kwh"]
        values.append(float(inside.max()) / MWH if len(inside) else 0.0)
    return float(np.mean(values)) if values else 0.0


def _working_share(month: dt.date, first: dt.date, last: dt.date) -> float:
    in_month = working_days(month, next_month(month))
    inside = [d for d in in_month if first <= d < last]
    return len(inside) / len(in_month) if in_month else 0.0


class PriceMissing(LookupError):
    """A sheet lacks a price its category needs."""


def _required(value: float | None, what: str) -> float:
    if value is None:
        raise PriceMissing(f"the price sheet has no {what} price")
    return float(value)


def months_of(frame: pd.DataFrame) -> dict[dt.date, pd.DataFrame]:
    """The hours of ``frame`` (day, hour, kwh) by the first day of their month."""
    if frame.empty:
        return {}
    months = np.array([d.year * 12 + d.month - 1 for d in frame["day"]])  # months since year 0
    return {dt.date(int(m) // 12, int(m) % 12 + 1, 1): frame[months == m] for m in np.unique(months)}
