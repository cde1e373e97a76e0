"""Tariff zones and prices, the working calendar, load-profile statistics and series axes."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analytics import profile
from analytics.calendar import day_kind
from analytics.series import with_gaps
from analytics.tariffs import cost, cost_by_local_hour, zone_of, zone_spans

PRICES = {
    "single": {"single": 5.0},
    "two_zone": {"day": 6.0, "night": 2.0},
    "three_zone": {"peak": 9.0, "half_peak": 6.0, "night": 2.0},
}


@pytest.mark.parametrize(
    ("hour", "two", "three"),
    [
        (6, "night", "night"),
        (7, "day", "peak"),
        (9, "day", "peak"),
        (10, "day", "half_peak"),
        (16, "day", "half_peak"),
        (17, "day", "peak"),
        (20, "day", "peak"),
        (21, "day", "half_peak"),
        (22, "day", "half_peak"),
        (23, "night", "night"),
        (0, "night", "night"),
    ],
)
def test_zone_boundaries_follow_the_russian_tariff(hour: int, two: str, three: str) -> None:
    assert zone_of("two_zone", hour) == two
    assert zone_of("three_zone", hour) == three
    assert zone_of("single", hour) == "single"


def test_zone_spans_merge_consecutive_hours() -> None:
    day = dt.datetime(2026, 3, 2)
    spans = zone_spans("three_zone", day, day + dt.timedelta(days=1))
    assert [(s.hour, e.hour, z) for s, e, z in spans] == [
        (0, 7, "night"),
        (7, 10, "peak"),
        (10, 17, "half_peak"),
        (17, 21, "peak"),
        (21, 23, "half_peak"),
        (23, 0, "night"),
    ]


def test_cost_prices_each_hour_in_its_local_zone() -> None:
    # Two meters, both Moscow (UTC+3): UTC 04:00 is 07:00 local (peak), UTC 21:00 is 00:00 (night).
    hours = pd.DataFrame({"meter_id": [1, 1, 2], "utc_hour": [4, 21, 4], "value": [10.0, 10.0, 10.0]})
    plans, offsets = {1: "three_zone", 2: "single"}, {1: 10800, 2: 10800}
    assert cost(hours, plans, offsets, PRICES) == pytest.approx(10 * 9.0 + 10 * 2.0 + 10 * 5.0)
    assert cost_by_local_hour(np.array([7, 0, 12]), np.array([1.0, 1.0, np.nan]), "three_zone", PRICES) == 11.0


def test_day_kinds_know_the_fixed_holidays() -> None:
    assert day_kind(dt.date(2026, 11, 4)) == "holiday"  # Unity Day, a Wednesday
    assert day_kind(dt.date(2026, 11, 7)) == "weekend"
    assert day_kind(dt.date(2026, 11, 5)) == "weekday"


def _week(values_by_hour) -> pd.DataFrame:
    ts = pd.date_range("2026-03-02", periods=24 * 14, freq="h")  # two weeks from a Monday
    return pd.DataFrame({"ts": ts, "value": [values_by_hour(t) for t in ts]})


def test_profile_statistics_on_a_known_load() -> None:
    frame = _week(lambda t: (1.0 if t.hour < 6 else 3.0) + (2.0 if t.weekday() >= 5 else 0.0))
    frame.loc[30, "value"] = np.nan  # a gap is ignored, not taken as zero
    heat = profile.heatmap(frame)
    assert heat.shape == (7, 24) and heat.loc[0, 3] == 1.0 and heat.loc[5, 12] == 5.0
    assert profile.baseload_kw(frame) == 1.0  # weekdays outnumber weekend nights
    peak_value, peak_at = profile.peak(frame)
    assert peak_value == 5.0 and peak_at.weekday() == 5
    curve = profile.duration_curve(frame)
    assert curve["value"].is_monotonic_decreasing and curve["share"].iloc[-1] == 100.0 and len(curve) == 24 * 14 - 1
    days = profile.day_profiles(frame)
    assert days.loc[12, "weekday"] == 3.0 and days.loc[12, "weekend"] == 5.0
    # 8 March 2026 is a Sunday and a holiday (3.0 at night); its day off moved to Monday 9 March (1.0 at night).
    assert days.loc[3, "holiday"] == 2.0
    assert profile.load_factor(frame) == pytest.approx(frame["value"].mean() / 5.0)


def test_month_over_month_changes() -> None:
    months = pd.DataFrame(
        {"ts": pd.date_range("2025-01-01", periods=14, freq="MS"), "value": [100.0] * 12 + [110.0, 99.0]}
    )
    table = profile.month_over_month(months, 13)
    assert len(table) == 13
    assert table["vs_previous"].iloc[-1] == pytest.approx(-0.1)
    assert table["vs_last_year"].iloc[-2] == pytest.approx(0.1)


def test_week_and_month_axes_keep_gaps() -> None:
    weeks = pd.DataFrame({"ts": [dt.date(2026, 3, 2), dt.date(2026, 3, 16)], "value": [1.0, 2.0]})
    filled = with_gaps(weeks, "week", dt.date(2026, 3, 4), dt.date(2026, 3, 20))
    assert filled["ts"].dt.date.tolist() == [dt.date(2026, 3, 2), dt.date(2026, 3, 9), dt.date(2026, 3, 16)]
    assert np.isnan(filled["value"].iloc[1])
    empty = with_gaps(pd.DataFrame({"ts": [], "value": []}), "month", dt.date(2026, 1, 15), dt.date(2026, 4, 1))
    assert len(empty) == 3 and empty["value"].isna().all()
