"""Temperatures shaped for a chart: on a consumption or forecast axis, in the metering point's local time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from analytics.calendar import days_off
from analytics.consumption import period_series
from analytics.series import local_date
from caching.answers import cached_for_points
from data.clickhouse.readings import meter_totals
from data.relational.meters import MeterInfo
from data.services import Services
from weather.balance import Balance, fit
from weather.pull import hourly_temperatures, place_of_meter


def temperature_on_axis(services: Services, meter: MeterInfo, axis: pd.Series, step: str) -> np.ndarray | None:
    """The mean air temperature of each period of ``axis`` (local wall times of ``step``: 30min, hour, day, week,
    month) at ``meter``'s place; None when the place is unknown or no hour of the range has a temperature."""
    place = place_of_meter(meter)
    if place is None or axis.empty:
        return None
    local = pd.to_datetime(axis)
    if local.dt.tz is not None:
        local = local.dt.tz_localize(None)
    shift = pd.Timedelta(seconds=meter.utc_offset)
    first = (local.iloc[0] - shift).tz_localize("UTC").to_pydatetime()
    last = (local.iloc[-1] - shift).tz_localize("UTC").to_pydatetime() + _span(step)
    frame = hourly_temperatures(services, place, first, last)
    if frame.empty:
        return None
    hours = pd.to_datetime(frame["ts"], utc=True).dt.tz_localize(None) + shift
    temps = pd.Series(frame["temperature"].to_numpy(dtype="float64"), index=hours)
    if step in ("30min", "hour"):
        out = temps.reindex(local.dt.floor("h")).to_numpy()
    else:
        keys = _period_start(pd.Series(temps.index), step)
        means = temps.groupby(keys.to_numpy()).mean()
        out = means.reindex(_period_start(local, step)).to_numpy()
    out = np.asarray(out, dtype="float64").round(1)
    return out if np.isfinite(out).any() else None


def temperature_of_points(
    services: Services, meters: Sequence[MeterInfo], axis: pd.Series, step: str
) -> np.ndarray | None:
    """The temperature a group of points feels (an organization's total, several chosen points) on ``axis``: with
    one place, that place's; with points in several towns, each place's temperature weighted by what its points
    used over the axis' days (by their number where nothing was used yet), an hour a place does not know left to the
    others. None when no place is known."""
    groups: dict[str, list[MeterInfo]] = {}
    for meter in meters:
        place = place_of_meter(meter)
        if place is not None:
            groups.setdefault(place.key, []).append(meter)
    if len(groups) <= 1:
        lead = next(iter(groups.values()))[0] if groups else (meters[0] if meters else None)
        return temperature_on_axis(services, lead, axis, step) if lead is not None else None
    local = pd.to_datetime(axis)
    first, last = local.min().date(), local.max().date() + dt.timedelta(days=1)
    used = meter_totals(services.store, [m.id for m in meters], first, last)
    temps, weights, counts = [], [], []
    for group in groups.values():
        temp = temperature_on_axis(services, group[0], axis, step)
        if temp is not None:
            temps.append(temp)
            weights.append(sum(max(used.get(m.id, 0.0), 0.0) for m in group))
            counts.append(float(len(group)))
    if not temps:
        return None
    return weighted_temperature(np.vstack(temps), np.array(weights if sum(weights) > 0 else counts))


def weighted_temperature(temps: np.ndarray, weights: np.ndarray) -> np.ndarray | None:
    """Per column of ``temps`` (a row per place), the mean weighted by ``weights`` over the places that know it."""
    known = np.isfinite(temps)
    share = np.where(known, weights[:, None], 0.0)
    total = share.sum(axis=0)
    summed = (np.where(known, temps, 0.0) * share).sum(axis=0)
    out = np.where(total > 0, summed / np.where(total > 0, total, 1.0), np.nan).round(1)
    return out if np.isfinite(out).any() else None


def _span(step: str) -> dt.timedelta:
    return {"30min": dt.timedelta(minutes=30), "hour": dt.timedelta(hours=1), "day": dt.timedelta(days=1),
            "week": dt.timedelta(days=7), "month": dt.timedelta(days=31)}.get(step, dt.timedelta(hours=1))  # fmt: skip


def _period_start(stamps: pd.Series, step: str) -> pd.Series:
    days = stamps.dt.floor("D")
    if step == "week":
        return days - pd.to_timedelta(days.dt.weekday, unit="D")
    if step == "month":
        return days - pd.to_timedelta(days.dt.day - 1, unit="D")
    return days


@dataclass(frozen=True)
class WeatherDays:
    """Each local day's kWh, mean temperature and kind, and the change-point model fitted to them (if it holds)."""

    days: pd.DataFrame  # ts (local date), value (kWh), temperature (°C), off (bool)
    balance: Balance | None
    has_weather: bool


def weather_days(services: Services, meters: list[MeterInfo], start: dt.datetime, end: dt.datetime) -> WeatherDays:
    """Daily consumption of ``meters`` against the lead point's weather over ``[start, end)``; computed once per data
    version (a pull that stores new hours moves every version) for every reader of the same points and days."""
    today = local_date(dt.datetime.now(dt.UTC), meters[0].utc_offset)
    read = partial(_weather_days, services, meters, start, end, today)
    return cached_for_points(services, "weather days", meters, (start, end, today), read)


def _weather_days(
    services: Services, meters: list[MeterInfo], start: dt.datetime, end: dt.datetime, today: dt.date
) -> WeatherDays:
    frame = period_series(services.store, meters, start, end, "day")
    temperature = temperature_of_points(services, meters, frame["ts"], "day") if not frame.empty else None
    if temperature is None:
        return WeatherDays(pd.DataFrame(), None, False)
    stamps = pd.to_datetime(frame["ts"])
    whole = (stamps.dt.date < today).to_numpy()  # today so far is not a day's consumption
    frame, stamps, temperature = frame[whole], stamps[whole], temperature[whole]
    off = days_off(stamps.to_numpy().astype("datetime64[D]"))
    days = pd.DataFrame({"ts": stamps, "value": frame["value"].to_numpy(dtype="float64"), "temperature": temperature,
                         "off": off})  # fmt: skip
    return WeatherDays(days, fit(days["value"].to_numpy(), temperature, off), True)
