"""Realistic consumption: daily, weekly and seasonal shape, Russian public holidays, the weather, noise."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analytics.calendar import days_off, shortened


@dataclass(frozen=True)
class Profile:
    """Average power in kW by hour of day for working days and days off, plus seasonality."""

    kind: str
    scale_kw: float
    workday: tuple[float, ...]
    dayoff: tuple[float, ...]
    winter_boost: float  # extra share of load in the coldest month
    noise: float
    last_work_hour: int | None = None  # on a shortened pre-holiday day this hour already has the evening's level


# fmt: off
_HOUSE_DAY = (0.35, 0.3, 0.28, 0.27, 0.27, 0.3, 0.55, 0.9, 0.8, 0.5, 0.4, 0.4,
              0.45, 0.45, 0.4, 0.4, 0.5, 0.75, 1.0, 1.1, 1.05, 0.9, 0.7, 0.5)
_HOUSE_OFF = (0.4, 0.33, 0.3, 0.28, 0.28, 0.3, 0.35, 0.5, 0.7, 0.85, 0.9, 0.9,
              0.9, 0.85, 0.8, 0.8, 0.85, 0.95, 1.05, 1.1, 1.05, 0.95, 0.75, 0.55)
_OFFICE_DAY = (0.2, 0.2, 0.2, 0.2, 0.2, 0.22, 0.3, 0.55, 0.9, 1.0, 1.0, 1.0,
               0.95, 1.0, 1.0, 1.0, 0.95, 0.85, 0.55, 0.35, 0.28, 0.25, 0.22, 0.2)
_OFFICE_OFF = (0.2,) * 24
_FACTORY_DAY = (0.45, 0.45, 0.45, 0.45, 0.45, 0.5, 0.7, 0.95, 1.0, 1.0, 1.0, 0.95,
                0.85, 1.0, 1.0, 1.0, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.48, 0.45)
_FACTORY_OFF = (0.35,) * 24
# fmt: on

PROFILES = {
    "household": Profile("household", 1.2, _HOUSE_DAY, _HOUSE_OFF, 0.45, 0.25),
    "office": Profile("office", 40.0, _OFFICE_DAY, _OFFICE_OFF, 0.25, 0.08, last_work_hour=17),
    "factory": Profile("factory", 420.0, _FACTORY_DAY, _FACTORY_OFF, 0.15, 0.06),
}


def power_kw(
    profile: Profile,
    local_times: np.ndarray,
    scale: float,
    rng: np.random.Generator,
    coldness: np.ndarray | None = None,
) -> np.ndarray:
    """Average power (kW) at the given local times (numpy datetime64[s]).

    ``coldness``: how much colder than the year's mean each time's day is, in units of the place's seasonal swing
    (about −1 in July, +1 in mid-January, more in a cold snap); without it, the season's mean curve."""
    days = local_times.astype("datetime64[D]")
    hours = (local_times - days).astype("timedelta64[m]").astype(int) / 60.0
    off = days_off(days)
    h0 = np.floor(hours).astype(int) % 24
    frac = hours - np.floor(hours)
    work = np.asarray(profile.workday)
    rest = np.asarray(profile.dayoff)
    shape_work = work[h0] * (1 - frac) + work[(h0 + 1) % 24] * frac
    shape_off = rest[h0] * (1 - frac) + rest[(h0 + 1) % 24] * frac
    if profile.last_work_hour is not None:  # the office goes home an hour early before a holiday (art. 95)
        early = shortened(days) & (np.floor(hours).astype(int) == profile.last_work_hour)
        shape_work = np.where(early, work[(profile.last_work_hour + 1) % 24], shape_work)
    shape = np.where(off, shape_off, shape_work)
    day_of_year = (days - days.astype("datetime64[Y]")).astype(int)
    if coldness is None:
        coldness = np.cos(2 * np.pi * (day_of_year - 15) / 365.25)
    season = 1 + profile.winter_boost * np.clip(coldness, -1.5, 1.8)
    noise = rng.normal(1.0, profile.noise, len(local_times)).clip(0.3, 2.0)
    return profile.scale_kw * scale * shape * season * noise
