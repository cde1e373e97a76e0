"""A business point's cost under each price category, against a hand computation to the kopeck (issue 17).

The month is February 2026: 28 days, 19 working days (23 February is a holiday). The point uses 10 kWh every hour and
50 kWh in the region's peak hour (09:00) of each working day. Every expected figure below is written out the way one
would compute it on paper, term by term, not with the code under test."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analytics.categories import hourly_frame, month_cost
from analytics.market import MarketBook, PeakHours, Sheet, allowed_categories, category_of
from data.relational.meters import MeterInfo

FEB = dt.date(2026, 2, 1)
DAYS = [FEB + dt.timedelta(days=n) for n in range(28)]
HOLIDAY = dt.date(2026, 2, 23)
WORKING = [d for d in DAYS if d.weekday() < 5 and d != HOLIDAY]
PEAK_HOUR = 9


def energy(day: dt.date, hour: int) -> float:
    """The published hourly energy price, roubles/MWh: 3,000 at midnight, 10 roubles more each hour, +500 on working
    days."""
    return 3000.0 + 10 * hour + (500.0 if day in WORKING else 0.0)


def consumption() -> pd.DataFrame:
    rows = [
        (day, hour, 50.0 if (day in WORKING and hour == PEAK_HOUR) else 10.0) for day in DAYS for hour in range(24)
    ]
    return pd.DataFrame(rows, columns=["day", "hour", "kwh"])


SHEETS = {
    1: Sheet("Свердловская область", FEB, 1, "СН-II", single=7500.0),
    2: Sheet("Свердловская область", FEB, 2, "СН-II", zones={"night": 4000.0, "half_peak": 7000.0, "peak": 11000.0}),
    3: Sheet(
        "Свердловская область",
        FEB,
        3,
        "СН-II",
        energy={d: tuple(energy(d, h) for h in range(24)) for d in DAYS},
        capacity=1_000_000.0,
    ),
    4: Sheet(
        "Свердловская область",
        FEB,
        4,
        "СН-II",
        energy={d: tuple(energy(d, h) - 1000.0 for h in range(24)) for d in DAYS},
        capacity=1_000_000.0,
        network_capacity=1_500_000.0,
        network_energy=150.0,
    ),
}
PEAKS = PeakHours(
    "Свердловская область",
    FEB,
    planned=((8, 11), (17, 21)),
    network=((8, 20),),
    peak_hour={d: PEAK_HOUR for d in WORKING},
)


def test_the_calendar_of_the_month_is_as_the_hand_computation_assumes() -> None:
    assert len(WORKING) == 19  # 20 weekdays less 23 February


def test_first_category_is_every_mwh_at_the_single_price() -> None:
    kwh = 28 * 24 * 10 + 19 * (50 - 10)  # 7,480 kWh
    assert kwh == 7480
    expected = 7.480 * 7500  # 56,100.00 roubles
    got = month_cost(consumption(), 1, SHEETS[1], PEAKS)
    assert round(got.total, 2) == round(expected, 2) == 56_100.00 and got.kwh == kwh


def test_second_category_prices_each_zone() -> None:
    night = 28 * 8 * 10  # 23:00–07:00, eight hours: 2,240 kWh
    peak = 28 * 7 * 10 + 19 * 40  # 07–10 and 17–21, seven hours, the 09:00 peak in it: 2,720 kWh
    half_peak = 28 * 9 * 10  # 10–17 and 21–23: 2,520 kWh
    expected = night / 1000 * 4000 + half_peak / 1000 * 7000 + peak / 1000 * 11000  # 8,960 + 17,640 + 29,920
    got = month_cost(consumption(), 2, SHEETS[2], PEAKS, zone_plan="three_zone")
    assert round(got.total, 2) == round(expected, 2) == 56_520.00


def test_third_category_is_hourly_energy_plus_capacity_in_the_peak_hours() -> None:
    energy_rub = 0.0
    for day in DAYS:
        for hour in range(24):
            used = 50.0 if (day in WORKING and hour == PEAK_HOUR) else 10.0
            energy_rub += used / 1000 * energy(day, hour)
    capacity_mw = sum(50.0 / 1000 for _ in WORKING) / len(WORKING)  # 0.05 MW: the mean of the peak-hour MWh
    expected = energy_rub + capacity_mw * 1_000_000  # + 50,000.00 roubles of capacity
    got = month_cost(consumption(), 3, SHEETS[3], PEAKS)
    assert round(got.capacity, 2) == 50_000.00 and got.capacity_mw == pytest.approx(0.05)
    assert round(got.total, 2) == round(expected, 2)


def test_fourth_category_adds_the_networks_two_rates() -> None:
    energy_rub = sum(
        (50.0 if (day in WORKING and hour == PEAK_HOUR) else 10.0) / 1000 * (energy(day, hour) - 1000.0)
        for day in DAYS
        for hour in range(24)
    )
    network_mw = 0.05  # each working day's largest hour within 08–20 is the 50 kWh at 09:00
    network_rub = network_mw * 1_500_000 + 7.480 * 150  # 75,000 + 1,122
    expected = energy_rub + 0.05 * 1_000_000 + network_rub
    got = month_cost(consumption(), 4, SHEETS[4], PEAKS)
    assert round(got.network, 2) == 76_122.00
    assert round(got.total, 2) == round(expected, 2)


def test_a_week_bears_its_share_of_the_capacity_charge() -> None:
    hours = consumption()
    week = hours[hours["day"] < dt.date(2026, 2, 8)]  # 1–7 February: five working days of nineteen
    got = month_cost(week, 3, SHEETS[3], PEAKS, period=(FEB, dt.date(2026, 2, 8)))
    assert round(got.capacity, 2) == round(0.05 * 1_000_000 * 5 / 19, 2)


def test_an_unpublished_month_is_projected_with_the_last_published_one_and_says_so() -> None:
    book = MarketBook(SHEETS.values(), [PEAKS])
    march = book.sheet("Свердловская область", dt.date(2026, 3, 1), 3, "СН-II")
    assert march is not None and march.projected and march.projected_from == FEB
    # A working day's 14:00 in March takes February's mean for a working day's 14:00.
    assert march.energy_price(dt.date(2026, 3, 10), 14) == pytest.approx(3000 + 140 + 500)
    assert book.sheet("Пермский край", FEB, 3, "СН-II") is None  # no prices at all: said, never guessed
    assert book.peaks("Свердловская область", dt.date(2026, 3, 1)).hour_of(dt.date(2026, 3, 10)) == PEAK_HOUR


def test_who_may_choose_what() -> None:
    assert allowed_categories(None) == allowed_categories(669.9) == (1, 2, 3, 4, 5, 6)
    assert allowed_categories(670) == allowed_categories(5000) == (3, 4, 5, 6)
    assert category_of("household", 3) is None and category_of("business", None) == 1
    assert category_of("industrial", 4) == 4


def test_hourly_frame_drops_gaps() -> None:
    stamps = np.array(["2026-02-01T00:00", "2026-02-01T01:00"], dtype="datetime64[s]")
    frame = hourly_frame(stamps, np.array([1.0, np.nan]))
    assert list(frame["hour"]) == [0] and frame["kwh"].sum() == 1.0


def _point(category: int = 3) -> MeterInfo:
    return MeterInfo(7, "EKB-1", "Цех", 3, "АО «Завод»", "Asia/Yekaterinburg", "three_zone", None, 5 * 3600,
                     "Свердловская область", 300.0, "industrial", category, "СН-II")


def test_the_peak_notice_comes_the_evening_before_a_working_day_once() -> None:
    from alerts.detectors import peak_notice

    book = MarketBook(SHEETS.values(), [PEAKS])
    evening = dt.datetime(2026, 2, 9, 13, 30, tzinfo=dt.UTC)  # 18:30 in Yekaterinburg, Monday: Tuesday is working
    event = peak_notice(3, [_point()], book, evening, 17, lambda key: False)
    assert event is not None and event.severity == "info" and event.key == "peak_hours:3:2026-02-10"
    assert event.params["hours"] == "8:00–11:00, 17:00–21:00" and event.params["saving"] == 1000
    assert peak_notice(3, [_point()], book, evening, 17, lambda key: True) is None  # told once
    assert peak_notice(3, [_point()], book, evening - dt.timedelta(hours=3), 17, lambda key: False) is None  # 15:30
    friday = dt.datetime(2026, 2, 13, 13, 30, tzinfo=dt.UTC)  # Saturday is no working day
    assert peak_notice(3, [_point()], book, friday, 17, lambda key: False) is None
    sunday = dt.datetime(2026, 2, 22, 13, 30, tzinfo=dt.UTC)  # Monday 23 February is a holiday
    assert peak_notice(3, [_point()], book, sunday, 17, lambda key: False) is None


def test_the_category_advice_names_the_cheapest_category_it_can_judge() -> None:
    import pandas as pd

    from advice.detectors import PointData, price_category
    from analytics.categories import CategoryCost
    from pricing.categories import CategoryComparison

    def costs(**totals: float) -> dict[int, CategoryCost]:
        return {int(c[1:]): CategoryCost(int(c[1:]), kwh=1000.0, energy=v) for c, v in totals.items()}

    months = [(dt.date(2026, m, 1), costs(c1=100_000, c3=90_000, c5=10_000)) for m in (1, 2, 3)]
    comparison = CategoryComparison(
        _point(1), 1, dt.date(2026, 1, 1), dt.date(2026, 3, 31), costs(c1=300_000, c3=270_000, c5=30_000), months, True
    )
    point = PointData(_point(1), pd.DataFrame({"ts": [], "value": []}), None, None, {},
                      dt.datetime(2026, 4, 1), categories=comparison)
    found = price_category(point)
    assert found is not None and found.params["cheapest"] == 3  # the 5th's plan charges are unknown: not advised
    assert found.saving_rub_year == 120_000.0  # 30,000 over three months, scaled to twelve
    assert found.params["demo"] is True
    same = CategoryComparison(_point(1), 1, dt.date(2026, 1, 1), dt.date(2026, 3, 31),
                              costs(c1=300_000, c3=299_000), months, False)
    assert price_category(PointData(**{**point.__dict__, "categories": same})) is None  # under 2 %: not worth it
