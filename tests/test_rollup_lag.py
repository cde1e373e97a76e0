"""A write stores its raw rows before it refreshes their hourly and daily rollups. Caught in between, a user must
still see the same totals by hour and by day as by raw reading (issue 12: during the demo backfill an hourly series
of a day came back empty while its 48 half-hours were there)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import numpy as np
import pandas as pd

from auth.inn import complete_inn
from data.clickhouse import sql
from data.clickhouse.readings import (
    group_series,
    hour_of_day_totals,
    hourly_by_meter,
    meter_totals,
    readings_frame,
    write_readings,
)
from data.relational.meters import meter_by_code
from tests.helpers import epoch, login, make_org, make_user

DAY = epoch(2026, 3, 10)  # a UTC day; the point is on UTC too, so its local day is the same


class PausedBeforeRollups:
    """The real store, with the write stopped between its raw insert and its rollup refresh."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.raw_stored = threading.Event()
        self.resume = threading.Event()

    def command(self, query: str, params: dict[str, Any] | None = None) -> None:
        if query is sql.REFRESH_HOURLY:
            self.raw_stored.set()
            assert self.resume.wait(60)
        self.inner.command(query, params)

    def query_df(self, query: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        return self.inner.query_df(query, params)

    def insert_df(self, table: str, frame: pd.DataFrame) -> None:
        self.inner.insert_df(table, frame)


def half_hours(meter_id: int) -> pd.DataFrame:
    ts = np.arange(DAY, DAY + 86_400, 1800, dtype=np.int64)
    n = len(ts)
    return readings_frame(
        {
            "meter_id": np.full(n, meter_id),
            "ts": ts,
            "value": np.arange(1, n + 1, dtype=np.float64) / 4,
            "interval_s": np.full(n, 1800),
            "status": np.zeros(n),
            "version": np.full(n, 1),
            "utc_offset": np.zeros(n),
            "partner": ["backfill"] * n,
            "batch_id": ["backfill-1"] * n,
        }
    )


def test_hourly_and_daily_totals_match_the_raw_rows_while_the_rollups_are_refreshed(services, live_app) -> None:
    make_org(services.db, "775500000", "ООО «Догоняющие итоги»", ["LAG-1"], tz="UTC")
    make_user(services.db, "lag@example.ru", "consumer", complete_inn("775500000"))
    meter = meter_by_code(services.db, "LAG-1")
    paused = PausedBeforeRollups(services.store)
    writer = threading.Thread(target=write_readings, args=(paused, half_hours(meter.id)))
    writer.start()
    session = login(live_app.url, "lag@example.ru")
    window = {"from": "2026-03-10T00:00:00Z", "to": "2026-03-11T00:00:00Z"}

    def api(granularity: str) -> list[float]:
        answer = session.get(
            f"{live_app.url}/api/v1/meters/LAG-1/readings", params={**window, "granularity": granularity}, timeout=30
        )
        assert answer.status_code == 200, answer.text
        return [r["value_kwh"] for r in answer.json()["readings"]]

    try:
        assert paused.raw_stored.wait(60), "the write did not reach its rollups"
        raw = api("raw")
        assert len(raw) == 48  # the raw rows are there; the rollups are not refreshed yet
        hourly = api("hour")
        assert hourly == [raw[i] + raw[i + 1] for i in range(0, 48, 2)]
        assert api("day") == [sum(raw)]
        days = group_series(
            services.store,
            [meter.id],
            pd.Timestamp(DAY, unit="s").date(),
            pd.Timestamp(DAY + 86_400, unit="s").date(),
            "day",
        )
        assert days["value"].tolist() == [sum(raw)]
        # The other readers of the rollups: a point's total (top points), tariff pricing by hour, hourly per point.
        first, after = pd.Timestamp(DAY, unit="s").date(), pd.Timestamp(DAY + 86_400, unit="s").date()
        assert meter_totals(services.store, [meter.id], first, after) == {meter.id: sum(raw)}
        start, end = dt.datetime.fromtimestamp(DAY, dt.UTC), dt.datetime.fromtimestamp(DAY + 86_400, dt.UTC)
        by_hour = hour_of_day_totals(services.store, [meter.id], start, end).sort_values("utc_hour")
        assert by_hour["value"].tolist() == hourly
        assert hourly_by_meter(services.store, [meter.id], start, end)["value"].tolist() == hourly
    finally:
        paused.resume.set()
        writer.join(60)
    assert api("hour") == hourly and api("day") == [sum(raw)]  # from the rollups now, the same totals
