"""What a month is compared with (pure).

Similar organizations — the same kind (household, business) in the same region — are a fair yardstick only as a
crowd: with at least :data:`MIN_PEERS` of them the letter shows their median and the best fifth per metering point,
never a single organization's figure. With fewer, the organization is compared with its own best month of the last
year instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from forecasting.projection import Projection

MIN_PEERS = 5


@dataclass(frozen=True)
class Peers:
    count: int
    median_per_point: float  # kWh per metering point in the month
    best_fifth_per_point: float  # the 20th percentile: what the most frugal fifth stays under
    own_per_point: float

    @property
    def versus_median(self) -> float:
        """The organization per point against the median, as a fraction (+0.12: 12 % more)."""
        return self.own_per_point / self.median_per_point - 1 if self.median_per_point > 0 else 0.0


@dataclass(frozen=True)
class BestMonth:
    month: dt.date
    kwh: float


def peers(own_kwh: float, own_points: int, others: list[tuple[float, int]]) -> Peers | None:
    """The crowd of similar organizations (each: kWh in the month, metering points), or None when fewer than five
    have data — then no comparison may be shown that could point at one of them."""
    per_point = [kwh / points for kwh, points in others if points > 0 and kwh > 0]
    if len(per_point) < MIN_PEERS or own_points <= 0:
        return None
    values = np.asarray(per_point, dtype=float)
    return Peers(
        count=len(per_point),
        median_per_point=float(np.median(values)),
        best_fifth_per_point=float(np.percentile(values, 20)),
        own_per_point=own_kwh / own_points,
    )


def best_month(history: Sequence[tuple[dt.date, float | None]], month: dt.date) -> BestMonth | None:
    """The organization's lowest complete month of the twelve before ``month`` (None without any)."""
    earlier = [(m, kwh) for m, kwh in history if m < month and kwh is not None and kwh > 0]
    if not earlier:
        return None
    m, kwh = min(earlier[-12:], key=lambda item: item[1])
    return BestMonth(m, kwh)


def change(now: float | None, before: float | None) -> float | None:
    """``now`` against ``before`` as a fraction, None when either is missing or ``before`` is nothing."""
    if now is None or before is None or before <= 0:
        return None
    return now / before - 1


@dataclass(frozen=True)
class Saving:
    kind: str  # tariff | baseload | peak_shift | unusual | data | price_category
    meter_code: str | None
    rub_year: float


@dataclass(frozen=True)
class MonthlyReport:
    organization_id: int
    organization_name: str
    month: dt.date  # the first day of the month reported
    points: int
    kwh: float | None
    rub: float | None
    previous_kwh: float | None
    previous_rub: float | None
    last_year_kwh: float | None
    last_year_rub: float | None
    history: Sequence[tuple[dt.date, float | None]]  # the thirteen months ending with ``month``
    peers: Peers | None
    best: BestMonth | None
    outlook: Projection | None  # the current month's projected end, as the forecast page shows it
    savings: list[Saving]
    base_url: str
