"""Writing readings and reading series back, over any :class:`AnalyticsStore`."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from prometheus_client import Histogram

from data.clickhouse import sql
from data.clickhouse.store import AnalyticsStore
from data.messaging.reading_batch import STATUS_CLOCK_FIXED, STATUS_CORRECTED, STATUS_RESET

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


@dataclass(frozen=True)
class Written:
    """What one write changed, per metering point: readings that corrected a different stored value, and readings
    older than two days (history arriving late: a backfill or an import)."""

    corrected: dict[int, int]
    late: dict[int, int]
    resets: dict[int, int] = field(default_factory=dict)  # register resets flagged by ingestion
    clock_fixed: dict[int, int] = field(default_factory=dict)  # timestamps snapped to the interval grid
    replaced: pd.DataFrame | None = None  # rows of ``replaced_readings`` this write added (old and new values)
    meters: frozenset[int] = frozenset()  # every point the write touched (whose cached answers are now stale)


LATE_AFTER_S = 2 * 86_400


def merge_written(parts: list[Written]) -> Written:
    """One account of several writes (the parts of a batch written one after another)."""

    def summed(name: str) -> dict[int, int]:
        total: dict[int, int] = {}
        for part in parts:
            for meter, n in getattr(part, name).items():
                total[meter] = total.get(meter, 0) + n
        return total

    replaced = [p.replaced for p in parts if p.replaced is not None]
    return Written(
        summed("corrected"),
        summed("late"),
        summed("resets"),
        summed("clock_fixed"),
        pd.concat(replaced, ignore_index=True) if replaced else None,
        frozenset().union(*(p.meters for p in parts)),
    )


def write_readings(store: AnalyticsStore, frame: pd.DataFrame, now_s: float | None = None) -> Written:
    """Insert readings, then recompute the hourly and daily rollups of what they touched.

    A reading that replaces a stored, different value with a later version is flagged
    ``STATUS_CORRECTED``, so charts can mark it; a replay of the same batch keeps the flag it had.
    """
    if frame.empty:
        return Written({}, {})
    frame, newer, replaced = mark_corrections(store, frame)
    if replaced is not None:  # provenance first: a crash before the readings insert replays into the same keys
        store.insert_df("replaced_readings", replaced)
    meters = [int(m) for m in frame["meter_id"].unique()]
    lo, hi = _utc(int(frame["ts"].min())), _utc(int(frame["ts"].max()))
    # Readers sum these points' new range from the raw rows until its rollups are refreshed.
    marker = {"meters": meters, "lo": lo, "hi": hi, "token": uuid.uuid4().hex}
    store.command(sql.MARK_ROLLUPS, {**marker, "done": 0})
    try:
        store.insert_df("readings", frame)
    except Exception:  # refused: nothing of it is pending any more
        store.command(sql.MARK_ROLLUPS, {**marker, "done": 1})
        raise
    refresh_rollups(store, meters, lo, hi)
    store.command(sql.MARK_ROLLUPS, {**marker, "done": 1})
    cutoff = (now_s if now_s is not None else time.time()) - LATE_AFTER_S
    status = frame["status"].to_numpy()
    return Written(
        _counts(frame.loc[newer, "meter_id"]) if newer.any() else {},
        _counts(frame.loc[frame["ts"].to_numpy() < cutoff, "meter_id"]),
        _counts(frame.loc[(status & STATUS_RESET) != 0, "meter_id"]),
        _counts(frame.loc[(status & STATUS_CLOCK_FIXED) != 0, "meter_id"]),
        replaced,
        frozenset(meters),
    )


def _counts(meter_ids: pd.Series) -> dict[int, int]:
    return {int(k): int(v) for k, v in meter_ids.value_counts().items()}


def mark_corrections(
    store: AnalyticsStore, frame: pd.DataFrame
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame | None]:
    """The frame with corrections flagged, which of its rows replace a different stored value, and those replaced
    values as rows of ``replaced_readings`` (None when nothing was replaced)."""
    params = {
        "meters": frame["meter_id"].unique().tolist(),
        "lo": _utc(int(frame["ts"].min())),
        "hi": _utc(int(frame["ts"].max())),
    }
    none = np.zeros(len(frame), dtype=bool)
    stored = store.query_df(sql.EXISTING_READINGS, params)
    if stored.empty:
        return frame, none, None
    stored = stored.astype({"meter_id": "uint32", "ts": "uint32"})
    merged = frame.merge(stored, on=["meter_id", "ts"], how="left")
    newer = ((merged["version"] > merged["old_version"]) & (merged["value"] != merged["old_value"])).to_numpy()
    replay = (merged["version"] == merged["old_version"]) & (
        (merged["old_status"].fillna(0).astype("uint8") & STATUS_CORRECTED) != 0
    )
    flagged = newer | replay.to_numpy()
    if not flagged.any():
        return frame, none, None
    frame = frame.copy()
    frame.loc[flagged, "status"] = frame.loc[flagged, "status"] | STATUS_CORRECTED
    return frame, newer, _replaced_rows(merged.loc[newer]) if newer.any() else None


def _replaced_rows(merged: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "meter_id": merged["meter_id"].astype("uint32").to_numpy(),
            "ts": merged["ts"].astype("uint32").to_numpy(),
            "interval_s": merged["interval_s"].astype("uint32").to_numpy(),
            "old_value": merged["old_value"].astype("float64").to_numpy(),
            "old_status": merged["old_status"].astype("uint8").to_numpy(),
            "old_version": merged["old_version"].astype("uint64").to_numpy(),
            "old_partner": merged["old_partner"].astype(str).to_numpy(),
            "old_batch": merged["old_batch"].astype(str).to_numpy(),
            "new_value": merged["value"].astype("float64").to_numpy(),
            "new_version": merged["version"].astype("uint64").to_numpy(),
            "new_batch": merged["batch_id"].astype(str).to_numpy(),
            "utc_offset": merged["utc_offset"].astype("int32").to_numpy(),
            "replaced_at": np.full(len(merged), int(time.time()), dtype="uint32"),
        }
    )


def replaced_by_batch(store: AnalyticsStore, batch: str) -> pd.DataFrame:
    """The values a batch replaced (``old_value``) next to its own (``new_value``), by point and time."""
    return store.query_df(sql.REPLACED_BY_BATCH, {"batch": batch})


def replaced_summary(store: AnalyticsStore, meter_ids: list[int], since: dt.datetime) -> pd.DataFrame:
    """Corrections since ``since``, per batch, point and local day: rows, kWh before and after, kWh changed."""
    if not meter_ids:
        return pd.DataFrame(columns=["batch", "meter_id", "day", "rows", "old_kwh", "new_kwh", "changed_kwh"])
    return store.query_df(sql.REPLACED_SUMMARY, {"meters": [int(m) for m in meter_ids], "since": since})


def day_totals(
    store: AnalyticsStore, meter_ids: list[int], lo: dt.date, hi: dt.date
) -> dict[tuple[int, dt.date], float]:
    """kWh per (point, local day) over [lo, hi], as the daily rollup holds them."""
    frame = store.query_df(sql.DAY_TOTALS, {"meters": [int(m) for m in meter_ids], "lo": lo, "hi": hi})
    return {(int(m), pd.Timestamp(d).date()): float(v) for m, d, v in frame.itertuples(index=False)}


def hourly_p99(store: AnalyticsStore, meter_ids: list[int], since: dt.datetime) -> pd.DataFrame:
    """Per point, interval length and local hour of day: the 99th percentile of its readings and how many there are."""
    return store.query_df(sql.HOURLY_P99, {"meters": [int(m) for m in meter_ids], "since": since})


ROLLUP_SECONDS = Histogram("wattboard_rollup_seconds", "Time to recompute the rollups an insert touched")


def refresh_rollups(store: AnalyticsStore, meter_ids: list[int], lo: dt.datetime, hi: dt.datetime) -> None:
    params = {"meters": [int(m) for m in meter_ids], "lo": lo, "hi": hi}
    with ROLLUP_SECONDS.time():
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
    raw = rollups_pending(store, [meter_id], start, end)
    if granularity == "hour":
        query = sql.HOURLY_SERIES_RAW if raw else sql.HOURLY_SERIES
        return store.query_df(query, {"meter": meter_id, "start": start, "end": end})
    if isinstance(start, dt.datetime) or isinstance(end, dt.datetime):
        raise TypeError("the daily series takes local dates")
    if raw:
        return store.query_df(sql.DAILY_SERIES_RAW, {"meters": [meter_id], "start": start, "end": end})
    return store.query_df(sql.DAILY_SERIES, {"meter": meter_id, "start": start, "end": end})


def rollups_pending(store: AnalyticsStore, meter_ids: list[int], start: dt.date, end: dt.date) -> bool:
    """True while a write into these points' ``[start, end)`` has stored its raw rows but not refreshed their rollups
    (dates are taken a day wide on either side: local days are not UTC days)."""
    lo, hi = (
        (start, end)
        if isinstance(start, dt.datetime)
        else (_midnight(start) - dt.timedelta(days=1), _midnight(end) + dt.timedelta(days=1))
    )
    found = store.query_df(sql.PENDING_ROLLUPS, {"start": lo, "end": hi})
    if found.empty:
        return False
    wanted = {int(m) for m in meter_ids}
    return any(wanted.intersection(int(m) for m in meters) for meters in found["meters"])


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), dt.UTC)


def group_series(store: AnalyticsStore, meter_ids: list[int], start: dt.date, end: dt.date, step: Step) -> pd.DataFrame:
    """Consumption of several metering points summed per period: ``ts``, ``value`` (kWh), ``samples``, ``status``.

    ``30min`` and ``hour`` take UTC datetimes; ``day``, ``week`` and ``month`` take local dates ``[start, end)``
    and come from the daily rollup, never from a raw scan.
    """
    meters = [int(m) for m in meter_ids]
    pending = step != "30min" and rollups_pending(store, meters, start, end)
    queries = sql.GROUP_SERIES_RAW if pending else sql.GROUP_SERIES
    frame = store.query_df(queries[step], {"meters": meters, "start": start, "end": end})
    return frame.rename(columns={"period": "ts"})


def hour_of_day_totals(
    store: AnalyticsStore, meter_ids: list[int], start: dt.datetime, end: dt.datetime
) -> pd.DataFrame:
    """kWh per metering point and UTC hour of day over ``[start, end)``: the input of tariff pricing."""
    meters = [int(m) for m in meter_ids]
    query = sql.HOUR_OF_DAY_TOTALS_RAW if rollups_pending(store, meters, start, end) else sql.HOUR_OF_DAY_TOTALS
    return store.query_df(query, {"meters": meters, "start": start, "end": end})


def meter_totals(store: AnalyticsStore, meter_ids: list[int], start: dt.date, end: dt.date) -> dict[int, float]:
    """kWh per metering point over the local days ``[start, end)``."""
    if not meter_ids:
        return {}
    meters = [int(m) for m in meter_ids]
    query = sql.METER_TOTALS_RAW if rollups_pending(store, meters, start, end) else sql.METER_TOTALS
    frame = store.query_df(query, {"meters": meters, "start": start, "end": end})
    return {int(r.meter_id): float(r.value) for r in frame.itertuples()}


def hourly_by_meter(store: AnalyticsStore, meter_ids: list[int], start: dt.datetime, end: dt.datetime) -> pd.DataFrame:
    """``meter_id``, ``ts`` (UTC hour), ``value`` (kWh) of each point over ``[start, end)``."""
    if not meter_ids:
        return pd.DataFrame(columns=["meter_id", "ts", "value"])
    meters = [int(m) for m in meter_ids]
    query = sql.HOURLY_BY_METER_RAW if rollups_pending(store, meters, start, end) else sql.HOURLY_BY_METER
    return store.query_df(query, {"meters": meters, "start": start, "end": end})


def device_timeline(store: AnalyticsStore, device_id: int, start: dt.datetime, end: dt.datetime) -> pd.DataFrame:
    return store.query_df(sql.DEVICE_TIMELINE, {"device": device_id, "start": start, "end": end})


def readings_since(store: AnalyticsStore, meter_id: int, since: dt.datetime) -> pd.DataFrame:
    return store.query_df(sql.READINGS_SINCE, {"meter": meter_id, "since": since})


def latest_timestamps(store: AnalyticsStore, meter_ids: list[int]) -> dict[int, dt.datetime]:
    if not meter_ids:
        return {}
    frame = store.query_df(sql.LATEST_READING, {"meters": [int(m) for m in meter_ids]})
    return {int(row.meter_id): pd.Timestamp(row.last_ts).to_pydatetime() for row in frame.itertuples()}


def meters_delivered_by(store: AnalyticsStore, partner: str) -> list[int]:
    frame = store.query_df(sql.DELIVERED_BY, {"partner": partner})
    return [int(m) for m in frame["meter_id"]] if not frame.empty else []


def devices_reported_by(store: AnalyticsStore, partner: str) -> list[int]:
    frame = store.query_df(sql.REPORTED_BY, {"partner": partner})
    return [int(d) for d in frame["device_id"]] if not frame.empty else []


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
