"""Writing readings and reading series back, over any :class:`AnalyticsStore`."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import numpy as np
import pandas as pd

from data import clickhouse_sql as sql
from data.clickhouse_store import AnalyticsStore
from data.reading_batch import STATUS_CORRECTED

Granularity = Literal["raw", "hour", "day"]
Step = Literal["30min", "hour", "day", "week", "month"]

_DTYPES = {
    "meter_id": "uint32",
    "ts": "uint32",
    "value": "float64",
    "interval_s": "uint32",
    "status": "uint8",
    "version": "uint64",
    "utc_offset": "int32",
}


def readings_frame(columns: dict[str, list | np.ndarray]) -> pd.DataFrame:
    """A frame in the column order and types of the readings table (``ts`` as epoch seconds)."""
    frame = pd.DataFrame({name: columns[name] for name in sql.READING_COLUMNS})
    return frame.astype(_DTYPES)


def write_readings(store: AnalyticsStore, frame: pd.DataFrame) -> None:
    """Insert readings, then recompute the hourly and daily rollups of what they touched.

    A reading that replaces a stored, different value with a later version is flagged
    ``STATUS_CORRECTED``, so charts can mark it; a replay of the same batch keeps the flag it had.
    """
    if frame.empty:
        return
    frame = mark_corrections(store, frame)
    store.insert_df("readings", frame)
    refresh_rollups(
        store,
        frame["meter_id"].unique().tolist(),
        _utc(int(frame["ts"].min())),
        _utc(int(frame["ts"].max())),
    )


def mark_corrections(store: AnalyticsStore, frame: pd.DataFrame) -> pd.DataFrame:
    params = {
        "meters": frame["meter_id"].unique().tolist(),
        "lo": _utc(int(frame["ts"].min())),
        "hi": _utc(int(frame["ts"].max())),
    }
    stored = store.query_df(sql.EXISTING_READINGS, params)
    if stored.empty:
        return frame
    stored = stored.astype({"meter_id": "uint32", "ts": "uint32"})
    merged = frame.merge(stored, on=["meter_id", "ts"], how="left")
    newer = (merged["version"] > merged["old_version"]) & (merged["value"] != merged["old_value"])
    replay = (merged["version"] == merged["old_version"]) & (
        (merged["old_status"].fillna(0).astype("uint8") & STATUS_CORRECTED) != 0
    )
    flagged = (newer | replay).to_numpy()
    if not flagged.any():
        return frame
    frame = frame.copy()
    frame.loc[flagged, "status"] = frame.loc[flagged, "status"] | STATUS_CORRECTED
    return frame


def refresh_rollups(store: AnalyticsStore, meter_ids: list[int], lo: dt.datetime, hi: dt.datetime) -> None:
    params = {"meters": [int(m) for m in meter_ids], "lo": lo, "hi": hi}
    store.command(sql.REFRESH_HOURLY, params)
    store.command(sql.REFRESH_DAILY, params)


def series(
    store: AnalyticsStore, meter_id: int, start: dt.date, end: dt.date, granularity: Granularity
) -> pd.DataFrame:
    """Columns ``ts``, ``value`` (kWh), ``status``.

    Raw and hourly series take UTC datetimes; the daily series takes the metering point's local dates
    ``[start, end)`` (see ``analytics.series.local_day_bounds``).
    """
    if granularity == "raw":
        return store.query_df(sql.RAW_SERIES, {"meter": meter_id, "start": start, "end": end})
    if granularity == "hour":
        return store.query_df(sql.HOURLY_SERIES, {"meter": meter_id, "start": start, "end": end})
    if isinstance(start, dt.datetime) or isinstance(end, dt.datetime):
        raise TypeError("the daily series takes local dates")
    return store.query_df(sql.DAILY_SERIES, {"meter": meter_id, "start": start, "end": end})


def group_series(store: AnalyticsStore, meter_ids: list[int], start: dt.date, end: dt.date, step: Step) -> pd.DataFrame:
    """Consumption of several metering points summed per period: ``ts``, ``value`` (kWh), ``samples``, ``status``.

    ``30min`` and ``hour`` take UTC datetimes; ``day``, ``week`` and ``month`` take local dates ``[start, end)``
    and come from the daily rollup, never from a raw scan.
    """
    frame = store.query_df(sql.GROUP_SERIES[step], {"meters": [int(m) for m in meter_ids], "start": start, "end": end})
    return frame.rename(columns={"period": "ts"})


def hour_of_day_totals(
    store: AnalyticsStore, meter_ids: list[int], start: dt.datetime, end: dt.datetime
) -> pd.DataFrame:
    """kWh per metering point and UTC hour of day over ``[start, end)``: the input of tariff pricing."""
    return store.query_df(sql.HOUR_OF_DAY_TOTALS, {"meters": [int(m) for m in meter_ids], "start": start, "end": end})


def meter_totals(store: AnalyticsStore, meter_ids: list[int], start: dt.date, end: dt.date) -> dict[int, float]:
    """kWh per metering point over the local days ``[start, end)``."""
    if not meter_ids:
        return {}
    frame = store.query_df(sql.METER_TOTALS, {"meters": [int(m) for m in meter_ids], "start": start, "end": end})
    return {int(r.meter_id): float(r.value) for r in frame.itertuples()}


def device_timeline(store: AnalyticsStore, device_id: int, start: dt.datetime, end: dt.datetime) -> pd.DataFrame:
    return store.query_df(sql.DEVICE_TIMELINE, {"device": device_id, "start": start, "end": end})


def readings_since(store: AnalyticsStore, meter_id: int, since: dt.datetime) -> pd.DataFrame:
    return store.query_df(sql.READINGS_SINCE, {"meter": meter_id, "since": since})


def latest_timestamps(store: AnalyticsStore, meter_ids: list[int]) -> dict[int, dt.datetime]:
    if not meter_ids:
        return {}
    frame = store.query_df(sql.LATEST_READING, {"meters": [int(m) for m in meter_ids]})
    return {int(row.meter_id): pd.Timestamp(row.last_ts).to_pydatetime() for row in frame.itertuples()}


def count_readings(store: AnalyticsStore, meter_ids: list[int]) -> int:
    frame = store.query_df(sql.COUNT_READINGS, {"meters": [int(m) for m in meter_ids]})
    return int(frame.iloc[0, 0])


def quality_inputs(store: AnalyticsStore, meter_ids: list[int], start: dt.datetime, end: dt.datetime) -> pd.DataFrame:
    """Coverage and flag counts per metering point (see ``analytics.quality``)."""
    if not meter_ids:
        return pd.DataFrame(
            columns=["meter_id", "covered_s", "samples", "estimated", "resets", "clock_fixed", "rollovers", "last_ts"]
        )
    return store.query_df(sql.QUALITY, {"meters": [int(m) for m in meter_ids], "start": start, "end": end})


def _utc(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)
