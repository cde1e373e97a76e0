"""Consumption against the air temperature, day by day: where heating (and cooling) starts, and how much each degree
costs. Pure arrays in, a :class:`Balance` out.

The model is the ASHRAE change-point regression (Guideline 14, "3P/5P"): a day's kWh is a base, plus a slope times
the heating degrees below the balance point, plus (when it pays) a slope times the cooling degrees above a second
one, plus a day-off shift; balance points are searched on a 0.5 °C grid by least squares.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MIN_DAYS = 21
MIN_SPREAD_C = 6.0  # fewer degrees between the coldest and the warmest day: the weather says nothing
GRID = np.arange(5.0, 24.01, 0.5)
COOLING_GAIN = 0.10  # a cooling term is kept when it removes at least this share of the remaining error
MIN_R2 = 0.3  # below it the temperature explains too little to name a balance point


@dataclass(frozen=True)
class Balance:
    days: int
    base_kwh: float  # a working day's kWh with neither heating nor cooling
    heating_base_c: float | None  # below this mean daily temperature consumption grows
    heating_kwh_per_degree: float  # kWh per heating degree-day
    cooling_base_c: float | None
    cooling_kwh_per_degree: float
    heating_degree_days: float  # over the days given, at the fitted balance point
    cooling_degree_days: float
    r2: float  # the share of the day-to-day variation the model explains
    heating_every_day: bool = False  # no day was warmer than the balance point: it is only known to be at least that

    @property
    def heating_kwh(self) -> float:
        """What heating cost over the days given."""
        return self.heating_kwh_per_degree * self.heating_degree_days

    @property
    def cooling_kwh(self) -> float:
        return self.cooling_kwh_per_degree * self.cooling_degree_days

    def predicted(self, temperature: np.ndarray) -> np.ndarray:
        """A working day's kWh at each mean daily temperature (the fitted line drawn on the chart)."""
        out = np.full(len(temperature), self.base_kwh)
        if self.heating_base_c is not None:
            out += self.heating_kwh_per_degree * np.clip(self.heating_base_c - temperature, 0, None)
        if self.cooling_base_c is not None:
            out += self.cooling_kwh_per_degree * np.clip(temperature - self.cooling_base_c, 0, None)
        return out


def fit(kwh: np.ndarray, temperature: np.ndarray, day_off: np.ndarray | None = None) -> Balance | None:
    """The change-point model of daily ``kwh`` on mean daily ``temperature`` (°C); None when the days are too few,
    the weather too even, or the temperature explains too little."""
    kwh, temperature = np.asarray(kwh, dtype="float64"), np.asarray(temperature, dtype="float64")
    off = np.zeros(len(kwh)) if day_off is None else np.asarray(day_off, dtype="float64")
    ok = np.isfinite(kwh) & np.isfinite(temperature)
    kwh, temperature, off = kwh[ok], temperature[ok], off[ok]
    if len(kwh) < MIN_DAYS or np.ptp(temperature) < MIN_SPREAD_C:
        return None
    use_off = 0 < off.sum() < len(off)
    total = float(((kwh - kwh.mean()) ** 2).sum())
    best: tuple[float, float | None, float | None, np.ndarray] | None = None
    grid: list[float | None] = [None, *(float(g) for g in GRID)]
    for heat in grid:
        for cool in grid:
            if heat is None and cool is None or (heat is not None and cool is not None and cool < heat + 1):
                continue
            columns = [np.ones(len(kwh))] + ([off] if use_off else [])
            columns += [np.clip(heat - temperature, 0, None)] if heat is not None else []
            columns += [np.clip(temperature - cool, 0, None)] if cool is not None else []
            x = np.column_stack(columns)
            beta, *_ = np.linalg.lstsq(x, kwh, rcond=None)
            slopes = beta[2 if use_off else 1 :]
            if (slopes < 0).any():
                continue  # more heat for warmer days is not heating
            sse = float(((kwh - x @ beta) ** 2).sum())
            if best is None or sse < best[0]:
                best = (sse, heat, cool, beta)
    if best is None:
        return None
    sse, heat, cool, beta = best
    if heat is not None and cool is not None:  # is the cooling term worth it?
        alone = _sse_heating_only(kwh, temperature, off, use_off, heat)
        if alone is not None and sse > (1 - COOLING_GAIN) * alone[0]:
            sse, cool, beta = alone[0], None, alone[1]
    warmest = float(temperature.max())
    if heat is not None and cool is None and heat >= warmest:
        # Every day was a heating day: any balance point at or above the warmest day fits the same, so the days
        # only say it is at least that warm; that lower bound is what is reported (never an arbitrary grid point).
        bound = math.ceil(round(warmest * 10, 6)) / 10
        alone = _sse_heating_only(kwh, temperature, off, use_off, bound)
        if alone is not None:
            heat, (sse, beta) = bound, alone
    r2 = 1 - sse / total if total > 0 else 0.0
    if r2 < MIN_R2:
        return None
    slopes = list(beta[2 if use_off else 1 :])
    heat_slope = float(slopes.pop(0)) if heat is not None else 0.0
    cool_slope = float(slopes.pop(0)) if cool is not None else 0.0
    return Balance(
        days=len(kwh),
        base_kwh=float(beta[0]),
        heating_base_c=heat,
        heating_kwh_per_degree=heat_slope,
        cooling_base_c=cool,
        cooling_kwh_per_degree=cool_slope,
        heating_degree_days=float(np.clip(heat - temperature, 0, None).sum()) if heat is not None else 0.0,
        cooling_degree_days=float(np.clip(temperature - cool, 0, None).sum()) if cool is not None else 0.0,
        r2=float(r2),
        heating_every_day=heat is not None and heat >= warmest,
    )


def _sse_heating_only(
    kwh: np.ndarray, temperature: np.ndarray, off: np.ndarray, use_off: bool, heat: float
) -> tuple[float, np.ndarray] | None:
    columns = [np.ones(len(kwh))] + ([off] if use_off else []) + [np.clip(heat - temperature, 0, None)]
    x = np.column_stack(columns)
    beta, *_ = np.linalg.lstsq(x, kwh, rcond=None)
    if beta[-1] < 0:
        return None
    return float(((kwh - x @ beta) ** 2).sum()), beta
