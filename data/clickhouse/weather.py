"""Stored hourly air temperatures per place (ClickHouse ``weather``): writing a fetch, reading a range, freshness."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from redis import Redis

from data.clickhouse import sql
from data.clickhouse.forecasts import epoch_seconds
from data.clickhouse.store import AnalyticsStore


def store_temperatures(store: AnalyticsStore, place: str, hours: pd.DataFrame, fetched_at: dt.datetime) -> int:
    """Write ``hours`` (``ts`` UTC, ``temperature`` °C) of ``place``; hours without a value are skipped."""
    hours = hours[np.isfinite(hours["temperature"].to_numpy(dtype="float64"))]
    if hours.empty:
        return 0
    n = len(hours)
    frame = pd.DataFrame(
        {
            "place": np.full(n, place, dtype=object),
            "ts": epoch_seconds(hours["ts"]).astype("uint32"),
            "temperature": hours["temperature"].to_numpy(dtype="float32"),
            "fetched_at": np.full(n, int(fetched_at.timestamp()), dtype="uint32"),
        }
    )
    store.insert_df("weather", frame[list(sql.WEATHER_COLUMNS)])
    return n


def temperatures(store: AnalyticsStore, place: str, start: dt.datetime, end: dt.datetime) -> pd.DataFrame:
    """``ts`` (UTC) and ``temperature`` of ``place`` over ``[start, end)``: observed, then forecast."""
    return store.query_df(sql.WEATHER_SERIES, {"place": place, "start": start, "end": end})


FAILURE_TTL_S = 86_400


def note_failure(redis: Redis, place: str, reason: str | None) -> None:
    """Remember why the last fetch of ``place`` failed (None: it succeeded), for the staff alert to say."""
    key = f"wb:weather-failure:{place}"
    if reason is None:
        redis.delete(key)
    else:
        redis.set(key, reason[:300], ex=FAILURE_TTL_S)


def last_failure(redis: Redis, place: str) -> str | None:
    value = redis.get(f"wb:weather-failure:{place}")
    return value.decode() if isinstance(value, bytes) else value


def freshness(store: AnalyticsStore) -> pd.DataFrame:
    """Per place: ``fetched_at`` (the last fetch), ``last_hour`` (the furthest hour known), ``hours`` stored."""
    return store.query_df(sql.WEATHER_FRESHNESS)
