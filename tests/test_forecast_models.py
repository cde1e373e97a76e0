"""The candidate models, the rolling-origin backtest and its command, their calendar, the month-end projection."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from analytics.calendar import day_kind, is_day_off
from forecasting import backtest
from forecasting.models import NotEnoughHistory
from forecasting.projection import Budget, month_end
from forecasting.series import BadSeries, Series, from_csv
from runtime.cli import cli

WEEK_SHAPE = np.concatenate([np.full(24, 10.0 + d) + 5 * np.sin(np.arange(24) * np.pi / 12) for d in range(7)])


def weekly(days: int, noise: float = 0.0, seed: int = 0) -> Series:
    """A pure weekly pattern (every weekday its own level and the same daily wave), hourly from a Monday."""
    values = np.resize(WEEK_SHAPE, days * 24)
    if noise:
        values = values * np.random.default_rng(seed).lognormal(0, noise, len(values))
    return Series(values, np.datetime64("2026-03-02T00:00:00"), 3600, calendar=None)


def test_a_pure_weekly_pattern_is_forecast_perfectly_by_the_seasonal_naive_and_it_is_chosen() -> None:
    result = backtest.run(weekly(70), folds=7, calibration=7, horizon=24)
    assert result.scores["seasonal_naive"].mape == 0.0
    assert result.chosen == "seasonal_naive"  # the simplest of the perfect ones
    assert result.scores["prophet"].mape > 0.0


def test_the_80_percent_interval_covers_about_80_percent_of_noisy_actuals() -> None:
    result = backtest.run(weekly(77, noise=0.05), folds=14, calibration=14, horizon=24)
    naive = result.scores["seasonal_naive"]
    assert naive.mape == pytest.approx(5.6, abs=1.2)  # two independent 5 % errors: about 5 × √2 × 0.8 %
    for name in ("seasonal_naive", "blend"):
        assert 0.7 <= result.scores[name].coverage <= 0.9, (name, result.scores[name].coverage)
    assert result.scores["blend"].mape < naive.mape  # averaging removes part of the noise the naive repeats


def _offices(days: int, day_noise: float, hour_noise: float, seed: int) -> Series:
    """Working days alike (a daily wave on 10), days off lower (6); each day's level a random walk of ``day_noise``
    (log, per day), each hour's own noise ``hour_noise``; hourly from a Monday."""
    rng = np.random.default_rng(seed)
    wave = 5 * np.sin(np.arange(24) * np.pi / 12)
    base = np.concatenate([np.resize(np.r_[[10.0] * 5, [6.0] * 2], days)[d] + wave for d in range(days)])
    level = np.repeat(np.exp(np.cumsum(rng.normal(0, day_noise, days))), 24)
    values = base * level * rng.lognormal(0, hour_noise, days * 24)
    return Series(values, np.datetime64("2026-03-02T00:00:00"), 3600, calendar=None)


@pytest.mark.parametrize("seed", [1, 2])
def test_similar_days_average_noise_away_and_follow_a_wandering_level(seed: int) -> None:
    """The weights of the similar days are learned: with noise that is the hour's own, all six days share the forecast
    (a week back repeats one day's noise); with a level that wanders from day to day, the latest days carry it (a
    week back is seven days of wander behind). No fixed average does both."""
    noisy = backtest.run(_offices(84, 0.0, 0.10, seed), folds=14, calibration=14, horizon=24)
    assert noisy.scores["similar_days"].mape < 0.85 * noisy.scores["seasonal_naive"].mape
    spread = noisy.workspace.similar_weights[(max(noisy.origins), 0)]  # the day-ahead weights at the last origin
    assert spread.max() < 0.3 and spread.min() > 0.05  # (a week back, two, three; the latest three days of the kind)
    wandering = backtest.run(_offices(84, 0.05, 0.01, seed), folds=14, calibration=14, horizon=24)
    assert wandering.scores["similar_days"].mape < 0.8 * wandering.scores["seasonal_naive"].mape
    leaning = wandering.workspace.similar_weights[(max(wandering.origins), 0)]
    assert int(np.argmax(leaning)) == 3 and leaning[3] > 0.5  # yesterday (the latest day of the kind) carries it


@pytest.mark.parametrize("seed", [1, 2])
def test_a_one_off_day_does_not_drag_the_consensus(seed: int) -> None:
    """Offices with an outage every nine days (a working day at 40 %): on the ordinary days around them the consensus
    (a median of five forecasts) stays on course, where an average of similar days carries each outage for weeks."""
    clean = _offices(84, 0.0, 0.05, seed)
    odd = [d for d in range(5, 84, 9) if d % 7 < 5]
    values = clean.values.copy()
    for day in odd:
        values[day * 24 : (day + 1) * 24] *= 0.4
    result = backtest.run(Series(values, clean.start, 3600, calendar=None), folds=14, calibration=14, horizon=24)

    def ordinary_mape(name: str) -> float:
        day_ahead = result.scores[name].day_ahead
        scored = [o for o in result.origins[-14:] if o not in odd]
        actual = [values[o * 24 : (o + 1) * 24] for o in scored]
        return float(np.mean([np.abs(day_ahead[o] - a) / a for o, a in zip(scored, actual, strict=True)]))

    assert ordinary_mape("consensus") < 0.8 * ordinary_mape("similar_days")
    assert ordinary_mape("consensus") < 0.8 * ordinary_mape("blend")
    assert result.chosen == "consensus"


def test_the_consensus_is_kept_unless_another_model_is_clearly_better() -> None:
    """A week's MAPEs this close swap places by chance: the default stays unless beaten by 15 % or more."""
    assert backtest.choose({"consensus": 10.0, "similar_days": 9.0, "seasonal_naive": 12.0}) == "consensus"
    assert backtest.choose({"consensus": 10.0, "weather_naive": 8.0, "seasonal_naive": 12.0}) == "weather_naive"
    assert backtest.choose({"consensus": 10.0, "seasonal_naive": 0.0}) == "seasonal_naive"  # a perfect one
    assert backtest.choose({"blend": 10.0, "seasonal_naive": 9.5}) == "seasonal_naive"  # no consensus: the lowest


def test_a_short_history_says_how_much_is_needed() -> None:
    with pytest.raises(NotEnoughHistory, match="at least 36 days"):
        backtest.run(weekly(30), folds=7, calibration=14, horizon=24)


def test_the_backtest_command_prints_one_json_object(tmp_path) -> None:
    series = weekly(70)
    stamps = pd.date_range("2026-03-02", periods=len(series.values), freq="h")
    path = tmp_path / "load.csv"
    pd.DataFrame({"ts": stamps.strftime("%Y-%m-%dT%H:%M:%S"), "value": series.values}).to_csv(path, index=False)
    args = ["forecast", "backtest", "--csv", str(path), "--horizon", "24", "--folds", "7", "--calibration", "7"]
    out = CliRunner().invoke(cli, [*args, "--calendar", "none", "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert report["chosen"] == "seasonal_naive" and report["baseline_mape"] == 0.0
    assert set(report["models"]) == {
        "seasonal_naive",
        "seasonal_naive_level",
        "prophet",
        "prophet_residual",
        "blend",
        "weather_naive",
        "similar_days",
        "similar_weather",
        "consensus",
    }
    assert "temperature" in report["models"]["weather_naive"]["error"]  # a file without the weather
    assert "temperature" in report["models"]["similar_weather"]["error"]
    assert all(set(m) >= {"mape", "coverage"} for m in report["models"].values())
    table = CliRunner().invoke(cli, [*args, "--calendar", "none"])
    assert "← chosen" in table.output and "seasonal_naive" in table.output


def test_a_bad_file_is_refused_with_its_line() -> None:
    with pytest.raises(BadSeries, match="header must be ts,value"):
        from_csv("time,kwh\n2026-01-01T00:00,1\n")
    with pytest.raises(BadSeries, match=r"evenly spaced .*line 4"):
        from_csv("ts,value\n2026-01-01T00:00,1\n2026-01-01T01:00,1\n2026-01-01T03:00,1\n")


@pytest.mark.parametrize(
    ("day", "off", "kind"),
    [
        (dt.date(2026, 3, 9), True, "holiday"),  # 8 March was a Sunday: the day off moves to Monday
        (dt.date(2026, 5, 11), True, "holiday"),  # 9 May was a Saturday
        (dt.date(2026, 11, 4), True, "holiday"),
        (dt.date(2026, 11, 5), False, "weekday"),
        (dt.date(2026, 1, 12), False, "weekday"),  # January weekends are moved by decree, not by the rule
    ],
)
def test_the_working_calendar_moves_days_off(day: dt.date, off: bool, kind: str) -> None:
    assert is_day_off(day) is off
    assert day_kind(day) == kind


def test_the_month_end_projection_adds_the_forecast_to_what_was_consumed() -> None:
    now = dt.datetime(2026, 11, 28, 10, 20)
    hours = pd.DataFrame(
        {
            "ts": pd.date_range("2026-11-28 00:00", periods=24 * 4, freq="h"),  # to 2 December
            "value": 1.0,
            "lower": 0.5,
            "upper": 2.0,
        }
    )
    days = pd.DataFrame({"day": [dt.date(2026, 12, 2)], "value": [24.0], "lower": [12.0], "upper": [48.0]})

    def pricer(_stamps: np.ndarray, kwh: np.ndarray) -> float:
        return float(kwh.sum()) * 10.0

    p = month_end(now, 100.0, 900.0, hours, days, pricer, Budget(2000.0, "rub"))
    remaining = 13 + 2 * 24  # 11:00 … 23:00 today, then 29 and 30 November; December is not this month
    assert p.kwh == pytest.approx(100 + remaining)
    assert (p.kwh_low, p.kwh_high) == pytest.approx((100 + remaining * 0.5, 100 + remaining * 2))
    assert p.rub == pytest.approx(900 + remaining * 10)
    assert p.budget_share == pytest.approx((900 + remaining * 10) / 2000) and p.over_budget is False
    tight = month_end(now, 100.0, 900.0, hours, days, pricer, Budget(150.0, "kwh"))
    assert tight.over_budget is True and tight.budget_share == pytest.approx((100 + remaining) / 150)


def test_a_shortened_pre_holiday_day_ends_work_an_hour_earlier_for_an_office_not_for_a_flat() -> None:
    from forecasting.models import Workspace, comparable_day_naive

    office_day = np.array([2.0] * 8 + [10.0] * 10 + [3.0] * 6)  # at work 08:00–18:00
    flat_day = 2 + np.sin(np.arange(24) * np.pi / 12)  # no hour where work ends
    start = np.datetime64("2026-12-01T00:00:00")  # 30 December, a Wednesday, is shortened: 31 December is off
    origin = 29
    for day, changed in ((office_day, True), (flat_day, False)):
        series = Series(np.resize(day, 29 * 24), start, 3600)  # weekends alike: only the shape matters here
        forecast = comparable_day_naive(Workspace(series), origin, 24)
        assert series.shortened(origin) and not series.shortened(origin - 7)
        if changed:
            assert forecast[17] == 3.0 and forecast[16] == 10.0 and forecast[18] == 3.0  # home at 17:00, not 18:00
        else:
            assert np.allclose(forecast, flat_day)
