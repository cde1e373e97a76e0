"""The readings store on the real ClickHouse engine, in-process (chDB) and over ClickHouse's HTTP interface with the
production clickhouse-connect backend: corrections, retries, rollups, and how the server backend maps errors."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from data.clickhouse import sql
from data.clickhouse.readings import count_readings, group_series, readings_frame, series, write_readings
from data.clickhouse.store import ServerStore, StoreError, StoreUnavailable
from data.messaging.reading_batch import STATUS_CORRECTED
from tests.helpers import epoch

MSK = 3 * 3600
T0 = epoch(2026, 1, 10, 20, 0)  # 23:00 in Moscow


def frame(meter: int, start: int, values: list[float], version: int, step: int = 1800, offset: int = MSK):
    n = len(values)
    return readings_frame(
        {
            "meter_id": [meter] * n,
            "ts": [start + i * step for i in range(n)],
            "value": values,
            "interval_s": [step] * n,
            "status": [0] * n,
            "version": [version] * n,
            "utc_offset": [offset] * n,
            "partner": ["p"] * n,
            "batch_id": [f"b{version}"] * n,
        }
    )


@pytest.fixture(params=["chdb", "server"])
def store(request, store, clickhouse_http):
    """Each test runs on chDB in-process and on the same engine through clickhouse-connect over HTTP."""
    if request.param == "chdb":
        yield store
        return
    server = ServerStore(clickhouse_http.url)
    yield server
    server.close()


@pytest.fixture
def server(chdb_store, clickhouse_http):
    """The production backend alone, for what only a networked server can do (lose the network, map types)."""
    for table in ("readings", "forecasts"):
        chdb_store.command(f"TRUNCATE TABLE {table}")
    client = ServerStore(clickhouse_http.url)
    yield client
    client.close()


def utc(epoch_s: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch_s, dt.UTC)


def test_hourly_rollup_equals_the_sum_of_raw_half_hours(store) -> None:
    values = list(np.round(np.random.default_rng(1).uniform(0, 5, 96), 3))
    write_readings(store, frame(1, T0, values, version=1))
    raw = series(store, 1, utc(T0), utc(T0 + 48 * 3600), "raw")
    hourly = series(store, 1, utc(T0), utc(T0 + 48 * 3600), "hour")
    assert len(raw) == 96 and len(hourly) == 48
    expected = raw["value"].to_numpy().reshape(48, 2).sum(axis=1)
    assert np.allclose(hourly["value"].to_numpy(), expected)


def test_a_correction_replaces_the_value_everywhere(store) -> None:
    write_readings(store, frame(2, T0, [1.0, 2.0, 3.0, 4.0], version=1))
    write_readings(store, frame(2, T0 + 1800, [20.0], version=2))  # a later correction of one interval
    raw = series(store, 2, utc(T0), utc(T0 + 7200), "raw")
    assert raw["value"].tolist() == [1.0, 20.0, 3.0, 4.0]
    hourly = series(store, 2, utc(T0), utc(T0 + 7200), "hour")
    assert hourly["value"].tolist() == [21.0, 7.0]
    daily = series(store, 2, dt.date(2026, 1, 9), dt.date(2026, 1, 13), "day")
    assert daily["value"].sum() == 28.0


def test_an_older_version_arriving_late_does_not_win(store) -> None:
    write_readings(store, frame(3, T0, [5.0], version=7))
    write_readings(store, frame(3, T0, [1.0], version=3))
    assert series(store, 3, utc(T0), utc(T0 + 1800), "raw")["value"].tolist() == [5.0]
    assert series(store, 3, utc(T0), utc(T0 + 3600), "hour")["value"].tolist() == [5.0]


def test_a_retried_or_replayed_batch_creates_no_duplicates(store) -> None:
    batch = frame(4, T0, [1.0] * 10, version=1)
    for _ in range(3):
        write_readings(store, batch)
    write_readings(store, frame(4, T0 + 1800, [1.0] * 4, version=1))  # an overlapping replay
    assert count_readings(store, [4]) == 10
    assert series(store, 4, utc(T0), utc(T0 + 86400), "hour")["value"].sum() == 10.0


def test_daily_rollup_follows_the_metering_points_local_day(store) -> None:
    # 20:00-21:00 UTC on Jan 10 is 23:00-24:00 in Moscow (Jan 10) and 01:00-02:00 in Yekaterinburg (Jan 11).
    write_readings(store, frame(5, T0, [1.0, 1.0], version=1, offset=MSK))
    write_readings(store, frame(6, T0, [1.0, 1.0], version=1, offset=5 * 3600))
    moscow = series(store, 5, dt.date(2026, 1, 9), dt.date(2026, 1, 13), "day")
    yekaterinburg = series(store, 6, dt.date(2026, 1, 9), dt.date(2026, 1, 13), "day")
    assert [str(d)[:10] for d in moscow["ts"]] == ["2026-01-10"]
    assert [str(d)[:10] for d in yekaterinburg["ts"]] == ["2026-01-11"]


def test_queries_are_parametrized_not_formatted(store) -> None:
    write_readings(store, frame(7, T0, [1.0], version=1))
    hostile = "1; DROP TABLE readings"
    result = store.query_df("SELECT {x:String} AS s", {"x": hostile})
    assert result["s"].tolist() == [hostile]
    assert count_readings(store, [7]) == 1
    assert all("{" in q for q in (sql.RAW_SERIES, sql.HOURLY_SERIES, sql.REFRESH_HOURLY))


def test_quality_score_reflects_gaps_and_resets(store) -> None:
    from analytics.quality import quality_by_meter
    from data.clickhouse.readings import quality_inputs

    day = 48
    full = frame(8, T0, [1.0] * day, version=1)
    holes = frame(9, T0, [1.0] * (day // 2), version=1)
    reset = frame(10, T0, [1.0] * day, version=1)
    reset.loc[5, "status"] = 2
    for f in (full, holes, reset):
        write_readings(store, f)
    window = dt.timedelta(days=1)
    scores = quality_by_meter(quality_inputs(store, [8, 9, 10, 11], utc(T0), utc(T0) + window), [8, 9, 10, 11], window)
    assert (scores[8].score, scores[8].grade, scores[8].completeness) == (100, "good", 1.0)
    assert scores[9].completeness == 0.5 and scores[9].grade == "poor"
    assert scores[10].resets == 1 and scores[10].score < 100
    assert scores[11].score == 0 and scores[11].last_reading is None


def test_a_changed_value_from_a_later_batch_is_flagged_corrected_and_a_replay_keeps_the_flag(store) -> None:
    write_readings(store, frame(9, T0, [1.0, 2.0, 3.0], version=1))
    write_readings(store, frame(9, T0, [1.0, 2.5, 3.0], version=2))  # the second value corrected
    write_readings(store, frame(9, T0, [1.0, 2.5, 3.0], version=2))  # the same batch again
    raw = series(store, 9, utc(T0), utc(T0 + 3 * 1800), "raw")
    assert raw["value"].tolist() == [1.0, 2.5, 3.0]
    assert [int(s) & STATUS_CORRECTED for s in raw["status"]] == [0, STATUS_CORRECTED, 0]
    hourly = series(store, 9, utc(T0), utc(T0 + 2 * 3600), "hour")
    assert [int(s) & STATUS_CORRECTED for s in hourly["status"]] == [STATUS_CORRECTED, 0]


def test_an_organization_of_thousands_of_points_is_summed_in_one_query(store) -> None:
    """Two thousand ids pass 4 KiB of parameters: clickhouse-connect then sends them as form fields."""
    ids = list(range(10_001, 12_001))
    write_readings(store, pd.concat([frame(m, T0, [1.0, 2.0], version=1) for m in (ids[0], ids[-1])]))
    daily = group_series(store, ids, dt.date(2026, 1, 9), dt.date(2026, 1, 13), "day")
    assert daily["value"].sum() == 6.0


def test_an_answer_with_no_rows_still_names_its_columns(store) -> None:
    """A day with no readings yet (an organization's "today" at midnight) is summed to zero, not a missing column."""
    empty = group_series(store, [999_999], dt.date(2026, 1, 9), dt.date(2026, 1, 13), "day")
    assert empty.empty and {"ts", "value", "samples", "status"} <= set(empty.columns)
    assert float(np.nansum(empty["value"])) == 0.0


def test_the_server_backend_maps_types_both_ways(server) -> None:
    from data.clickhouse import forecasts

    at = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
    steps = pd.DataFrame(
        {
            "ts": pd.date_range(at, periods=3, freq="h"),
            "value": [1.5, 2.5, 3.5],
            "lower": [1.0, None, 3.0],
            "upper": [2.0, None, 4.0],
        }
    )
    forecasts.store_values(server, "meter", 7, 42, at, steps, steps.iloc[:0])
    back = forecasts.stored_steps(server, "meter", 7, at, at + dt.timedelta(hours=3))
    assert back["value"].tolist() == [1.5, 2.5, 3.5] and back["run_id"].tolist() == [42] * 3
    assert pd.isna(back["lower"].iloc[1]) and back["upper"].iloc[2] == 4.0  # Nullable(Float64) keeps its nulls
    assert pd.to_datetime(back["ts"], utc=True).iloc[0] == pd.Timestamp(at)  # DateTime('UTC') comes back as UTC


def test_the_server_backend_retries_a_restarting_server_and_reports_one_that_stays_down(
    clickhouse_http, server
) -> None:
    store = server
    clickhouse_http.fail_next = 4  # the client's own retry and one of ours
    assert int(store.query_df("SELECT 1 AS one")["one"].iloc[0]) == 1
    clickhouse_http.fail_next = 100
    try:
        with pytest.raises(StoreUnavailable, match="did not answer a query"):
            store.query_df("SELECT 1 AS one")
    finally:
        clickhouse_http.fail_next = 0
    with pytest.raises(StoreError, match="UNKNOWN_TABLE|Unknown table|doesn't exist"):
        store.query_df("SELECT * FROM no_such_table")


def test_the_cluster_schema_parses_with_clickhouses_own_parser_and_shards_by_metering_point(chdb_store) -> None:
    """With WATTBOARD_CLICKHOUSE_CLUSTER set: replicated local tables behind Distributed tables of the same names,
    so every query stays as it is. chDB is one node, so the DDL is parsed by the engine (EXPLAIN AST), not run."""
    store = chdb_store
    statements = sql.schema("wattboard")
    assert len(statements) == 2 * len(sql.schema(None))
    for ddl in statements:
        ast = store.query_df(f"EXPLAIN AST {ddl}")
        assert "CreateQuery" in ast.iloc[0, 0], ddl
    by_name = {ddl.split("EXISTS ", 1)[1].split(" ", 1)[0]: ddl for ddl in statements}
    for table in ("readings", "readings_hourly", "readings_daily"):
        assert "ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/" in by_name[f"{table}_local"]
        assert f"Distributed('wattboard', currentDatabase(), {table}_local, meter_id)" in by_name[table]
    assert "device_id)" in by_name["device_status"] and "cityHash64(subject, subject_id)" in by_name["forecasts"]
    broken = statements[0].replace("ENGINE = Replicated", "ENGINE = = Replicated")
    with pytest.raises(Exception, match="Syntax error"):
        store.query_df(f"EXPLAIN AST {broken}")


def test_a_large_insert_arrives_whole(store) -> None:
    """A batch of 120,000 readings (the server backend streams it as many compressed blocks) is stored entire."""
    n = 120_000
    big = frame(21, T0, list(np.round(np.random.default_rng(3).uniform(0, 2, n), 3)), version=1, step=60)
    write_readings(store, big)
    assert count_readings(store, [21]) == n
    hourly = series(store, 21, utc(T0), utc(T0 + n * 60), "hour")
    assert len(hourly) == n // 60 and round(hourly["value"].sum(), 3) == round(big["value"].sum(), 3)
