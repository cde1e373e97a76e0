"""Choosing a model for one series and building what is stored: the chosen model's day-ahead forecasts over the
backtest (the band drawn over past actuals), the next days step by step, and daily totals to the end of the month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting import backtest as bt
from forecasting import intervals
from forecasting.models import MODEL_VERSION, NotEnoughHistory, Workspace
from forecasting.series import Series

HOURLY_DAYS = 8  # from today's midnight: whatever the hour, the next 7 days are covered hour by hour
# The nightly job: 7 scored days, 21 more that calibrate the interval, Prophet refitted every two weeks.
JOB_FOLDS, JOB_CALIBRATION, JOB_REFIT_EVERY = 7, 21, 14
# With a short history the job tries smaller backtests before giving up.
FALLBACKS = ((JOB_FOLDS, JOB_CALIBRATION), (7, 14), (4, 7))


@dataclass(frozen=True)
class Forecast:
    model: str
    model_version: str
    mape: float | None
    coverage: float | None
    baseline_mape: float | None
    scores: dict[str, dict[str, float | None]]
    train_start: dt.datetime  # local wall time of the first value used
    train_end: dt.datetime  # local wall time: the origin of the forecast
    steps: pd.DataFrame  # ts (local, naive), value, lower, upper: past day-ahead forecasts and the next days
    days: pd.DataFrame  # day (local date), value, lower, upper: whole days after the stepwise part, to month end
    workspace: Workspace  # the fits behind it, with their timings


def choose_and_forecast(series: Series, today: dt.date) -> Forecast:
    """Backtest the candidates on ``series`` (whole local days up to yesterday) and forecast from ``today``."""
    last_error: NotEnoughHistory | None = None
    for folds, calibration in FALLBACKS:
        try:
            result = bt.run(
                series,
                folds=folds,
                calibration=calibration,
                lead_days=HOURLY_DAYS,
                refit_every=JOB_REFIT_EVERY,
            )
            return build(series, result, today)
        except NotEnoughHistory as exc:
            last_error = exc
    raise last_error or NotEnoughHistory("too little history")


def build(series: Series, result: bt.Backtest, today: dt.date) -> Forecast:
    p = series.per_day
    origin = series.days
    month_end = dt.date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    total_days = max(HOURLY_DAYS, (month_end - today).days + 1)
    score = result.scores[result.chosen]
    values = np.clip(result.workspace.forecast(result.chosen, origin, total_days * p, fresh=True), 0, None)

    lower, upper = np.full(len(values), np.nan), np.full(len(values), np.nan)
    leads = max(score.lead_errors) + 1 if score.lead_errors else 1
    issued = intervals.issue(
        series, score.lead_errors, result.origins[0], origin, result.calibration, leads, result.unusual
    )
    for lead in range(total_days):
        bounds = issued.at(origin, min(lead, leads - 1))
        if bounds is not None:
            part = slice(lead * p, (lead + 1) * p)
            lower[part], upper[part] = values[part] * np.exp(bounds[0]), values[part] * np.exp(bounds[1])

    future = pd.DataFrame(
        {"ts": series.stamps(origin * p, HOURLY_DAYS * p), "value": values[: HOURLY_DAYS * p]}
        | {"lower": lower[: HOURLY_DAYS * p], "upper": upper[: HOURLY_DAYS * p]}
    )
    past = _past_band(series, result, issued)
    day_bounds = score.day_quantiles(origin, result.calibration)
    if day_bounds is not None:  # as wide again as the last hourly lead has had to become
        scaled = intervals.widen((np.array([day_bounds[0]]), np.array([day_bounds[1]])), issued.scale[leads - 1])
        day_bounds = (float(scaled[0][0]), float(scaled[1][0]))
    totals = values[HOURLY_DAYS * p :].reshape(-1, p).sum(axis=1) if total_days > HOURLY_DAYS else np.zeros(0)
    first_day = today + dt.timedelta(days=HOURLY_DAYS)
    days = pd.DataFrame(
        {
            "day": [first_day + dt.timedelta(days=i) for i in range(len(totals))],
            "value": totals,
            "lower": totals * np.exp(day_bounds[0]) if day_bounds else np.full(len(totals), np.nan),
            "upper": totals * np.exp(day_bounds[1]) if day_bounds else np.full(len(totals), np.nan),
        }
    )
    first_used = max(0, result.origins[0] - bt.MIN_HISTORY_DAYS)
    return Forecast(
        model=result.chosen,
        model_version=MODEL_VERSION,
        mape=score.mape,
        coverage=score.coverage,
        baseline_mape=result.baseline_mape,
        scores=result.as_json()["models"],  # type: ignore[arg-type]  # the JSON of each model's scores, as stored
        train_start=pd.Timestamp(series.day(first_used)).to_pydatetime(),
        train_end=pd.Timestamp(series.day(origin)).to_pydatetime(),
        steps=pd.concat([past, future], ignore_index=True),
        days=days,
        workspace=result.workspace,
    )


def _past_band(series: Series, result: bt.Backtest, issued: intervals.Issued) -> pd.DataFrame:
    """The chosen model's day-ahead forecasts at the backtest origins, with the interval each one had then."""
    p = series.per_day
    score = result.scores[result.chosen]
    frames = []
    for origin in result.origins:
        forecast = score.day_ahead.get(origin)
        if forecast is None:
            continue
        bounds = issued.at(origin, 0)
        lo, hi = (forecast * np.exp(bounds[0]), forecast * np.exp(bounds[1])) if bounds else (np.nan, np.nan)
        frames.append(
            pd.DataFrame({"ts": series.stamps(origin * p, len(forecast)), "value": forecast, "lower": lo, "upper": hi})
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["ts", "value", "lower", "upper"])
