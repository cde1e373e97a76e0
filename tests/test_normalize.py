"""Normalization: zones, units, clock drift, duplicates, cumulative registers, unknown meters."""

from __future__ import annotations

import datetime as dt

from data.messaging.reading_batch import STATUS_CLOCK_FIXED, STATUS_ESTIMATED, STATUS_RESET, STATUS_ROLLOVER
from partners.config import PartnerConfig
from partners.formats.base import ParseResult, SourceReading
from partners.normalize import normalize

NOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def run(readings: list[SourceReading], known=("M",), states=None, dst=False, **config):
    cfg = PartnerConfig(format="json", **config)
    codes = {c: c for c in known} | {m: t for m, t in cfg.meter_map.items() if t in known}  # what resolve() would say
    return normalize(ParseResult(readings=readings, dst=dst), cfg, codes, states or {}, now=NOW)


def r(ts: dt.datetime, value: float, meter: str = "M") -> SourceReading:
    return SourceReading(meter=meter, ts=ts, value=value)


def test_local_times_become_utc_and_units_become_kwh() -> None:
    out = run([r(dt.datetime(2026, 1, 15, 0, 0), 1500.0)], timezone="Asia/Yekaterinburg", units="Wh")
    assert out.series == {("M", 1800): [(int(dt.datetime(2026, 1, 14, 19, 0, tzinfo=dt.UTC).timestamp()), 1.5, 0)]}


def test_daylight_saving_flag_moves_local_times_back_an_hour() -> None:
    plain = run([r(dt.datetime(2026, 1, 15, 1, 0), 1.0)])
    summer = run([r(dt.datetime(2026, 1, 15, 1, 0), 1.0)], dst=True)
    ((ts_plain, *_),) = plain.series[("M", 1800)]
    ((ts_summer, *_),) = summer.series[("M", 1800)]
    assert ts_plain - ts_summer == 3600


def test_small_clock_drift_is_snapped_and_flagged_large_is_refused() -> None:
    base = dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC)
    out = run([r(base + dt.timedelta(seconds=40), 1.0), r(base + dt.timedelta(minutes=15), 2.0)])
    assert out.series[("M", 1800)] == [(int(base.timestamp()), 1.0, STATUS_CLOCK_FIXED)]
    assert out.rejected[0]["reason"] == "timestamp is 900 s off the 30-minute grid"


def test_future_and_unknown_meters_are_refused_with_reasons() -> None:
    out = run([r(NOW + dt.timedelta(days=1), 1.0), r(NOW - dt.timedelta(days=1), 1.0, meter="X-9")])
    reasons = sorted(item["reason"] for item in out.rejected)
    assert reasons[0] == "timestamp is in the future"
    assert reasons[1].startswith("unknown meter 'X-9'")
    assert not out.series


def test_meter_map_translates_partner_ids() -> None:
    out = run([r(NOW - dt.timedelta(hours=1), 1.0, meter="ext-1")], meter_map={"ext-1": "M"})
    assert list(out.series) == [("M", 1800)]


def test_conflicting_duplicates_keep_the_later_record_identical_ones_merge() -> None:
    t = NOW - dt.timedelta(hours=2)
    out = run([r(t, 1.0), r(t, 1.0), r(t, 3.0)])
    assert [v for _, v, _ in out.series[("M", 1800)]] == [3.0]
    assert [item["reason"] for item in out.rejected] == [
        "replaced by a later record for the same interval in this batch"
    ]


def test_cumulative_register_resets_rollovers_and_gaps_never_spike() -> None:
    t0 = dt.datetime(2026, 1, 15, 0, 0, tzinfo=dt.UTC)
    registers = [(0, 99_990.0), (1, 99_995.0), (2, 3.0), (3, 5.0), (4, 2.0), (6, 6.0)]  # rollover, reset, gap
    out = run([r(t0 + dt.timedelta(minutes=30 * k), v) for k, v in registers], value_kind="cumulative")
    rows = out.series[("M", 1800)]
    values = [(int((ts - t0.timestamp()) // 1800), round(v, 3), s) for ts, v, s in rows]
    assert values == [
        (0, 5.0, 0),
        (1, 8.0, STATUS_ROLLOVER),
        (2, 2.0, 0),
        (3, 2.0, STATUS_RESET),
        (4, 2.0, STATUS_ESTIMATED),
        (5, 2.0, STATUS_ESTIMATED),
    ]
    assert max(v for _, v, _ in values) < 10
    assert out.registers["M"] == (int((t0 + dt.timedelta(hours=3)).timestamp()), 6.0)


def test_cumulative_continues_from_the_previous_batch() -> None:
    t0 = dt.datetime(2026, 1, 15, 0, 0, tzinfo=dt.UTC)
    state = {"M": (int(t0.timestamp()), 100.0)}
    out = run([r(t0 + dt.timedelta(minutes=30), 101.5)], value_kind="cumulative", states=state)
    assert out.series[("M", 1800)] == [(int(t0.timestamp()), 1.5, 0)]
