"""The 80 % interval of a forecast, kept honest when the regime shifts.

Three layers, each fed only by outcomes known before the forecast is made:

1. **Split conformal per lead and hour of day.** The bounds at lead day ``L`` and hour ``h`` are percentiles of the
   model's own log errors ``log(actual / forecast)`` at the same lead, over the last ``calibration`` origins whose
   outcome was known, pooled over the hours ``h ± HOUR_WINDOW`` (a night and an evening err differently; one hour
   alone has too few errors). Unusual days are left out of the pool. The percentiles are split conformal's
   finite-sample ones, ``90 % × (1 + 1/n)`` and its mirror for ``n`` calibrating days (a day's hours err together,
   so the days count, not the hours): with 21 days, the 5.7th and 94.3rd — the plain 10th and 90th held 77–78 % of
   the development windows' actual values, not 80 %.
2. **Adaptive conformal inference** (Gibbs & Candès, NeurIPS 2021; as a width scale, like the quantile tracking of
   Angelopoulos, Candès & Tibshirani, 2023): every day, as each issued interval meets its outcome, the width scale
   of that lead moves by ``GAMMA × (share missed − 20 %)`` on a log scale. A run of misses (a heat wave, a new
   tenant) widens the band within days; a calm spell narrows it back. The long-run share covered tends to 80 %
   whatever the errors' distribution does.
3. **Unusual days.** A day the calendar marks (a public holiday on a weekday, a day off moved by decree, a
   shortened pre-holiday day, a bridge between a holiday and a weekend, the first working day after three or more
   days off) or the weather marks (a day mean 5 °C off the last week's, or a maximum 2 °C beyond the last three
   weeks') is forecast worse. Its band is wider by a factor that starts at ``UNUSUAL_START`` and is adapted the
   same way, on unusual days' outcomes only.

Everything here is arrays in, arrays out; the backtest and the stored forecast both call :func:`issue`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from forecasting.series import Series

TARGET = 0.80  # the share of actual values the band is meant to hold
LOWER_Q, UPPER_Q = (1 - TARGET) / 2, 1 - (1 - TARGET) / 2
HOUR_WINDOW = 2  # hours either side pooled with each hour
GAMMA = 0.15  # how far one day's misses move the log width scale
SCALE_LIMITS = (0.5, 4.0)
UNUSUAL_START = 1.5  # an unusual day's band, relative to an ordinary day's, before any unusual day is seen
MIN_POOL = 24  # fewer errors than this at a lead: the errors of every hour are pooled
WEATHER_JUMP_C = 5.0  # a day's mean this far from the previous week's mean
WEATHER_BEYOND_C = 2.0  # or a maximum this far beyond the last three weeks' range


@dataclass
class Issued:
    """Bounds issued per (origin, lead): log-error bounds for each step of that day, and what was learned."""

    bounds: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    scale: dict[int, float] = field(default_factory=dict)  # lead -> the width scale after the last outcome
    unusual_scale: float = UNUSUAL_START

    def at(self, origin: int, lead: int) -> tuple[np.ndarray, np.ndarray] | None:
        return self.bounds.get((origin, lead))


def issue(
    series: Series,
    lead_errors: dict[int, dict[int, np.ndarray]],
    first: int,
    last: int,
    calibration: int,
    leads: int | None = None,
    unusual: np.ndarray | None = None,
) -> Issued:
    """Walk the days from origin ``first`` to ``last`` (inclusive; ``last`` may be the coming day, whose outcome is
    unknown), learning from each outcome as it becomes known and issuing each origin's bounds for ``leads`` days.
    ``unusual``: :func:`unusual_days` of the series when the caller has it (long enough), else it is worked out."""
    p = series.per_day
    leads = leads if leads is not None else (max(lead_errors) + 1 if lead_errors else 1)
    if unusual is None or len(unusual) < last + leads + 1:
        unusual = unusual_days(series, last + leads + 1)
    out = Issued(scale={lead: 1.0 for lead in range(leads)})
    log_scale = dict.fromkeys(range(leads), 0.0)
    log_unusual = float(np.log(UNUSUAL_START))
    for origin in range(first, last + 1):
        for lead in range(leads):  # outcomes of the day before ``origin`` are known now
            source = origin - 1 - lead
            issued = out.bounds.get((source, lead))
            errors = lead_errors.get(lead, {}).get(source)
            if issued is None or errors is None:
                continue
            valid = ~np.isnan(errors) & np.isfinite(issued[0])
            if not valid.any():
                continue
            missed = float(np.mean((errors[valid] < issued[0][valid]) | (errors[valid] > issued[1][valid])))
            if unusual[source + lead]:
                log_unusual = _step(log_unusual, missed, limits=(1.0, SCALE_LIMITS[1]))
            else:
                log_scale[lead] = _step(log_scale[lead], missed)
        for lead in range(leads):
            base = base_bounds(lead_errors.get(lead, {}), origin, lead, calibration, p, unusual)
            if base is None:
                continue
            factor = np.exp(log_scale[lead] + (log_unusual if unusual[origin + lead] else 0.0))
            out.bounds[(origin, lead)] = widen(base, float(factor))
    out.scale = {lead: float(np.exp(v)) for lead, v in log_scale.items()}
    out.unusual_scale = float(np.exp(log_unusual))
    return out


def _step(log_scale: float, missed: float, limits: tuple[float, float] = SCALE_LIMITS) -> float:
    moved = log_scale + GAMMA * (missed - (1 - TARGET))
    return float(np.clip(moved, np.log(limits[0]), np.log(limits[1])))


def base_bounds(
    by_origin: dict[int, np.ndarray], origin: int, lead: int, calibration: int, p: int, unusual: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """Per-step (low, high) log-error quantiles at ``lead`` from the ``calibration`` origins known before ``origin``,
    each step pooled with its neighbours ``± HOUR_WINDOW`` hours (all steps when that leaves too few)."""
    known = [o for o in range(origin - calibration - lead, origin - lead) if o in by_origin]
    ordinary = [o for o in known if not unusual[o + lead]]
    rows = [by_origin[o] for o in (ordinary if len(ordinary) >= max(3, len(known) // 2) else known)]
    rows = [r for r in rows if len(r) == p]
    if not rows:
        return None
    matrix = np.vstack(rows)
    matrix[np.isneginf(matrix)] = np.nan  # a zero where something was forecast: a miss, but no log error to pool
    finite = np.isfinite(matrix)
    if finite.sum() < 8:
        return None
    upper = min(1.0, UPPER_Q * (1 + 1 / len(rows)))  # split conformal's finite-sample level, n = the days calibrating
    qs = [1 - upper, upper]
    if finite.sum() < MIN_POOL * 2:
        lo, hi = np.quantile(matrix[finite], qs)
        return np.full(p, lo), np.full(p, hi)
    width = max(1, round(HOUR_WINDOW * p / 24))
    columns = (np.arange(p)[:, None] + np.arange(-width, width + 1)[None, :]) % p  # step -> its neighbours
    pools = matrix[:, columns].transpose(1, 0, 2).reshape(p, -1)  # one row of pooled errors per step
    low, high = nanquantile_rows(pools, qs)
    thin = np.isfinite(pools).sum(axis=1) < MIN_POOL
    if thin.any():
        low[thin], high[thin] = np.quantile(matrix[finite], qs)
    return low, high


def nanquantile_rows(rows: np.ndarray, qs: list[float]) -> list[np.ndarray]:
    """``np.nanquantile(rows, qs, axis=1)`` (its linear method, the same values), without its per-row Python loop:
    one sort of the whole matrix (NaN sorts last) and an interpolation between the two order statistics of each row.
    A row with no value gives NaN."""
    ordered = np.sort(rows, axis=1)
    counts = (~np.isnan(rows)).sum(axis=1)
    index = np.arange(len(rows))
    out = []
    for q in qs:
        position = q * np.maximum(counts - 1, 0)
        below = np.floor(position).astype(int)
        above = np.minimum(below + 1, np.maximum(counts - 1, 0))
        t = position - below
        a, b = ordered[index, below], ordered[index, above]
        with np.errstate(invalid="ignore"):
            diff = b - a
            values = np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)  # numpy's lerp, both halves
        out.append(np.where(counts > 0, values, np.nan))
    return out


def widen(bounds: tuple[np.ndarray, np.ndarray], factor: float) -> tuple[np.ndarray, np.ndarray]:
    """The same band ``factor`` times as wide around its middle (log scale)."""
    low, high = bounds
    middle, half = (low + high) / 2, (high - low) / 2
    return middle - half * factor, middle + half * factor


def unusual_days(series: Series, days: int) -> np.ndarray:
    """Per day from the series' start: does the calendar or the weather mark it as unusual (see the module)."""
    days = max(days, series.days)
    off = np.array([series.day_off(d) for d in range(days)])
    weekday = (np.asarray([series.day(d) for d in range(days)]).astype("datetime64[D]").astype("int64") + 3) % 7
    holiday = off & (weekday < 5)  # a day off that is not a weekend: a holiday or a day off moved by decree
    short = np.array([series.shortened(d) for d in range(days)])
    marks = holiday | short
    for d in range(days):
        if off[d]:
            continue
        before = d - 1
        run = 0
        while before >= 0 and off[before]:
            run, before = run + 1, before - 1
        after_holiday = d > 0 and holiday[d - 1]
        before_holiday = d + 1 < days and holiday[d + 1]
        bridge = (after_holiday and d + 1 < days and off[d + 1]) or (before_holiday and d > 0 and off[d - 1])
        if run >= 3 or bridge:
            marks[d] = True
    if series.temperature is not None:
        marks |= _weather_marks(series, days)
    return marks


def _weather_marks(series: Series, days: int) -> np.ndarray:
    p = series.per_day
    temps = np.full(days * p, np.nan)
    known = series.temperature[: days * p] if series.temperature is not None else np.zeros(0)
    temps[: len(known)] = known
    by_day = temps.reshape(days, p)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN day has no mean: NaN is the answer
        mean = np.nanmean(by_day, axis=1)
        high = np.nanmax(by_day, axis=1)
        low = np.nanmin(by_day, axis=1)
    marks = np.zeros(days, dtype=bool)
    for d in range(7, days):
        if not np.isfinite(mean[d]):
            continue
        week = mean[d - 7 : d]
        seen_high, seen_low = high[max(0, d - 21) : d], low[max(0, d - 21) : d]
        jump = np.isfinite(week).sum() >= 4 and abs(mean[d] - np.nanmean(week)) > WEATHER_JUMP_C
        beyond = np.isfinite(seen_high).sum() >= 7 and (
            high[d] > np.nanmax(seen_high) + WEATHER_BEYOND_C or low[d] < np.nanmin(seen_low) - WEATHER_BEYOND_C
        )
        marks[d] = bool(jump or beyond)
    return marks
