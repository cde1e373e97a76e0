"""The 80 % band (``forecasting.intervals``): per lead and hour, adapted online, wider on days the calendar or the
weather marks; and the weather-corrected model. Pure arrays: fast, no stores."""

from __future__ import annotations

import numpy as np
import pytest

from forecasting import backtest, intervals
from forecasting.models import weather_naive
from forecasting.series import BadSeries, Series, from_csv

P = 24


def _flat(days: int, start: str = "2026-03-02", calendar: str | None = None, temperature=None) -> Series:
    return Series(np.full(days * P, 10.0), np.datetime64(f"{start}T00:00:00"), 3600, calendar, temperature)


def _errors(sigmas: list[float], hourly: np.ndarray | None = None, seed: int = 1) -> dict[int, dict[int, np.ndarray]]:
    """Day-ahead log errors per origin: normal with the day's sigma (times a per-hour factor)."""
    rng = np.random.default_rng(seed)
    shape = np.ones(P) if hourly is None else hourly
    return {0: {origin: rng.normal(0, sigma, P) * shape for origin, sigma in enumerate(sigmas)}}


def _coverage(issued: intervals.Issued, errors: dict[int, dict[int, np.ndarray]], origins: range) -> float:
    hits = []
    for origin in origins:
        low, high = issued.at(origin, 0)
        logs = errors[0][origin]
        hits.append((logs >= low) & (logs <= high))
    return float(np.concatenate(hits).mean())


def test_after_a_regime_shift_the_band_widens_within_days(monkeypatch: pytest.MonkeyPatch) -> None:
    sigmas = [0.05] * 60 + [0.20] * 40  # a calm spring, then a heat wave's errors four times as large
    errors = _errors(sigmas)
    series = _flat(100)
    adaptive = intervals.issue(series, errors, 14, 99, calibration=28, leads=1)
    twelve_days_in = intervals.issue(series, errors, 14, 72, calibration=28, leads=1)
    monkeypatch.setattr(intervals, "GAMMA", 0.0)  # plain split conformal: the pool alone has to catch up
    static = intervals.issue(series, errors, 14, 99, calibration=28, leads=1)
    calm, shift = range(30, 60), range(61, 75)  # the two weeks after the change
    assert 0.72 <= _coverage(adaptive, errors, calm) <= 0.88
    assert _coverage(static, errors, shift) < 0.55  # a band learned on calm days misses about half the new errors
    assert _coverage(adaptive, errors, shift) > _coverage(static, errors, shift) + 0.1
    assert twelve_days_in.scale[0] > 1.3  # it has learned that the errors grew


def test_the_night_band_is_narrower_than_the_evening_band() -> None:
    hourly = np.where((np.arange(P) >= 17) & (np.arange(P) <= 22), 4.0, 1.0)  # evenings err four times as much
    errors = _errors([0.03] * 40, hourly)
    issued = intervals.issue(_flat(40), errors, 14, 39, calibration=21, leads=1)
    low, high = issued.at(39, 0)
    width = high - low
    assert width[19] > 2.5 * width[3]


def test_the_calendar_marks_new_year_days_as_unusual() -> None:
    series = _flat(30, start="2026-12-21", calendar="RU")
    marks = intervals.unusual_days(series, 30)
    day = {str(series.day(d)): bool(marks[d]) for d in range(30)}
    assert day["2026-12-30"]  # shortened: the eve of the holidays
    assert day["2026-12-31"]  # a Thursday made a day off by decree
    assert day["2027-01-11"]  # the first working day after eleven days off
    assert not day["2026-12-22"] and not day["2027-01-13"]  # ordinary Tuesday and Wednesday


def test_an_unusual_day_gets_a_wider_band() -> None:
    errors = _errors([0.05] * 40)
    series = _flat(40, start="2026-12-01", calendar="RU")  # origin 30 is 31 December
    issued = intervals.issue(series, errors, 14, 39, calibration=14, leads=1)
    low, high = issued.at(30, 0)
    ordinary_low, ordinary_high = issued.at(21, 0)  # Tuesday 22 December
    assert (high - low).mean() > 1.3 * (ordinary_high - ordinary_low).mean()


def test_a_heat_wave_is_marked_by_the_weather() -> None:
    temps = np.full(30 * P, 20.0)
    temps[20 * P : 21 * P] = 31.0  # a day 11 °C above the week before
    marks = intervals.unusual_days(_flat(30, temperature=temps), 30)
    assert marks[20] and not marks[15] and not marks[25]


def _hot_weather_series(days: int, seed: int = 3) -> Series:
    """Demand: a daily wave plus 1.5 kWh per degree above 18 °C (air conditioning); each day's weather its own."""
    rng = np.random.default_rng(seed)
    day_temp = rng.uniform(12, 34, days)
    hours = np.arange(days * P)
    temps = np.repeat(day_temp, P) + 4 * np.sin((hours % P - 9) * np.pi / 12)
    values = 20 + 5 * np.sin(hours % P * np.pi / 12) + 1.5 * np.clip(temps - 18, 0, None)
    values = values * rng.lognormal(0, 0.02, len(values))
    return Series(values, np.datetime64("2026-03-02T00:00:00"), 3600, None, temps)


def test_the_weather_model_follows_the_temperature_and_beats_the_naive_forecasts() -> None:
    series = _hot_weather_series(70)
    result = backtest.run(series, folds=14, calibration=14, horizon=24)
    weather, naive = result.scores["weather_naive"].mape, result.scores["seasonal_naive"].mape
    assert weather is not None and naive is not None
    assert weather < 0.5 * naive
    assert result.chosen == "weather_naive"


def test_without_a_temperature_the_weather_model_does_not_run() -> None:
    result = backtest.run(_flat(50), folds=7, calibration=7, horizon=24)
    assert result.scores["weather_naive"].mape is None
    assert "temperature" in (result.scores["weather_naive"].error or "")
    with pytest.raises(ValueError, match="no temperature"):
        weather_naive(result.workspace, 45, 24)


def test_a_csv_temperature_column_is_read_and_an_impossible_one_refused() -> None:
    rows = "\n".join(f"2026-03-02T{h:02}:00,{10 + h},{-5 + h / 2}" for h in range(24))
    series = from_csv("ts,value,temperature\n" + rows + "\n")
    assert series.temperature is not None and series.temperature[4] == pytest.approx(-3.0)
    with pytest.raises(BadSeries, match=r"°C .*line 4"):
        from_csv("ts,value,temperature\n2026-03-02T00:00,1,5\n2026-03-02T01:00,1,6\n2026-03-02T02:00,1,560\n")


def test_the_pooled_percentiles_are_numpys_whatever_the_gaps() -> None:
    """The band's percentiles are computed row by row without numpy's per-row loop (a third of the nightly job's time
    went there); they are the same numbers as ``np.nanquantile``, gaps, a zero forecast (+inf) and empty rows too."""
    rng = np.random.default_rng(7)
    qs = [0.057, 0.943]
    for trial in range(60):
        rows = rng.normal(0, 0.1, (P, int(rng.integers(1, 120))))
        rows[rng.random(rows.shape) < rng.random() * 0.6] = np.nan
        rows[trial % P] = np.nan
        rows[(trial + 1) % P, 0] = np.inf
        with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):  # numpy warns of the all-NaN row
            expected = np.nanquantile(rows, qs, axis=1)
        got = intervals.nanquantile_rows(rows, qs)
        for want, have in zip(expected, got, strict=True):
            np.testing.assert_array_equal(have, want)
