"""The candidate models. Each forecasts ``steps`` values from a local midnight (``origin`` day index)
using only what is known before it.

- ``seasonal_naive``: the same hour a week earlier (two weeks if that one is missing). The baseline
  every other model has to beat.
- ``seasonal_naive_level``: the same hour of the most recent comparable day (same weekday, same kind:
  a holiday is compared with days off), scaled by how the last day compared with its own reference. A shortened
  pre-holiday day ends its working day an hour earlier than its reference (:func:`shortened_day`).
- ``prophet``: Prophet on the last four weeks with the Russian calendar: separate daily shapes for
  working days and days off (weekends, holidays, moved days off), a day-off regressor, a weekly
  shape, no yearly term (four weeks cannot show one).
- ``prophet_residual``: Prophet plus its mean error over the last day before the origin. Prophet
  barely reacts to the last days (its trend is stiff); the correction brings the level back.
- ``weather_naive``: the comparable day, corrected by what the temperature difference between the two days did to
  demand over the last five weeks (cooling and heating degree-hours, per quarter of the day), scaled by how the
  last day compared with its own weather-corrected reference. Only for a point with temperatures (observed, then
  the weather forecast for the first day at least; days beyond the weather forecast get no correction); elsewhere
  it does not run, and where it runs it is chosen only when the backtest says it wins.
- ``similar_days``: a weighted mean of six similar days known before the origin — the last three of the same weekday
  and kind, the last three of the kind — with weights summing to one learned per lead by least squares on the last
  four weeks' outcomes (shrunk towards equal weights). Where each hour's noise is its own (a building, a flat) the
  weights spread and the noise averages away; where the level wanders from day to day (a grid in changing weather)
  they lean on the latest days.
- ``similar_weather``: the mean of ``similar_days`` and ``weather_naive`` (only for points with temperatures).
- ``blend``: the mean of ``prophet_residual``, the comparable-day naive and ``seasonal_naive_level``.
  Their errors differ in kind (Prophet smooths the noise away, the naive forecasts keep each
  weekday's exact shape), so the mean beats each of them on real demand data.
- ``consensus``: step by step, the median of five forecasts — ``similar_days``, ``blend``, ``seasonal_naive_level``,
  the median of the six similar days, and the median of the kind's last nine days. A one-off day (an outage, a
  stocktaking, a holiday the point did not keep) moves a median little, and no single view's bad day carries it.
  It is the model the backtest keeps unless another one is clearly better (``backtest.choose``).
"""

from __future__ import annotations

import contextlib
import logging
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from forecasting.series import Series

MODEL_VERSION = "2026.12-3"
PROPHET_WINDOW_DAYS = 21
MIN_PROPHET_DAYS = 7
LEVEL_RATIO_LIMITS = (0.5, 2.0)
COOLING_BASE_C, HEATING_BASE_C = 18.0, 14.0  # degree-hours count above / below these (smoothed over 3 hours)
WEATHER_FIT_DAYS = 35
WEATHER_BLOCKS = 4  # the day's quarters each get their own response to heat and cold


# cmdstanpy gives its logger a handler at INFO on first use unless it has one: Prophet's per-fit chatter stays out.
for _name in ("cmdstanpy", "prophet"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).setLevel(logging.ERROR)
warnings.filterwarnings("ignore", message="The inplace keyword", module="prophet")


class NotEnoughHistory(ValueError):
    """The series is too short for this model."""


class Workspace:
    """What the candidates share while one series is forecast: Prophet fits and their timings.

    ``refit_every`` days Prophet is fitted again; in between, a fit keeps forecasting from later
    origins (it still sees their actuals only through the residual correction).
    """

    def __init__(self, series: Series, refit_every: int = 1, first_origin: int = 0, steps: int = 0) -> None:
        self.series = series
        self.steps = steps  # how far each origin forecasts: one prediction per fit covers every origin it serves
        self.refit_every = max(1, refit_every)
        self.first_origin = first_origin
        self.fit_seconds: list[float] = []
        self.predict_seconds: list[float] = []
        self._fits: dict[int, tuple[object, int, np.ndarray]] = {}  # fit day -> (model, first step, values)
        self._failed: set[int] = set()
        self.similar: dict[tuple[int, int], list[int | None]] = {}  # (day, origin) -> its similar days
        self.similar_weights: dict[tuple[int, int], np.ndarray] = {}  # (origin, lead) -> the weights learned
        self.similar_terms: dict[tuple[int, int], tuple[np.ndarray, np.ndarray, int]] = {}  # see _similar_terms
        self.forecasts: dict[tuple[str, int, int, bool], np.ndarray] = {}  # see forecast()

    def forecast(
        self, name: str, origin: int, steps: int, fresh: bool = False, model: Candidate | None = None
    ) -> np.ndarray:
        """The forecast of candidate or part ``name`` (``model`` if given) from ``origin``, made once: the backtest,
        ``consensus``, ``similar_weather`` and the stored forecast ask for the same ones. ``fresh``: Prophet fitted
        at the origin itself, for the models that use it."""
        key = (name, origin, steps, fresh)
        if key not in self.forecasts:
            model = model or CANDIDATES.get(name) or CONSENSUS_ONLY[name]
            kwargs = {"fresh": True} if fresh and "fresh" in model.__code__.co_varnames else {}
            self.forecasts[key] = model(self, origin, steps, **kwargs)
        return self.forecasts[key]

    def fit_day(self, origin: int, fresh: bool = False) -> int:
        if fresh:
            return origin
        return origin - (origin - self.first_origin) % self.refit_every

    def prophet(self, origin: int, steps: int, fresh: bool = False) -> np.ndarray:
        """Prophet's values over ``[origin − 1 day, origin + steps)`` (the day before feeds the correction)."""
        p = self.series.per_day
        fit_day = self.fit_day(origin, fresh)
        if fit_day in self._failed:
            raise NotEnoughHistory("too little history for Prophet")
        lo, hi = (origin - 1) * p, origin * p + steps
        if fit_day not in self._fits:
            try:
                model = _fit_prophet(self.series, fit_day, self)
            except NotEnoughHistory:
                self._failed.add(fit_day)
                raise
            served = 1 if fresh else self.refit_every
            first = (fit_day - 1) * p
            last = max(hi, (fit_day + served - 1) * p + self.steps)
            self._fits[fit_day] = (model, first, self._predict(model, first, last))
        model, first, values = self._fits[fit_day]
        if lo < first or hi > first + len(values):
            first, values = min(lo, first), self._predict(model, min(lo, first), max(hi, first + len(values)))
            self._fits[fit_day] = (model, first, values)
        return values[lo - first : hi - first]

    def _predict(self, model: object, lo: int, hi: int) -> np.ndarray:
        started = time.perf_counter()
        values = predict_additive(model, _features(self.series, lo, hi - lo))
        self.predict_seconds.append(time.perf_counter() - started)
        return values


def _features(series: Series, first_step: int, steps: int) -> pd.DataFrame:
    off = series.days_off_at(first_step, steps)
    return pd.DataFrame({"ds": series.stamps(first_step, steps), "dayoff": off.astype(float), "off": off, "work": ~off})


def _fit_prophet(series: Series, fit_day: int, workspace: Workspace) -> object:
    from prophet import Prophet

    p = series.per_day
    first_day = max(0, fit_day - PROPHET_WINDOW_DAYS)
    frame = _features(series, first_day * p, (fit_day - first_day) * p)
    frame["y"] = series.values[first_day * p : fit_day * p]
    frame = frame[np.isfinite(frame["y"])]
    if len(frame) < MIN_PROPHET_DAYS * p:
        raise NotEnoughHistory("too little history for Prophet")
    model = Prophet(
        growth="linear",
        changepoint_prior_scale=0.05,
        yearly_seasonality=False,
        weekly_seasonality=10,
        daily_seasonality=False,
        uncertainty_samples=0,
    )
    order = 10 if p >= 24 else max(3, p // 3)
    model.add_seasonality("daily_work", period=1, fourier_order=order, condition_name="work")
    model.add_seasonality("daily_off", period=1, fourier_order=order, condition_name="off")
    model.add_regressor("dayoff")
    model.stan_backend.prepare_data = _prepare_data_as_arrays  # type: ignore[union-attr]  # built with the model
    started = time.perf_counter()
    model.fit(frame)
    workspace.fit_seconds.append(time.perf_counter() - started)
    return model


def _prepare_data_as_arrays(init: dict, data: dict) -> tuple[dict, dict]:
    """Prophet's own ``prepare_data`` hands cmdstan nested Python lists, which its JSON writer then walks value by
    value (about a third of a fit here); numpy arrays take its fast path and write the same file."""
    keys = ("T", "S", "K", "tau", "trend_indicator", "y", "t", "cap", "t_change", "s_a", "s_m", "sigmas")
    stan_data = {key: data[key] for key in keys} | {"X": data["X"].to_numpy()}
    stan_init = {key: init[key] for key in ("k", "m", "delta", "beta", "sigma_obs")}
    return stan_init, stan_data


def predict_additive(model: Any, frame: pd.DataFrame) -> np.ndarray:
    """``model.predict(frame)["yhat"]`` for the additive Prophet configured here, computed from its fitted
    parameters without Prophet's per-component frames (a tenth of the time). ``tests`` check it against Prophet."""
    m = model  # a fitted prophet.Prophet (untyped) with additive seasonalities and regressors, linear growth
    ds = pd.to_datetime(frame["ds"])
    t = ((ds - m.start) / m.t_scale).to_numpy(dtype="float64")
    params = m.params
    trend = m.piecewise_linear(
        t, np.nanmean(params["delta"], axis=0), np.nanmean(params["k"]), np.nanmean(params["m"]), m.changepoints_t
    )
    days = ((ds - pd.Timestamp(0)) / pd.Timedelta(days=1)).to_numpy(dtype="float64")
    columns = []
    for props in m.seasonalities.values():
        features = _fourier(days, props["period"], props["fourier_order"])
        if props["condition_name"] is not None:
            features = features * frame[props["condition_name"]].to_numpy(dtype="float64")[:, None]
        columns.append(features)
    for name, props in m.extra_regressors.items():
        columns.append(((frame[name].to_numpy(dtype="float64") - props["mu"]) / props["std"])[:, None])
    beta = np.nanmean(params["beta"], axis=0)
    return (trend + np.hstack(columns) @ beta) * m.y_scale


def _fourier(days: np.ndarray, period: float, order: int) -> np.ndarray:
    """Prophet's Fourier features (sin, cos per order) of times given in days since 1970."""
    angles = 2 * np.pi * days[:, None] * (np.arange(1, order + 1) / period)[None, :]
    out = np.empty((len(days), 2 * order))
    out[:, 0::2], out[:, 1::2] = np.sin(angles), np.cos(angles)
    return out


# -- reference days -------------------------------------------------------------------------------


def reference_day(series: Series, day: int, extended: np.ndarray) -> int | None:
    """The day whose shape a naive forecast of ``day`` repeats: the same weekday 1–4 weeks back with the
    same kind (working day or day off) and no gap, else the most recent day of that kind."""
    p = series.per_day
    want = series.day_off(day)

    def usable(candidate: int) -> bool:
        if candidate < 0 or series.day_off(candidate) != want:
            return False
        return bool(np.isfinite(extended[candidate * p : (candidate + 1) * p]).all())

    for weeks in range(1, 5):
        if usable(day - 7 * weeks):
            return day - 7 * weeks
    for candidate in range(day - 1, max(-1, day - 29), -1):
        if usable(candidate):
            return candidate
    return None


def _extend(series: Series, origin: int, steps: int) -> np.ndarray:
    """The history before ``origin`` followed by room for the forecast (NaN)."""
    p = series.per_day
    days = -(-steps // p)
    out = np.full((origin + days) * p, np.nan)
    out[: origin * p] = series.values[: origin * p]
    return out


# -- the candidates -----------------------------------------------------------------------------------


def seasonal_naive(ws: Workspace, origin: int, steps: int) -> np.ndarray:
    series, p, week = ws.series, ws.series.per_day, 7 * ws.series.per_day
    out = _extend(series, origin, steps)
    start = origin * p
    for t in range(start, start + steps):
        value = out[t - week]
        out[t] = value if np.isfinite(value) or t - 2 * week < 0 else out[t - 2 * week]
    result = out[start : start + steps]
    if not np.isfinite(result).all():
        result = np.where(np.isfinite(result), result, _recent_profile(series, origin, steps))
    return result


def comparable_day_naive(ws: Workspace, origin: int, steps: int) -> np.ndarray:
    series, p = ws.series, ws.series.per_day
    out = _extend(series, origin, steps)
    fallback = _recent_profile(series, origin, p)
    for day in range(origin, origin + -(-steps // p)):
        ref = reference_day(series, day, out)
        values = out[ref * p : (ref + 1) * p] if ref is not None else fallback
        out[day * p : (day + 1) * p] = shortened_day(series, day, ref, values)
    return out[origin * p : origin * p + steps]


def seasonal_naive_level(ws: Workspace, origin: int, steps: int) -> np.ndarray:
    return comparable_day_naive(ws, origin, steps) * _level_ratio(ws.series, origin)


def prophet(ws: Workspace, origin: int, steps: int, fresh: bool = False) -> np.ndarray:
    return np.clip(ws.prophet(origin, steps, fresh)[ws.series.per_day :], 0, None)


def prophet_residual(ws: Workspace, origin: int, steps: int, fresh: bool = False) -> np.ndarray:
    p = ws.series.per_day
    values = ws.prophet(origin, steps, fresh)
    last_day = ws.series.values[(origin - 1) * p : origin * p]
    errors = last_day - values[:p]
    shift = float(np.nanmean(errors)) if np.isfinite(errors).any() else 0.0
    return np.clip(values[p:] + shift, 0, None)


def blend(ws: Workspace, origin: int, steps: int, fresh: bool = False) -> np.ndarray:
    parts = [comparable_day_naive(ws, origin, steps), seasonal_naive_level(ws, origin, steps)]
    with contextlib.suppress(NotEnoughHistory):
        parts.insert(0, prophet_residual(ws, origin, steps, fresh))
    return np.mean(parts, axis=0)


def weather_naive(ws: Workspace, origin: int, steps: int) -> np.ndarray:
    series, p = ws.series, ws.series.per_day
    days = -(-steps // p)
    if series.temperature is None:
        raise NotEnoughHistory("no temperature for the days forecast")
    features = _degree_features(series, (origin + days) * p)
    if not np.isfinite(features[origin * p : (origin + 1) * p]).all():
        raise NotEnoughHistory("no temperature for the days forecast")  # beyond the weather forecast: no correction
    out = _extend(series, origin, steps)
    refs = {d: reference_day(series, d, series.values) for d in range(max(0, origin - WEATHER_FIT_DAYS), origin)}
    beta = _weather_response(series, features, refs)
    if beta is None:
        raise NotEnoughHistory("too little history with temperatures")

    def corrected(day: int, ref: int, values: np.ndarray) -> np.ndarray:
        delta = features[day * p : (day + 1) * p] - features[ref * p : (ref + 1) * p]
        return values[ref * p : (ref + 1) * p] + np.nan_to_num(delta @ beta)

    fallback = _recent_profile(series, origin, p)
    for day in range(origin, origin + days):
        ref = reference_day(series, day, out)
        values = corrected(day, ref, out) if ref is not None else fallback
        out[day * p : (day + 1) * p] = shortened_day(series, day, ref, values)
    ratio = 1.0
    last_ref = refs.get(origin - 1)
    if last_ref is not None:
        last, expected = series.day_values(origin - 1), corrected(origin - 1, last_ref, series.values)
        both = np.isfinite(last) & np.isfinite(expected)
        if both.mean() > 0.75 and expected[both].sum() > 0:
            ratio = float(np.clip(last[both].sum() / expected[both].sum(), *LEVEL_RATIO_LIMITS))
    return np.clip(out[origin * p : origin * p + steps] * ratio, 0, None)


SIMILAR_SLOTS = 3  # the same weekday's last three days of the kind, and the kind's last three days
SIMILAR_FIT_DAYS = 28  # the days whose outcomes teach the weights, per lead
SIMILAR_LOOKBACK = 43  # days searched back for them
SIMILAR_MAX_LEAD = 7  # further ahead, the weights learned a week ahead


def similar_days(ws: Workspace, origin: int, steps: int) -> np.ndarray:
    return _from_similar(ws, origin, steps, lambda matrix, lead: matrix @ _similar_weights(ws, origin, lead))


def _from_similar(
    ws: Workspace, origin: int, steps: int, combine: Callable[[np.ndarray, int], np.ndarray]
) -> np.ndarray:
    """Each day ahead from its similar days' values (one column per day): ``combine(matrix, lead)``, the lead capped
    at ``SIMILAR_MAX_LEAD``."""
    series, p = ws.series, ws.series.per_day
    days = -(-steps // p)
    out = np.empty(days * p)
    fallback = _recent_profile(series, origin, p)
    for lead in range(days):
        matrix = _similar_matrix(ws, origin + lead, origin, fallback)
        values = combine(matrix, min(lead, SIMILAR_MAX_LEAD))
        first = _similar(ws, origin + lead, origin)[0]
        out[lead * p : (lead + 1) * p] = shortened_day(series, origin + lead, first, values)
    return np.clip(out[:steps], 0, None)


def similar_weather(ws: Workspace, origin: int, steps: int) -> np.ndarray:
    return (ws.forecast("similar_days", origin, steps) + ws.forecast("weather_naive", origin, steps)) / 2


def _similar(ws: Workspace, day: int, origin: int) -> list[int | None]:
    """The days before ``origin`` most like ``day``: the last three of its weekday and kind, then the last three of
    its kind (a working day or a day off), whole days only."""
    key = (day, origin)
    if key not in ws.similar:
        series, p = ws.series, ws.series.per_day
        want = series.day_off(day)
        weekday: list[int | None] = []
        kind: list[int | None] = []
        for candidate in range(origin - 1, max(-1, origin - SIMILAR_LOOKBACK), -1):
            if series.day_off(candidate) != want:
                continue
            if not np.isfinite(series.values[candidate * p : (candidate + 1) * p]).all():
                continue
            if len(kind) < SIMILAR_SLOTS:
                kind.append(candidate)
            if (day - candidate) % 7 == 0 and len(weekday) < SIMILAR_SLOTS:
                weekday.append(candidate)
            if len(kind) == len(weekday) == SIMILAR_SLOTS:
                break
        weekday += [None] * (SIMILAR_SLOTS - len(weekday))
        kind += [None] * (SIMILAR_SLOTS - len(kind))
        ws.similar[key] = weekday + kind
    return ws.similar[key]


def _similar_matrix(ws: Workspace, day: int, origin: int, fallback: np.ndarray) -> np.ndarray:
    """One column per similar day: its values (missing days: the mean of the others, or the recent profile)."""
    series, p = ws.series, ws.series.per_day
    refs = _similar(ws, day, origin)
    known = [series.values[r * p : (r + 1) * p] for r in refs if r is not None]
    mean = np.mean(known, axis=0) if known else fallback
    return np.column_stack([series.values[r * p : (r + 1) * p] if r is not None else mean for r in refs])


def _similar_weights(ws: Workspace, origin: int, lead: int) -> np.ndarray:
    """Weights of the similar days summing to one, learned by least squares on the last ``SIMILAR_FIT_DAYS`` days
    forecast ``lead`` days ahead whose outcome is known before ``origin``, shrunk towards equal weights."""
    key = (origin, lead)
    if key in ws.similar_weights:
        return ws.similar_weights[key]
    series = ws.series
    n = 2 * SIMILAR_SLOTS
    equal = np.full(n, 1 / n)
    gram, moment, rows = np.zeros((n, n)), np.zeros(n), 0
    for source in range(origin - lead - SIMILAR_FIT_DAYS, origin - lead):
        # days of the other kind are forecast from other days; the first week has no day of the same weekday
        if source >= 8 and series.day_off(source + lead) == series.day_off(origin + lead):
            day_gram, day_moment, day_rows = _similar_terms(ws, source + lead, source)
            gram, moment, rows = gram + day_gram, moment + day_moment, rows + day_rows
    weights = equal
    if rows >= 5 * series.per_day:
        ridge = 0.05 * float(np.trace(gram)) / n + 1e-9  # the days all alike: equal weights
        a = gram + ridge * np.eye(n)
        b = moment + ridge * equal
        inv_b, inv_1 = np.linalg.solve(a, b), np.linalg.solve(a, np.ones(n))
        solved = np.clip(inv_b - inv_1 * (inv_b.sum() - 1) / inv_1.sum(), 0, None)
        if solved.sum() > 0:
            weights = solved / solved.sum()
    ws.similar_weights[key] = weights
    return weights


def _similar_terms(ws: Workspace, day: int, source: int) -> tuple[np.ndarray, np.ndarray, int]:
    """What ``day`` forecast from ``source`` adds to the least squares: ``XᵀX``, ``Xᵀy`` and its rows, where ``X`` are
    its similar days' values less their mean (weights summing to one: only the days' differences teach them)."""
    key = (day, source)
    if key not in ws.similar_terms:
        actual = ws.series.day_values(day)
        matrix = _similar_matrix(ws, day, source, np.full(ws.series.per_day, np.nan))
        ok = np.isfinite(actual) & np.isfinite(matrix).all(axis=1)
        centre = matrix[ok].mean(axis=1, keepdims=True)
        x, y = matrix[ok] - centre, actual[ok] - centre[:, 0]
        ws.similar_terms[key] = (x.T @ x, x.T @ y, int(ok.sum()))
    return ws.similar_terms[key]


CONSENSUS_PARTS = ("similar_days", "blend", "seasonal_naive_level", "similar_median", "kind_median")
KIND_MEDIAN_DAYS = 9  # the kind's last nine days: nearly two weeks of working days, a month of days off
KIND_LOOKBACK = 60


def consensus(ws: Workspace, origin: int, steps: int, fresh: bool = False) -> np.ndarray:
    parts = [ws.forecast(name, origin, steps, fresh) for name in CONSENSUS_PARTS]
    return np.median(parts, axis=0)


def similar_median(ws: Workspace, origin: int, steps: int) -> np.ndarray:
    """Step by step, the median of the six similar days of ``similar_days``."""
    return _from_similar(ws, origin, steps, lambda matrix, _lead: np.median(matrix, axis=1))


def kind_median(ws: Workspace, origin: int, steps: int) -> np.ndarray:
    """Step by step, the median of the last ``KIND_MEDIAN_DAYS`` whole days of the day's kind before the origin."""
    series, p = ws.series, ws.series.per_day
    days = -(-steps // p)
    out = np.empty(days * p)
    fallback = _recent_profile(series, origin, p)
    medians: dict[bool, np.ndarray] = {}
    for lead in range(days):
        want = series.day_off(origin + lead)
        if want not in medians:
            found = []
            for candidate in range(origin - 1, max(-1, origin - KIND_LOOKBACK), -1):
                values = series.day_values(candidate)
                if series.day_off(candidate) == want and np.isfinite(values).all():
                    found.append(values)
                    if len(found) == KIND_MEDIAN_DAYS:
                        break
            medians[want] = np.median(found, axis=0) if found else fallback
        out[lead * p : (lead + 1) * p] = medians[want]
    return np.clip(out[:steps], 0, None)


def _degree_features(series: Series, steps: int) -> np.ndarray:
    """Per step: cooling and heating degree-hours of the temperature smoothed over three hours, one pair per
    quarter of the day (zeros in the other quarters), shape (steps, 2 × WEATHER_BLOCKS); NaN where unknown."""
    assert series.temperature is not None
    p = series.per_day
    window = max(1, round(3 * p / 24))
    temperature = np.full(max(steps, len(series.temperature)), np.nan)
    temperature[: len(series.temperature)] = series.temperature
    smooth = pd.Series(temperature).rolling(window, min_periods=1).mean().to_numpy()
    cooling, heating = np.clip(smooth - COOLING_BASE_C, 0, None), np.clip(HEATING_BASE_C - smooth, 0, None)
    block = (np.arange(len(smooth)) % p) * WEATHER_BLOCKS // p
    out = np.zeros((len(smooth), 2 * WEATHER_BLOCKS))
    rows = np.arange(len(smooth))
    out[rows, 2 * block], out[rows, 2 * block + 1] = cooling, heating
    out[~np.isfinite(smooth)] = np.nan
    return out


def _weather_response(series: Series, features: np.ndarray, refs: dict[int, int | None]) -> np.ndarray | None:
    """kWh per degree-hour, per quarter of the day, from day-to-reference differences (ridge least squares)."""
    p = series.per_day
    xs, ys = [], []
    for day, ref in refs.items():
        if ref is None:
            continue
        x = features[day * p : (day + 1) * p] - features[ref * p : (ref + 1) * p]
        y = series.day_values(day) - series.day_values(ref)
        ok = np.isfinite(y) & np.isfinite(x).all(axis=1)
        xs.append(x[ok])
        ys.append(y[ok])
    if sum(len(y) for y in ys) < 7 * p:
        return None
    x, y = np.vstack(xs), np.concatenate(ys)
    ridge = 1e-3 * float(np.trace(x.T @ x)) / x.shape[1] + 1e-9
    return np.linalg.solve(x.T @ x + ridge * np.eye(x.shape[1]), x.T @ y)


def shortened_day(series: Series, day: int, ref: int | None, values: np.ndarray) -> np.ndarray:
    """A pre-holiday working day is one hour shorter (Labour Code art. 95): when the reference day was a full one and
    its evening shows where work ends (the largest afternoon drop, a fifth of the day's range or more), the last
    working hour takes the level of the hour after it. A household's day has no such drop and is left alone."""
    if not series.shortened(day) or (ref is not None and series.shortened(ref)):
        return values
    p = series.per_day
    hour = p // 24 or 1
    afternoon = values[12 * hour : 23 * hour]
    if len(afternoon) < 2 * hour or not np.isfinite(afternoon).all():
        return values
    drops = afternoon[:-hour] - afternoon[hour:]  # the fall from each step to the same step an hour later
    at = int(np.argmax(drops))
    span = float(np.nanmax(values) - np.nanmin(values)) if np.isfinite(values).any() else 0.0
    if span <= 0 or drops[at] < 0.2 * span:
        return values
    last_hour = 12 * hour + at  # the first step of the last working hour
    out = values.copy()
    out[last_hour : last_hour + hour] = values[last_hour + hour : last_hour + 2 * hour]
    return out


def _level_ratio(series: Series, origin: int) -> float:
    """How the last day before the origin compares with its own reference day (1 when unknown)."""
    p = series.per_day
    if origin < 2:
        return 1.0
    last = series.values[(origin - 1) * p : origin * p]
    ref = reference_day(series, origin - 1, series.values)
    if ref is None or np.isnan(last).mean() > 0.25:
        return 1.0
    before = series.values[ref * p : (ref + 1) * p]
    both = np.isfinite(last) & np.isfinite(before)
    total = before[both].sum()
    if total <= 0:
        return 1.0
    return float(np.clip(last[both].sum() / total, *LEVEL_RATIO_LIMITS))


def _recent_profile(series: Series, origin: int, steps: int) -> np.ndarray:
    """The slot-wise mean of the last week before the origin, repeated: the last resort for gaps."""
    p = series.per_day
    days = series.values[max(0, origin - 7) * p : origin * p].reshape(-1, p)
    with np.errstate(all="ignore"):
        profile = np.nanmean(days, axis=0) if len(days) else np.zeros(p)
    profile = np.where(np.isfinite(profile), profile, 0.0)
    return np.resize(profile, steps)


Candidate = Callable[..., np.ndarray]

BASELINE = "seasonal_naive"
CANDIDATES: dict[str, Candidate] = {
    "seasonal_naive": seasonal_naive,
    "seasonal_naive_level": seasonal_naive_level,
    "prophet": prophet,
    "prophet_residual": prophet_residual,
    "blend": blend,
    "weather_naive": weather_naive,
    "similar_days": similar_days,
    "similar_weather": similar_weather,
    "consensus": consensus,
}
CONSENSUS_ONLY: dict[str, Candidate] = {"similar_median": similar_median, "kind_median": kind_median}
