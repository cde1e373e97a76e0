"""What businesses pay: the guaranteeing supplier's published price levels by price category, and the peak hours.

Non-household consumers («прочие потребители») buy at unregulated prices by **price category** (1–6 of the retail
market rules, Government decree № 442 of 04.05.2012) and **voltage level** (ВН, СН-I, СН-II, НН). After each month the
supplier publishes the month's price levels; the region's peak hours come from the System Operator (planned peak
hours), the network (planned peak hours of the network's two-rate tariff) and the market operator (the peak hour of
each working day). ``docs/tariffs.md`` gives the formulas, their sources and the file layout.

All prices here are roubles **without VAT** per MWh (energy) or per MW and month (capacity, network), as published.
A month not yet published is projected with the last published month of the same category and voltage
(:attr:`Sheet.projected` says so), the hourly energy price then being that month's mean for the same hour and kind of
day; a region without any sheet has no business prices at all (:meth:`MarketBook.sheet` gives None).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np

from analytics.calendar import is_working_day

VOLTAGES = ("ВН", "СН-I", "СН-II", "НН")
CATEGORIES = (1, 2, 3, 4, 5, 6)
LARGE_KW = 670.0  # from this maximum capacity only categories 3–6 may be chosen
DEFAULT_CATEGORY = 1  # what a business is on until it chooses
DEFAULT_VOLTAGE = "НН"  # assumed when a point's voltage level is not known (the dearest: never an optimistic figure)
HOUSEHOLD = "household"


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def category_of(organization_kind: str, price_category: int | None) -> int | None:
    """The price category a point is billed by: None for a household (regulated zone tariffs), else its own, or the
    1st until it chooses."""
    if organization_kind == HOUSEHOLD:
        return None
    return price_category or DEFAULT_CATEGORY


def voltage_or_default(voltage: str | None) -> str:
    return voltage if voltage in VOLTAGES else DEFAULT_VOLTAGE


def allowed_categories(max_power_kw: float | None) -> tuple[int, ...]:
    """The categories a point may choose: all six below 670 kW of maximum capacity, from it only the 3rd–6th."""
    return CATEGORIES[2:] if max_power_kw is not None and max_power_kw >= LARGE_KW else CATEGORIES


@dataclass(frozen=True)
class Sheet:
    """One month's price levels for one region, category and voltage level."""

    region: str
    month: dt.date
    category: int
    voltage: str
    version: int = 1
    single: float | None = None  # 1st category, roubles/MWh
    zones: dict[str, float] = field(default_factory=dict)  # 2nd: night, half_peak, peak (three zones); night, day
    energy: dict[dt.date, tuple[float, ...]] = field(default_factory=dict)  # 3rd–6th: day → 24 hourly roubles/MWh
    capacity: float | None = None  # 3rd–6th: roubles per MW and month
    network_capacity: float | None = None  # 4th, 6th: roubles per MW and month
    network_energy: float | None = None  # 4th, 6th: roubles/MWh (network losses)
    over_plan: float | None = None  # 5th, 6th: roubles/MWh for hours the plan exceeded actual consumption
    under_plan: float | None = None  # 5th, 6th: roubles/MWh for hours actual consumption exceeded the plan
    demo: bool = False
    source: str = ""
    projected_from: dt.date | None = None  # set when these are another month's prices standing in for this one

    @property
    def projected(self) -> bool:
        return self.projected_from is not None

    def energy_price(self, day: dt.date, hour: int) -> float:
        """The hourly energy price of a local day and hour; a day without its own price (a projected month) takes the
        mean of that hour over the days of the same kind (working or not) that have one."""
        prices = self.energy.get(day)
        if prices is not None:
            return prices[hour]
        return self.typical[(_working(day), hour)]

    @functools.cached_property
    def typical(self) -> dict[tuple[bool, int], float]:
        """The mean energy price of each hour, on working days and on days off."""
        table: dict[tuple[bool, int], list[float]] = {}
        for day, prices in self.energy.items():
            for hour, value in enumerate(prices):
                table.setdefault((_working(day), hour), []).append(value)
        overall = {
            hour: float(np.mean([v for (_, h), vs in table.items() if h == hour for v in vs])) if table else 0.0
            for hour in range(24)
        }
        return {
            (kind, hour): float(np.mean(table[(kind, hour)])) if (kind, hour) in table else overall[hour]
            for kind in (True, False)
            for hour in range(24)
        }


@dataclass(frozen=True)
class PeakHours:
    """A region's peak hours of one month (local time; hour ranges are ``[from, to)``)."""

    region: str
    month: dt.date
    version: int = 1
    planned: tuple[tuple[int, int], ...] = ()  # the System Operator's planned peak hours
    network: tuple[tuple[int, int], ...] = ()  # the network's planned peak hours (4th and 6th categories)
    peak_hour: dict[dt.date, int] = field(default_factory=dict)  # the market operator's hour of each working day
    demo: bool = False
    source: str = ""
    projected_from: dt.date | None = None

    @property
    def projected(self) -> bool:
        return self.projected_from is not None

    def hour_of(self, day: dt.date) -> int | None:
        """The day's peak hour: published, or (a projected month, a day not published yet) the month's most usual."""
        if day in self.peak_hour:
            return self.peak_hour[day]
        if self.peak_hour:
            return Counter(self.peak_hour.values()).most_common(1)[0][0]
        return self.planned[0][0] if self.planned else None

    def in_planned(self, hour: int) -> bool:
        return any(lo <= hour < hi for lo, hi in self.planned)

    def in_network(self, hour: int) -> bool:
        return any(lo <= hour < hi for lo, hi in (self.network or self.planned))


def _working(day: dt.date) -> bool:
    return is_working_day(day)


class MarketBook:
    """Every published sheet and peak-hours table; the newest version of each is in force."""

    def __init__(self, sheets: Iterable[Sheet] = (), peaks: Iterable[PeakHours] = ()) -> None:
        newest: dict[tuple[str, dt.date, int, str], Sheet] = {}
        for s in sheets:
            key = (s.region, s.month, s.category, s.voltage)
            if key not in newest or s.version > newest[key].version:
                newest[key] = s
        self._sheets = newest
        latest: dict[tuple[str, dt.date], PeakHours] = {}
        for p in peaks:
            if (p.region, p.month) not in latest or p.version > latest[(p.region, p.month)].version:
                latest[(p.region, p.month)] = p
        self._peaks = latest
        self.regions = sorted({k[0] for k in newest})

    def __bool__(self) -> bool:
        return bool(self._sheets)

    def sheet(self, region: str | None, month: dt.date, category: int, voltage: str) -> Sheet | None:
        """The month's sheet, or the last published one before it standing in (``projected_from``), or None."""
        month = first_of_month(month)
        found = self._sheets.get((region or "", month, category, voltage))
        if found is not None:
            return found
        earlier = [m for (r, m, c, v) in self._sheets if (r, c, v) == (region, category, voltage) and m < month]
        if not earlier:
            return None
        source = self._sheets[(region or "", max(earlier), category, voltage)]
        return replace(source, month=month, projected_from=source.month)

    def peaks(self, region: str | None, month: dt.date) -> PeakHours | None:
        month = first_of_month(month)
        found = self._peaks.get((region or "", month))
        if found is not None:
            return found
        earlier = [m for (r, m) in self._peaks if r == region and m < month]
        if not earlier:
            return None
        source = self._peaks[(region or "", max(earlier))]
        return replace(source, month=month, projected_from=source.month)  # its days' hours give the usual one

    def published_months(self, region: str | None) -> list[dt.date]:
        return sorted({m for (r, m, _c, _v) in self._sheets if r == region})
