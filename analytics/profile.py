"""Load-profile statistics over an hourly series in local time (columns ``ts``, ``value`` in kWh).

An hourly kWh value is also the average power in kW over that hour, so baseload and peak are in kW.
"""

from __future__ import annotations

import pandas as pd

from analytics.calendar import DAY_KINDS, day_kind

NIGHT_HOURS = range(0, 5)  # local 00:00–05:00: where the baseload shows


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.dropna(subset=["value"])
    return frame.assign(ts=pd.to_datetime(frame["ts"]))


def heatmap(frame: pd.DataFrame) -> pd.DataFrame:
    """Mean kWh by weekday (rows 0 = Monday … 6) and hour of day (columns 0…23)."""
    data = _clean(frame)
    table = data.pivot_table(
        index=data["ts"].dt.day_of_week, columns=data["ts"].dt.hour, values="value", aggfunc="mean"
    )
    return table.reindex(index=range(7), columns=range(24))


def baseload_kw(frame: pd.DataFrame) -> float | None:
    """The typical night minimum: the median over days of the lowest hour between 00:00 and 05:00."""
    data = _clean(frame)
    night = data[data["ts"].dt.hour.isin(NIGHT_HOURS)]
    if night.empty:
        return None
    return float(night.groupby(night["ts"].dt.date)["value"].min().median())


def peak(frame: pd.DataFrame) -> tuple[float, pd.Timestamp] | None:
    data = _clean(frame)
    if data.empty:
        return None
    row = data.loc[data["value"].idxmax()]
    return float(row["value"]), pd.Timestamp(row["ts"])


def duration_curve(frame: pd.DataFrame) -> pd.DataFrame:
    """Hourly loads sorted from highest to lowest against the share of hours (0–100 %) at or above each."""
    values = _clean(frame)["value"].sort_values(ascending=False).reset_index(drop=True)
    n = len(values)
    return pd.DataFrame({"share": [(i + 1) * 100.0 / n for i in range(n)], "value": values})


def day_profiles(frame: pd.DataFrame) -> pd.DataFrame:
    """Mean kWh by hour of day (rows 0…23) for working days, weekends and holidays (columns)."""
    data = _clean(frame)
    kinds = data["ts"].dt.date.map(day_kind)
    table = data.pivot_table(index=data["ts"].dt.hour, columns=kinds, values="value", aggfunc="mean")
    return table.reindex(index=range(24), columns=list(DAY_KINDS))


def load_factor(frame: pd.DataFrame) -> float | None:
    """Average over peak load: 1 is perfectly flat."""
    data = _clean(frame)
    top = data["value"].max() if not data.empty else 0
    return float(data["value"].mean() / top) if top else None


def month_over_month(monthly: pd.DataFrame, months: int) -> pd.DataFrame:
    """The last ``months`` months of a monthly series (``ts`` = first day, ``value``) with the change
    against the month before and against the same month a year earlier (fractions, NaN if unknown)."""
    data = monthly.assign(ts=pd.to_datetime(monthly["ts"])).set_index("ts")["value"]
    table = pd.DataFrame({"value": data})
    table["vs_previous"] = data / data.shift(1) - 1
    table["vs_last_year"] = data / data.shift(12) - 1
    return table.tail(months).reset_index()
