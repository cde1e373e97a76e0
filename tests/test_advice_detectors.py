"""The advice and change detectors on their own (no stores): what they find, what they leave alone, and how close
their figures are to what was planted (issue 18). ``bench.advice`` measures the same on worlds of many points."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from advice.detectors import PointData, baseload, data_problems, peak_shift, tariff
from alerts.detectors import sustained_change
from analytics.calendar import days_off
from analytics.quality import Quality
from data.relational.meters import MeterInfo
from pricing.comparison import Comparison

NOW = dt.datetime(2026, 11, 30, 0, 0)
PRICES = {
    "single": {"single": 4.0},
    "two_zone": {"day": 5.5, "night": 2.0},
    "three_zone": {"peak": 8.0, "half_peak": 5.0, "night": 2.0},
}


def series(
    weeks: int = 40, seed: int = 1, noise: float = 0.05, wander: float = 0.04, last_days: tuple[float, ...] = ()
) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """A household-like year part: 0.4 kW at night, 1 kW by day, more in the evening, seasons, day wander, noise;
    ``last_days``: the level of the last days instead of their random wander."""
    stamps = pd.date_range(NOW - dt.timedelta(weeks=weeks), NOW, freq="h", inclusive="left")
    rng = np.random.default_rng(seed)
    hour = stamps.hour.to_numpy()
    shape = np.where(hour < 7, 0.4, np.where(hour < 17, 1.0, 1.6))
    season = 1 + 0.3 * np.cos(2 * np.pi * (stamps.day_of_year.to_numpy() - 15) / 365)
    days = stamps.normalize()
    levels = rng.normal(1, wander, days.nunique())
    levels[len(levels) - len(last_days):] = last_days
    daily = pd.Series(levels, index=days.unique()).reindex(days).to_numpy()
    return stamps, shape * season * daily * rng.lognormal(0, noise, len(stamps))


def point(stamps: pd.DatetimeIndex, kw: np.ndarray, plan: str = "three_zone") -> PointData:
    meter = MeterInfo(1, "T-1", "Т", 1, "О", "Europe/Moscow", plan, None, 10800, "Р", None, "household")
    return PointData(meter, pd.DataFrame({"ts": stamps, "value": kw}), None, None, PRICES, NOW)


@pytest.mark.parametrize("extra_kw", [0.15, 0.3, 0.6])
def test_a_load_left_on_is_found_and_sized(extra_kw: float) -> None:
    stamps, kw = series()
    kw = kw + np.where(stamps >= NOW - dt.timedelta(weeks=6), extra_kw, 0.0)
    found = baseload(point(stamps, kw))
    assert found is not None and found.params["excess_kw"] == pytest.approx(extra_kw, rel=0.2)
    assert found.saving_kwh_year == pytest.approx(extra_kw * 8760, rel=0.2)  # it runs day and night


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_ordinary_weeks_promise_no_base_load_saving(seed: int) -> None:
    assert baseload(point(*series(seed=seed))) is None


def test_a_load_that_appeared_in_the_peak_hours_is_found_a_habit_is_not() -> None:
    stamps, kw = series()
    assert peak_shift(point(stamps, kw)) is None  # the evening is higher all year: habit, not a movable load
    working = ~days_off(stamps.to_numpy(dtype="datetime64[D]"))
    timer = (stamps.hour >= 18) & (stamps.hour < 20) & working & (stamps >= NOW - dt.timedelta(weeks=10))
    found = peak_shift(point(stamps, kw + np.where(timer, 1.5, 0.0)))
    assert found is not None and found.params["block"] == "18:00–20:00"
    assert found.params["movable_kwh_day"] == pytest.approx(3.0, rel=0.15)  # 1.5 kW for two hours
    assert peak_shift(point(stamps, kw + np.where(timer, 1.5, 0.0), plan="single")) is None  # no zones, no saving


def test_a_rise_that_lasts_days_is_a_change_with_its_cost_a_day_or_a_spell_is_not() -> None:
    stamps, kw = series()
    for days in (1, 2):  # too short: not a sustained change
        short = kw * np.where(stamps >= NOW - dt.timedelta(days=days), 1.5, 1.0)
        assert sustained_change(pd.DataFrame({"ts": stamps, "value": short}), PRICES, "single", NOW.date()) is None
    risen = kw * np.where(stamps >= NOW - dt.timedelta(days=4), 1.5, 1.0)
    change = sustained_change(pd.DataFrame({"ts": stamps, "value": risen}), PRICES, "single", NOW.date())
    assert change is not None and change.days == 4 and change.since == (NOW - dt.timedelta(days=4)).date()
    planted = float((risen - kw)[stamps >= NOW - dt.timedelta(days=4)].sum())
    assert change.excess_kwh == pytest.approx(planted, rel=0.2)
    assert change.cost_rub == pytest.approx(planted * 4.0, rel=0.2)  # its cost so far, at the point's price
    assert sustained_change(pd.DataFrame({"ts": stamps, "value": kw}), PRICES, "single", NOW.date()) is None


def test_a_day_the_noise_lifted_just_before_a_change_is_not_counted_in_it() -> None:
    stamps, kw = series()
    risen = kw * np.where(stamps >= NOW - dt.timedelta(days=4), 1.5, 1.0)
    eve = (stamps >= NOW - dt.timedelta(days=5)) & (stamps < NOW - dt.timedelta(days=4))
    lifted = risen * np.where(eve, 1.12, 1.0)  # the day before: over the usual wander, far below the new level
    change = sustained_change(pd.DataFrame({"ts": stamps, "value": lifted}), PRICES, "single", NOW.date())
    assert change is not None and change.days == 4 and change.since == (NOW - dt.timedelta(days=4)).date()
    planted = float((risen - kw)[stamps >= NOW - dt.timedelta(days=4)].sum())
    assert change.cost_rub == pytest.approx(planted * 4.0, rel=0.2)


def test_a_rise_smaller_than_a_day_s_own_wander_is_found_from_the_days_together() -> None:
    """Households whose days wander by 12 %: a 30 % rise for five days leaves some of those days no higher than good
    ordinary days, so a run of single days above the usual wander says it for 4 of these 10 households; the five days
    together say it for 8 — and of the same households without the rise, none is flagged."""
    found, shares = 0, []
    for seed in range(1, 11):
        stamps, kw = series(seed=seed, wander=0.12)
        assert sustained_change(pd.DataFrame({"ts": stamps, "value": kw}), PRICES, "single", NOW.date()) is None
        _, risen = series(seed=seed, wander=0.12, last_days=(1.30, 1.18, 1.36, 1.24, 1.32))  # +30 % on average
        change = sustained_change(pd.DataFrame({"ts": stamps, "value": risen}), PRICES, "single", NOW.date())
        if change is not None:
            found += 1
            shares.append(change.share)
    assert found >= 8
    assert float(np.median(shares)) == pytest.approx(0.30, abs=0.06)  # the change's size, as a share


def measured(days: int) -> pd.DataFrame:
    stamps = pd.date_range(NOW - dt.timedelta(days=days), NOW, freq="h", inclusive="left")
    return pd.DataFrame({"ts": stamps, "value": 1.0})


@pytest.mark.parametrize(
    ("plans", "days", "yearly"),
    [
        ({"single": 10_000.0, "two_zone": 9_000.0}, 365, 1_000.0),  # a year measured: the saving as it is
        ({"single": 1_000.0, "two_zone": 900.0}, 30, 1_216.67),  # a month: scaled to a year
        ({"single": 10_000.0, "two_zone": 9_000.0}, 20, None),  # under four weeks: too little to judge a plan
        ({"single": 10_000.0, "two_zone": 9_850.0}, 365, None),  # 1.5 % of the bill: under the 2 % a change needs
        ({"single": 2_000.0, "two_zone": 1_950.0}, 365, None),  # 2.5 % but 50 ₽ a year: not worth the visit
        ({"single": 9_000.0, "two_zone": 10_000.0}, 365, None),  # already on the cheapest
    ],
)
def test_a_cheaper_plan_is_advised_only_past_both_thresholds_and_scaled_to_a_year(plans, days, yearly) -> None:
    data = dataclasses.replace(point(*series(weeks=1)), hourly=measured(days))
    data = dataclasses.replace(data, comparison=Comparison("single", plans, 5_000.0, "Р"))
    found = tariff(data)
    if yearly is None:
        assert found is None
    else:
        assert found is not None and found.saving_rub_year == pytest.approx(yearly, abs=0.01)
        assert found.params["cheapest"] == "two_zone" and found.params["days"] == days


@pytest.mark.parametrize(
    ("completeness", "resets", "missing_hours", "strength"),
    [
        (1.0, 0, None, None),
        (0.98, 0, None, None),  # a few missing hours are not worth a card
        (0.9, 0, 72, 72.0),  # 10 % of 30 days
        (1.0, 2, 0, 48.0),  # a reset weighs a day of missing data
    ],
)
def test_gaps_and_resets_are_shown_with_the_energy_they_leave_unmeasured(
    completeness: float, resets: int, missing_hours: int | None, strength: float | None
) -> None:
    data = dataclasses.replace(point(*series(weeks=1)), hourly=measured(30))
    data = dataclasses.replace(data, quality=Quality(completeness, 90, 0, resets, 0, 0, None))
    found = data_problems(data)
    if missing_hours is None:
        assert found is None
    else:
        assert found is not None and found.saving_rub_year == 0.0 and found.strength == strength
        assert found.params["missing_hours"] == missing_hours
        assert found.params["unmeasured_kwh"] == pytest.approx(missing_hours * 1.0)
