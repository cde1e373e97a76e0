"""Rolling-origin backtest: every candidate forecasts from each of the last local midnights, using only
what was known then, and is scored on what followed.

- MAPE (per cent) is taken over the scored steps of the last ``folds`` origins. Hours whose actual value is
  below 1 % of the series' mean are left out of it (a MAPE of a near-zero hour says nothing).
- The 80 % interval is conformal per lead day and hour, adapted online and widened on unusual days
  (``forecasting.intervals``), from the model's own log errors ``log(actual / forecast)`` at origins whose
  outcome was already known. Coverage is the share of actual values of the scored origins that fell inside.
- The model kept is ``consensus`` unless another one's MAPE is at least 15 % lower (:func:`choose`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from forecasting import intervals
from forecasting.models import BASELINE, CANDIDATES, Candidate, NotEnoughHistory, Workspace
from forecasting.series import Series

LOWER_Q, UPPER_Q = intervals.LOWER_Q, intervals.UPPER_Q
MIN_HISTORY_DAYS = 14  # before the first origin: two weeks for the weekly naive forecasts
ZERO_SHARE = 0.01
DEFAULT = "consensus"  # the model kept unless another one is clearly better (see choose)
CHALLENGER_MARGIN = 0.15


@dataclass
class ModelScore:
    name: str
    mape: float | None = None
    coverage: float | None = None
    error: str | None = None  # why the model could not run on this series
    # log errors by lead day, per origin: {lead: {origin: array}}, and daily-total log errors
    lead_errors: dict[int, dict[int, np.ndarray]] = field(default_factory=dict)
    day_errors: dict[int, dict[int, float]] = field(default_factory=dict)
    day_ahead: dict[int, np.ndarray] = field(default_factory=dict)  # origin -> the first day forecast

    issued: intervals.Issued | None = None  # the bounds each scored origin had

    def day_quantiles(self, before: int, calibration: int) -> tuple[float, float] | None:
        """Bounds for daily totals, pooled over every lead day."""
        days = [
            np.array([e])
            for lead, by in self.day_errors.items()
            for o, e in by.items()
            if before - calibration - lead <= o < before - lead and np.isfinite(e)
        ]
        return interval_bounds(days) if len(days) >= 5 else None


def interval_bounds(days: list[np.ndarray]) -> tuple[float, float] | None:
    """The 10th and 90th percentiles of pooled log errors (None with fewer than 8 of them)."""
    pooled = np.concatenate(days) if days else np.zeros(0)
    if len(pooled) < 8:
        return None
    return float(np.quantile(pooled, LOWER_Q)), float(np.quantile(pooled, UPPER_Q))


@dataclass
class Backtest:
    scores: dict[str, ModelScore]
    chosen: str
    baseline: str
    origins: list[int]
    folds: int
    calibration: int
    workspace: Workspace
    unusual: np.ndarray  # intervals.unusual_days of the series, far enough for every band issued from it

    @property
    def baseline_mape(self) -> float | None:
        return self.scores[self.baseline].mape

    def as_json(self) -> dict[str, object]:
        return {
            "models": {
                name: {"mape": _round(s.mape), "coverage": _round(s.coverage)} | ({"error": s.error} if s.error else {})
                for name, s in self.scores.items()
            },
            "chosen": self.chosen,
            "baseline_mape": _round(self.baseline_mape),
            "folds": self.folds,
        }


def run(
    series: Series,
    folds: int = 14,
    calibration: int = 21,
    horizon: int | None = None,
    lead_days: int = 1,
    refit_every: int = 1,
    models: dict[str, Candidate] | None = None,
) -> Backtest:
    """Backtest every candidate from the last ``folds + calibration`` midnights.

    ``horizon`` steps are scored per origin (default: one day); ``lead_days`` days are forecast per origin
    for the intervals of longer forecasts. Prophet is fitted again every ``refit_every`` origins.
    """
    models = models or CANDIDATES
    p = series.per_day
    horizon = horizon or p
    n_origins = folds + calibration
    last = (len(series.values) - horizon) // p
    first = last - n_origins + 1
    if first < MIN_HISTORY_DAYS:
        needed = MIN_HISTORY_DAYS + n_origins + -(-horizon // p)
        raise NotEnoughHistory(f"the backtest needs at least {needed} days of history, there are {series.days}")
    origins = list(range(first, last + 1))
    unusual = intervals.unusual_days(series, series.days + max(lead_days, -(-horizon // p)) + 1)  # one walk for all
    workspace = Workspace(series, refit_every, first_origin=first, steps=max(horizon, lead_days * p))
    scores = {name: ModelScore(name) for name in models}
    evaluated = origins[-folds:]
    floor = ZERO_SHARE * float(np.nanmean(np.abs(series.values))) if np.isfinite(series.values).any() else 0.0
    for name, model in models.items():
        score = scores[name]
        abs_errors: list[np.ndarray] = []
        try:
            for origin in origins:
                steps = min(max(horizon, lead_days * p), len(series.values) - origin * p)
                forecast = workspace.forecast(name, origin, steps, model=model)
                actual = series.values[origin * p : origin * p + steps]
                _record(score, origin, forecast, actual, p)
                if origin in evaluated:
                    f, a = forecast[:horizon], actual[:horizon]
                    valid = np.isfinite(a) & np.isfinite(f) & (a > floor)
                    abs_errors.append(np.abs(a[valid] - f[valid]) / a[valid])
        except NotEnoughHistory as exc:
            score.error = str(exc)
            continue
        score.issued = intervals.issue(
            series, score.lead_errors, origins[0], origins[-1], calibration, -(-horizon // p), unusual
        )
        inside = [_covered(score.issued, origin, score.lead_errors, horizon, p) for origin in evaluated]
        errors = np.concatenate(abs_errors) if abs_errors else np.zeros(0)
        covered = np.concatenate(inside) if inside else np.zeros(0)
        score.mape = float(errors.mean() * 100) if len(errors) else None
        score.coverage = float(covered.mean()) if len(covered) else None
    ranked = [name for name in models if scores[name].mape is not None]
    if not ranked:
        raise NotEnoughHistory("no model could be scored on this series")
    chosen = choose({name: scores[name].mape or 0.0 for name in ranked})  # every ranked model has a MAPE
    baseline = BASELINE if BASELINE in scores else ranked[0]
    return Backtest(scores, chosen, baseline, origins, folds, calibration, workspace, unusual)


def choose(mapes: dict[str, float]) -> str:
    """The model to forecast with, from each one's MAPE over the scored days: ``DEFAULT`` unless another one's MAPE
    is at least ``CHALLENGER_MARGIN`` lower. Over a week, models this close swap places by chance (one odd day
    decides), and the one that won the week is no better on the next day than the default."""
    best = min(mapes, key=lambda name: mapes[name])
    if DEFAULT in mapes and mapes[best] > mapes[DEFAULT] * (1 - CHALLENGER_MARGIN):
        return DEFAULT
    return best


def _record(score: ModelScore, origin: int, forecast: np.ndarray, actual: np.ndarray, p: int) -> None:
    with np.errstate(all="ignore"):
        logs = np.log(actual / forecast)
    logs[~(np.isfinite(logs))] = np.nan
    logs[(actual == 0) & (forecast > 0)] = -np.inf  # nothing where something was forecast: below any band
    score.day_ahead[origin] = forecast[:p]
    for lead in range(-(-len(forecast) // p)):
        score.lead_errors.setdefault(lead, {})[origin] = logs[lead * p : (lead + 1) * p]
        day_a, day_f = actual[lead * p : (lead + 1) * p], forecast[lead * p : (lead + 1) * p]
        if len(day_a) == p and np.isfinite(day_a).all() and day_f.sum() > 0 and day_a.sum() > 0:
            score.day_errors.setdefault(lead, {})[origin] = float(np.log(day_a.sum() / day_f.sum()))


def _covered(
    issued: intervals.Issued, origin: int, errors: dict[int, dict[int, np.ndarray]], horizon: int, p: int
) -> np.ndarray:
    """Which of the first ``horizon`` actual values after ``origin`` fell inside the bounds issued for them."""
    marks = []
    for lead in range(-(-horizon // p)):
        bounds = issued.at(origin, lead)
        logs = errors.get(lead, {}).get(origin)
        if bounds is None or logs is None:
            continue
        logs = logs[: horizon - lead * p]
        valid = ~np.isnan(logs) & np.isfinite(bounds[0][: len(logs)])
        marks.append((logs[valid] >= bounds[0][: len(logs)][valid]) & (logs[valid] <= bounds[1][: len(logs)][valid]))
    return np.concatenate(marks) if marks else np.zeros(0, dtype=bool)


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)
