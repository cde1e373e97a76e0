"""The order long lists are cut in: what needs attention first, so the rows a page shows are the ones to act on."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.devices import attention_first as devices_first
from analytics.quality import Quality, attention_first
from data.relational.meters import MeterInfo


def _meter(meter_id: int, code: str) -> MeterInfo:
    return MeterInfo(meter_id, code, code, 1, "ООО «Альфа»", "Europe/Moscow", "single", None, 3 * 3600)


def _quality(score: int) -> Quality:
    return Quality(score / 100, score, 0, 0, 0, 0, dt.datetime(2026, 12, 1, tzinfo=dt.UTC))


def test_points_with_poor_data_come_first_then_fair_then_good_and_ungraded_last() -> None:
    meters = [_meter(i, code) for i, code in enumerate(["A", "B", "C", "D", "E"], start=1)]
    quality = {1: _quality(99), 2: _quality(40), 3: _quality(80), 4: _quality(60)}  # E has no grade yet
    assert [m.code for m in attention_first(meters, quality)] == ["B", "D", "C", "A", "E"]


def test_devices_offline_then_silent_then_with_an_error_then_low_battery_then_the_rest() -> None:
    table = pd.DataFrame(
        {
            "serial": ["OK-2", "OK-1", "LOW", "ERR", "STALE", "OFF"],
            "status": ["online", "online", "online", "online", "stale", "offline"],
            "error_code": ["", None, "", "E42", "", ""],
            "battery": [90.0, None, 12.0, 70.0, 50.0, 95.0],
        }
    )
    assert list(devices_first(table)["serial"]) == ["OFF", "STALE", "ERR", "LOW", "OK-1", "OK-2"]
