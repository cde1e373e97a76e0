"""Russian time-of-day tariff zones and what consumption costs under them.

Zones are by local time: two-zone day 07–23 and night 23–07; three-zone peak 07–10 and 17–21,
half-peak 10–17 and 21–23, night 23–07. Prices (roubles per kWh) come from the settings, because
they differ by region and change every year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

Prices = Mapping[str, Mapping[str, float]]


def zone_of(plan: str, local_hour: int) -> str:
    night = local_hour >= 23 or local_hour < 7
    if plan == "two_zone":
        return "night" if night else "day"
    if plan == "three_zone":
        if night:
            return "night"
        return "peak" if 7 <= local_hour < 10 or 17 <= local_hour < 21 else "half_peak"
    return "single"


def zone_spans(plan: str, start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """Consecutive local-time spans ``(from, to, zone)`` covering ``[start, end)``, for chart shading."""
    spans: list[tuple[dt.datetime, dt.datetime, str]] = []
    hour = start.replace(minute=0, second=0, microsecond=0)
    while hour < end:
        zone = zone_of(plan, hour.hour)
        following = hour + dt.timedelta(hours=1)
        if spans and spans[-1][2] == zone and spans[-1][1] == hour:
            spans[-1] = (spans[-1][0], following, zone)
        else:
            spans.append((hour, following, zone))
        hour = following
    return spans


def cost(hours: pd.DataFrame, plans: Mapping[int, str], offsets: Mapping[int, int], prices: Prices) -> float:
    """Roubles for ``hours`` (columns meter_id, utc_hour, value in kWh) under each meter's plan and zone."""
    if hours.empty:
        return 0.0
    meters = hours["meter_id"].astype("int64")
    local = (hours["utc_hour"].astype("int64") + meters.map(lambda m: offsets.get(m, 0) // 3600)) % 24
    per_plan = meters.map(lambda m: plans.get(m, "single"))
    tables = {plan: hourly_prices(prices, plan) for plan in set(per_plan)}
    rates = [tables[plan][hour] for plan, hour in zip(per_plan, local, strict=True)]
    return float(np.dot(hours["value"].to_numpy(dtype="float64"), np.asarray(rates)))


def cost_by_local_hour(local_hours: np.ndarray, kwh: np.ndarray, plan: str, prices: Prices) -> float:
    """Roubles for values already keyed by local hour of day (NaN values cost nothing)."""
    rates = np.asarray(hourly_prices(prices, plan))[local_hours]
    return float(np.nansum(kwh * rates))


def hourly_prices(prices: Prices, plan: str) -> list[float]:
    """The price of each local hour 0…23 under a plan."""
    return [price(prices, plan, zone_of(plan, hour)) for hour in range(24)]


def price(prices: Prices, plan: str, zone: str) -> float:
    plan_prices = prices.get(plan) or prices.get("single") or {}
    return float(plan_prices.get(zone, next(iter(plan_prices.values()), 0.0)))
