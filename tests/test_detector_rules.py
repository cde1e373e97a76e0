"""The pure cores on their own, table by table, with no store, broker or worker: when an alert detector fires, when it
resolves and when it keeps quiet (``alerts.detectors``), and which partner readings plausibility holds and why
(``review.plausibility``). The pipeline tests show the same rules reached through Kafka and RQ; these say each rule's
edge in milliseconds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pandas as pd
import pytest

from alerts import detectors
from alerts.events import AlertEvent
from data.relational.devices import DeviceInfo
from data.relational.meters import MeterInfo
from i18n.alert_texts import render
from review.plausibility import Limit, limit_for, limits_from_history, split

UTC = dt.UTC
SEEN = dt.datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
DEVICE = DeviceInfo(
    1, "SN-1", "Меркурий 234", "online", SEEN, 80.0, -70.0, None, 7, "P-1", "Цех 1", 3, "ООО Ромашка", "Asia/Omsk"
)
POINT = MeterInfo(7, "P-1", "Цех 1", 3, "ООО Ромашка", "Asia/Omsk", "single", None, 6 * 3600)


def device(**changes: object) -> DeviceInfo:
    return dataclasses.replace(DEVICE, **changes)  # type: ignore[arg-type]  # the fields a row of the table changes


def point(**changes: object) -> MeterInfo:
    return dataclasses.replace(POINT, **changes)  # type: ignore[arg-type]  # as above


def said(events: list[AlertEvent] | AlertEvent | None) -> list[tuple[str, str]]:
    """What a detector said, as (kind, firing|resolved) pairs."""
    found = [] if events is None else [events] if isinstance(events, AlertEvent) else events
    return [(e.kind, e.state) for e in found]


def open_keys(*keys: str):
    return lambda key: key in keys


@pytest.mark.parametrize(
    ("before", "after", "threshold", "expected"),
    [
        ({}, {"status": "offline"}, 20.0, [("device_offline", "firing")]),
        ({"status": "offline"}, {"status": "offline"}, 20.0, []),  # already said
        ({"status": "offline"}, {}, 20.0, [("device_offline", "resolved")]),
        ({"status": "stale"}, {}, 20.0, []),  # stale was never an alert
        ({}, {"error_code": "E7"}, 20.0, [("device_error", "firing")]),
        ({"error_code": "E7"}, {"error_code": "E9"}, 20.0, [("device_error", "firing")]),  # a new code is news
        ({"error_code": "E7"}, {"error_code": "E7"}, 20.0, []),
        ({"error_code": "E7"}, {}, 20.0, [("device_error", "resolved")]),
        ({}, {"battery": 19.0}, 20.0, [("battery_low", "firing")]),
        ({"battery": 19.0}, {"battery": 18.0}, 20.0, []),
        ({"battery": 19.0}, {"battery": 22.0}, 20.0, []),  # inside the hysteresis: not fixed yet
        ({"battery": 19.0}, {"battery": 25.0}, 20.0, [("battery_low", "resolved")]),
        ({}, {"battery": 5.0}, None, []),  # the organization switched battery alerts off
        ({}, {"battery": None}, 20.0, []),  # a device that does not report its battery
        (
            {"error_code": "E1", "battery": 50.0},
            {"status": "offline", "battery": 10.0},
            20.0,
            [("device_offline", "firing"), ("device_error", "resolved"), ("battery_low", "firing")],
        ),
    ],
)
def test_a_device_report_fires_and_resolves_on_the_edge_of_a_change(before, after, threshold, expected) -> None:
    events = detectors.device_report(device(**before), device(**after), threshold)
    assert said(events) == expected
    for e in events:
        assert e.organization_id == 3 and e.link == "/devices/SN-1" and e.params["tz"] == "Asia/Omsk"


def test_an_offline_device_says_since_when_it_was_last_heard() -> None:
    (event,) = detectors.device_report(DEVICE, device(status="offline"), None)
    assert event.params["since_ts"] == SEEN.timestamp() and event.key == "device_offline:SN-1"
    assert said(detectors.device_silent(DEVICE, "offline")) == [("device_offline", "firing")]
    assert detectors.device_silent(DEVICE, "stale") == []


@pytest.mark.parametrize(
    ("resets", "clock_fixed", "expected"),
    [
        (0, 0, []),
        (2, 0, [("register_reset", "firing")]),
        (0, 5, [("clock_problem", "firing")]),
        (1, 1, [("register_reset", "firing"), ("clock_problem", "firing")]),
    ],
)
def test_ingestion_flags_become_alerts_with_their_counts(resets: int, clock_fixed: int, expected) -> None:
    events = detectors.reading_flags(POINT, resets, clock_fixed)
    assert said(events) == expected
    assert [e.params["count"] for e in events] == [n for n in (resets, clock_fixed) if n]


NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("last", "is_open", "expected"),
    [
        (NOW - dt.timedelta(hours=7), False, [("no_readings", "firing")]),
        (None, False, [("no_readings", "firing")]),  # never heard from
        (NOW - dt.timedelta(hours=7), True, []),  # already open: nothing new to say
        (NOW - dt.timedelta(hours=5), False, []),
        (NOW - dt.timedelta(hours=5), True, [("no_readings", "resolved")]),
    ],
)
def test_a_point_silent_longer_than_its_threshold_fires_once_and_resolves_when_heard(last, is_open, expected) -> None:
    opened = open_keys("no_readings:P-1") if is_open else open_keys()
    assert said(detectors.data_gap(POINT, last, 6, NOW, opened)) == expected


def at_omsk(day: int, month: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=6))).astimezone(UTC)


@pytest.mark.parametrize(
    ("today", "last", "opened", "expected"),
    [
        (at_omsk(12), None, (), []),  # more than two days before the window opens
        (at_omsk(13), None, (), [("reading_due", "firing")]),  # two days before the 15th
        (at_omsk(20), at_omsk(5), (), [("reading_due", "firing")]),  # a reading before the reminder does not count
        (at_omsk(20), at_omsk(14), (), []),  # read since the reminder began
        (at_omsk(20), None, ("reading_due:P-1:2026-12",), []),  # already reminded
        (at_omsk(21), at_omsk(21), ("reading_due:P-1:2026-12",), [("reading_due", "resolved")]),  # done
        (at_omsk(26), None, ("reading_due:P-1:2026-12",), [("reading_due", "resolved")]),  # the window closed
        (at_omsk(13), None, ("reading_due:P-1:2026-11",), [("reading_due", "resolved"), ("reading_due", "firing")]),
    ],
)
def test_a_reminder_to_read_a_meter_runs_from_two_days_before_the_window_to_its_end(
    today, last, opened, expected
) -> None:
    events = detectors.reading_due(point(), last, (15, 25), today, open_keys(*opened))
    assert said(events) == expected
    if expected[-1:] == [("reading_due", "firing")]:
        assert events[-1].key == "reading_due:P-1:2026-12" and events[-1].params["opens"] == "15.12"


def test_a_window_past_the_months_last_day_closes_on_it() -> None:
    events = detectors.reading_due(point(), None, (28, 31), at_omsk(27, month=2), open_keys())
    assert said(events) == [("reading_due", "firing")] and events[0].params["closes"] == "28.02"


def band(actual: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"actual": actual, "value": 1.0, "lower": 0.5, "upper": 1.5})


@pytest.mark.parametrize(
    ("actual", "opened", "expected"),
    [
        ([2.0, 2.0, 2.0], False, [("unusual_consumption", "firing")]),
        ([0.1, 0.1, 0.1], False, [("unusual_consumption", "firing")]),
        ([2.0, 1.0, 2.0], False, []),  # one hour back inside the band: not sustained
        ([2.0, 0.1, 2.0], False, []),  # above and below is not one direction
        ([2.0, 2.0], False, []),  # too few hours to judge
        ([1.0, 1.0, 1.0], True, [("unusual_consumption", "resolved")]),
        ([1.0, 2.0, 1.0], True, []),  # not all back inside yet
    ],
)
def test_unusual_consumption_needs_every_recent_hour_beyond_the_band_on_one_side(actual, opened, expected) -> None:
    is_open = open_keys("unusual_consumption:P-1") if opened else open_keys()
    event = detectors.unusual(POINT, band(actual), 3, is_open)
    assert said(event) == expected
    if event is not None and event.state == "firing":
        assert event.params["direction"] == ("above" if actual[-1] > 1.5 else "below")


@pytest.mark.parametrize(
    ("share", "opened", "expected"),
    [
        (1.2, False, [("over_budget", "firing")]),
        (1.2, True, []),
        (1.0, True, [("over_budget", "resolved")]),  # exactly on budget is not over it
        (0.8, False, []),
        (None, True, []),  # no budget or no projection: nothing to judge
    ],
)
def test_a_projection_over_budget_fires_and_resolves_at_the_budget(share, opened, expected) -> None:
    is_open = open_keys("over_budget:3") if opened else open_keys()
    event = detectors.over_budget(3, "ООО Ромашка", 120_000.4, 100_000.0, "rub", share, is_open)
    assert said(event) == expected
    if share and event is not None:
        assert event.params == {"projected": 120_000, "budget": 100_000, "unit": "rub", "share": round(share * 100)}


@pytest.mark.parametrize(
    ("make", "key"),
    [
        (lambda problem, is_open: detectors.partner_feed("mrsk", problem, SEEN, is_open), "partner_feed:mrsk"),
        (lambda problem, is_open: detectors.weather_feed("Омск", problem, SEEN, is_open), "weather_feed:Омск"),
    ],
)
def test_a_silent_feed_fires_with_its_reason_and_resolves_when_it_answers(make, key: str) -> None:
    fired = make("no data for 3 h", open_keys())
    assert said(fired) == [(key.split(":")[0], "firing")] and fired.params["reason"] == "no data for 3 h"
    assert make("no data for 3 h", open_keys(key)) is None
    assert said(make(None, open_keys(key))) == [(key.split(":")[0], "resolved")]
    assert make(None, open_keys()) is None


@pytest.mark.parametrize(
    ("count", "opened", "expected"),
    [
        (11, False, [("dlq_growth", "firing")]),
        (10, False, []),  # at the threshold is not above it
        (10, True, [("dlq_growth", "resolved")]),
        (50, True, []),
    ],
)
def test_dead_letters_above_the_hourly_threshold_fire(count: int, opened: bool, expected) -> None:
    is_open = open_keys("dlq_growth:all") if opened else open_keys()
    assert said(detectors.dead_letters(count, 10, is_open)) == expected


def test_a_large_correction_is_a_one_shot_event_that_links_to_the_day() -> None:
    day = dt.date(2026, 11, 28)
    event = detectors.large_correction(POINT, day, "b-17", "mrsk", 0.456, 120.04, 60.0)
    assert event.key == "large_correction:P-1:2026-11-28:b-17" and event.state == "firing"
    wanted = {"share": 46, "old_kwh": 120.0, "new_kwh": 60.0, "day": "28.11.2026", "partner": "mrsk"}
    assert {k: event.params[k] for k in wanted} == wanted
    assert event.link == "/consumption?meter=P-1&from=2026-11-28&to=2026-11-28&step=30min"


# --- plausibility ---------------------------------------------------------------------------------------------------

HOUR = 3600
MIDNIGHT_OMSK = int(dt.datetime(2026, 11, 30, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=6))).timestamp())


@pytest.mark.parametrize(
    ("limit", "ts", "value", "interval", "held_at", "reason"),
    [
        (Limit(6 * HOUR, {0: 10.0}), MIDNIGHT_OMSK, 9.9, HOUR, None, None),
        (Limit(6 * HOUR, {0: 10.0}), MIDNIGHT_OMSK, 10.1, HOUR, 10.0, "history for 00:00"),
        (Limit(6 * HOUR, {0: 10.0}), MIDNIGHT_OMSK + HOUR, 10.1, HOUR, None, None),  # 01:00 has no limit of its own
        (Limit(6 * HOUR, {}, 100.0), MIDNIGHT_OMSK, 50.1, 1800, 50.0, "capacity: at most 50.000 kWh in 30 min"),
        (Limit(6 * HOUR, {}, 100.0), MIDNIGHT_OMSK, 50.0, 1800, None, None),
        (Limit(6 * HOUR, {}, 50.0, prior=True), MIDNIGHT_OMSK, 30.0, 1800, 25.0, "not plausible for its kind"),
        (Limit(6 * HOUR, {0: 10.0}, 100.0), MIDNIGHT_OMSK, 20.0, HOUR, 10.0, "history"),  # under capacity, over history
    ],
)
def test_a_reading_is_held_above_its_hours_history_or_its_capacity_with_a_reason(
    limit: Limit, ts: int, value: float, interval: int, held_at, reason
) -> None:
    verdict = limit.check(ts, value, interval)
    if held_at is None:
        assert verdict is None
    else:
        assert verdict is not None and verdict[0] == pytest.approx(held_at) and reason in verdict[1]


def percentiles(meter_id: int, interval_s: int, p99: list[float], samples: int) -> pd.DataFrame:
    return pd.DataFrame(
        {"meter_id": meter_id, "interval_s": interval_s, "hour": range(len(p99)), "p99": p99, "samples": samples}
    )


def test_limits_come_from_history_with_a_floor_and_otherwise_from_capacity_or_the_kinds_prior() -> None:
    known = point()  # 24 hours seen on 20 days
    young = point(id=8, code="P-2")  # 24 hours seen on 5 days only
    capped = point(id=9, code="P-3", max_power_kw=30.0)
    flat = point(id=10, code="P-4", organization_kind="household")
    day = [0.1] * 7 + [5.0] * 17
    p99 = pd.concat([percentiles(7, HOUR, day, 20), percentiles(8, HOUR, day, 5)])
    limits = limits_from_history([known, young, capped, flat], p99, factor=50, min_days=14)

    history = limits[("P-1", HOUR)]
    assert history.by_hour[12] == pytest.approx(250.0)  # 50 × its own percentile
    assert history.by_hour[3] == pytest.approx(25.0)  # 50 × a tenth of its highest hour, not 50 × 0.1
    assert history.capacity_kwh_per_hour is None
    assert limit_for(limits, "P-2", HOUR) == Limit(6 * HOUR, {}, 2_000.0, prior=True)  # young: a business's prior
    assert limit_for(limits, "P-3", 1800) == Limit(6 * HOUR, {}, 30.0, prior=False)
    assert limit_for(limits, "P-4", 1800) == Limit(6 * HOUR, {}, 50.0, prior=True)  # a household's prior


def test_a_batch_keeps_every_plausible_reading_and_holds_the_rest_with_their_limit() -> None:
    limits = {("P-1", HOUR): Limit(6 * HOUR, {0: 10.0, 1: 10.0})}
    series = {
        ("P-1", HOUR): [(MIDNIGHT_OMSK, 5.0, 0), (MIDNIGHT_OMSK + HOUR, 90_000.0, 0)],
        ("P-9", HOUR): [(MIDNIGHT_OMSK, 90_000.0, 0)],  # a point no limit knows: kept as it is
        ("P-1", 1800): [(MIDNIGHT_OMSK, 9.0, 0)],  # another interval of P-1, with no limit of its own yet
    }
    kept, held = split(series, limits)
    assert kept == {
        ("P-1", HOUR): [(MIDNIGHT_OMSK, 5.0, 0)],
        ("P-9", HOUR): [(MIDNIGHT_OMSK, 90_000.0, 0)],
        ("P-1", 1800): [(MIDNIGHT_OMSK, 9.0, 0)],
    }
    assert [(h.code, h.ts, h.value, h.limit_kwh) for h in held] == [("P-1", MIDNIGHT_OMSK + HOUR, 90_000.0, 10.0)]
    assert "01:00" in held[0].reason


@pytest.mark.parametrize(
    ("event", "russian", "english"),
    [
        (
            detectors.over_budget(3, "ООО Ромашка", 120_000.4, 100_000.0, "rub", 1.2, open_keys()),
            "прогноз на конец месяца — 120\u2009000 ₽, бюджет — 100\u2009000 ₽ (120 %)",
            "the month-end projection is 120,000 ₽ against a budget of 100,000 ₽ (120 %)",
        ),
        (
            detectors.over_budget(3, "ООО Ромашка", 1_500.0, 1_000.0, "kwh", 1.5, open_keys()),
            "прогноз на конец месяца — 1\u2009500 кВт·ч, бюджет — 1\u2009000 кВт·ч",
            "the month-end projection is 1,500 kWh against a budget of 1,000 kWh",
        ),
        (
            detectors.partner_feed("mrsk", "no_poll", SEEN, open_keys(), minutes=45.2),
            "нет успешного опроса за 45 мин",
            "no successful poll for 45 min",
        ),
        (
            detectors.partner_feed("mrsk", "HTTP 503 from the partner", SEEN, open_keys()),
            "HTTP 503 from the partner",
            "HTTP 503 from the partner",  # the feed's own message is shown as it came
        ),
        (detectors.weather_feed("Омск", "no_new_data", SEEN, open_keys()), "новых данных нет", "no new data"),
        (detectors.unusual(POINT, band([2.0, 2.0, 2.0]), 3, open_keys()), "3 ч подряд выше", "above the forecast"),
        (detectors.unusual(POINT, band([0.1, 0.1, 0.1]), 3, open_keys()), "3 ч подряд ниже", "below the forecast"),
    ],
)
def test_detectors_say_keys_and_numbers_and_the_texts_say_them_in_the_readers_language(
    event: AlertEvent | None, russian: str, english: str
) -> None:
    assert event is not None
    spoken = json.dumps({k: v for k, v in event.params.items() if k != "meter_name"}, ensure_ascii=False)
    assert not any("\u0400" <= ch <= "\u04ff" for ch in spoken)  # keys and numbers: no phrase in one language
    when = dt.datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert russian in render(event.kind, "firing", event.subject, event.params, "ru", when)[1]
    assert english in render(event.kind, "firing", event.subject, event.params, "en", when)[1]
