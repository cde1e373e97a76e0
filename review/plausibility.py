"""What a point's own history makes plausible, and the split of a partner batch into kept and held readings.

A reading is held when it is above ``factor`` × the point's 99th percentile for that local hour of day (the
percentile taken no lower than a tenth of the point's highest hourly percentile, so that an hour that is
usually near zero does not hold every ordinary value), or above what the connection can deliver in one interval
when its capacity is known. A point with less than ``min_days`` of history is judged by its capacity alone, or,
when that is not known either, by a prior for its kind of consumer (``PRIOR_KW``): a brand-new point cannot take a
90,000 kWh half-hour unseen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from data.relational.meters import MeterInfo

HISTORY_DAYS = 90  # the window the percentiles are taken over
# What a point of each kind of consumer can plausibly draw when neither its history nor its capacity says: a Russian
# flat or house is connected for 15 kW at most (a third of that is usual), a shop or an office for a few hundred kW,
# a plant's connection may reach tens of MW. Generous on purpose: these catch values no meter of the kind produces.
PRIOR_KW = {"household": 50.0, "business": 2_000.0, "industrial": 50_000.0}


@dataclass(frozen=True)
class Limit:
    """The most a point may plausibly use in one interval, by local hour of day (kWh), and its capacity."""

    utc_offset: int
    by_hour: dict[int, float] = field(default_factory=dict)
    capacity_kwh_per_hour: float | None = None
    prior: bool = False  # the capacity is the prior for the consumer's kind, not the point's own

    def check(self, ts: int, value: float, interval_s: int) -> tuple[float, str] | None:
        """``(limit, reason)`` when the value is implausible, else None."""
        if self.capacity_kwh_per_hour is not None:
            most = self.capacity_kwh_per_hour * interval_s / 3600
            if value > most and self.prior:
                return most, (
                    f"a new point without history or known capacity: more than {most:.3f} kWh in "
                    f"{interval_s // 60} min is not plausible for its kind of consumer"
                )
            if value > most:
                return most, f"above the connection's capacity: at most {most:.3f} kWh in {interval_s // 60} min"
        hour = ((ts + self.utc_offset) // 3600) % 24
        limit = self.by_hour.get(hour)
        if limit is not None and value > limit:
            return limit, f"far above this point's history for {hour:02d}:00 (at most {limit:.3f} kWh is plausible)"
        return None


def limits_from_history(
    meters: list[MeterInfo], p99: pd.DataFrame, factor: float, min_days: int
) -> dict[tuple[str, int], Limit]:
    """``(code, interval_s)`` → :class:`Limit`, from the per-hour percentiles of
    :func:`data.clickhouse.readings.hourly_p99`."""
    by_id = {m.id: m for m in meters}
    limits: dict[tuple[str, int], Limit] = {}
    for (meter_id, interval_s), rows in p99.groupby(["meter_id", "interval_s"]) if not p99.empty else []:
        meter = by_id.get(int(meter_id))
        per_hour = max(1, 3600 // int(interval_s))
        if meter is None or len(rows) < 24 or int(rows["samples"].min()) < min_days * per_hour:
            continue  # not every hour of the day seen on enough days yet
        floor = float(rows["p99"].max()) / 10
        by_hour = {int(h): factor * max(float(v), floor) for h, v in zip(rows["hour"], rows["p99"], strict=True)}
        limits[(meter.code, int(interval_s))] = Limit(meter.utc_offset, by_hour, meter.max_power_kw)
    for meter in meters:
        capacity = meter.max_power_kw
        if capacity is None and not any(k[0] == meter.code for k in limits):  # no history and no capacity
            capacity = PRIOR_KW.get(meter.organization_kind, PRIOR_KW["business"])
        if capacity is None:
            continue
        for key in [k for k in limits if k[0] == meter.code] or [(meter.code, 0)]:
            limits.setdefault(key, Limit(meter.utc_offset, {}, capacity, prior=meter.max_power_kw is None))
    return limits


def limit_for(limits: dict[tuple[str, int], Limit], code: str, interval_s: int) -> Limit | None:
    return limits.get((code, interval_s)) or limits.get((code, 0))


@dataclass
class Held:
    code: str
    ts: int
    interval_s: int
    value: float
    status: int
    limit_kwh: float
    reason: str


def split(
    series: dict[tuple[str, int], list[tuple[int, float, int]]], limits: dict[tuple[str, int], Limit]
) -> tuple[dict[tuple[str, int], list[tuple[int, float, int]]], list[Held]]:
    """The series without their implausible readings, and those readings."""
    kept: dict[tuple[str, int], list[tuple[int, float, int]]] = {}
    held: list[Held] = []
    for (code, interval), rows in series.items():
        limit = limit_for(limits, code, interval)
        if limit is None:
            kept[(code, interval)] = rows
            continue
        ok = []
        for ts, value, status in rows:
            verdict = limit.check(ts, value, interval)
            if verdict is None:
                ok.append((ts, value, status))
            else:
                held.append(Held(code, ts, interval, value, status, verdict[0], verdict[1]))
        if ok:
            kept[(code, interval)] = ok
    return kept, held


def history_since(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=HISTORY_DAYS)
