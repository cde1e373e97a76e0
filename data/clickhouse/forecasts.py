"""Stored forecasts: the values in ClickHouse (``forecasts``), each run's model and scores in the relational store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select

from data.clickhouse import sql
from data.clickhouse.store import AnalyticsStore
from data.relational import Database
from data.relational.models import ForecastRun

SUBJECTS = ("meter", "org")


@dataclass(frozen=True)
class RunRecord:
    id: int
    subject: str
    subject_id: int
    organization_id: int
    status: str
    model: str | None
    model_version: str | None
    step_s: int
    train_start: dt.datetime | None
    train_end: dt.datetime | None
    fitted_at: dt.datetime
    mape: float | None
    coverage: float | None
    baseline_mape: float | None
    scores: dict[str, Any]
    message: str | None
    seconds: float | None


def record_run(db: Database, **fields: Any) -> RunRecord:
    """Store one run's model, training window and scores; returns it with its id."""
    with db.session() as s:
        run = ForecastRun(**fields)
        s.add(run)
        s.flush()
        return _record(run)


def latest_run(db: Database, subject: str, subject_id: int) -> RunRecord | None:
    stmt = (
        select(ForecastRun)
        .where(ForecastRun.subject == subject, ForecastRun.subject_id == subject_id)
        .order_by(ForecastRun.fitted_at.desc(), ForecastRun.id.desc())
        .limit(1)
    )
    with db.session() as s:
        run = s.scalar(stmt)
        return _record(run) if run else None


def latest_runs(db: Database, subject: str, subject_ids: list[int]) -> dict[int, RunRecord]:
    """The newest run of each subject (those with none are missing)."""
    if not subject_ids:
        return {}
    newest = (
        select(ForecastRun.subject_id, func.max(ForecastRun.id).label("id"))
        .where(ForecastRun.subject == subject, ForecastRun.subject_id.in_(subject_ids))
        .group_by(ForecastRun.subject_id)
        .subquery()
    )
    stmt = select(ForecastRun).join(newest, ForecastRun.id == newest.c.id)
    with db.session() as s:
        return {run.subject_id: _record(run) for run in s.scalars(stmt)}


def store_values(
    store: AnalyticsStore,
    subject: str,
    subject_id: int,
    run_id: int,
    fitted_at: dt.datetime,
    steps: pd.DataFrame,
    days: pd.DataFrame,
) -> None:
    """Write a run's values: ``steps`` and ``days`` have ``ts`` (UTC), ``value``, ``lower``, ``upper``."""
    frames = []
    for step, frame in (("hour", steps), ("day", days)):
        if frame.empty:
            continue
        n = len(frame)
        frames.append(
            pd.DataFrame(
                {
                    "subject": np.full(n, subject, dtype=object),
                    "subject_id": np.full(n, subject_id, dtype="uint32"),
                    "step": np.full(n, step, dtype=object),
                    "ts": epoch_seconds(frame["ts"]),
                    "value": frame["value"].to_numpy(dtype="float64"),
                    "lower": frame["lower"].astype("float64"),
                    "upper": frame["upper"].astype("float64"),
                    "run_id": np.full(n, run_id, dtype="uint64"),
                    "fitted_at": np.full(n, int(fitted_at.timestamp() * 1000), dtype="int64"),
                }
            )
        )
    if not frames:
        return
    frame = pd.concat(frames, ignore_index=True)
    frame["ts"] = frame["ts"].astype("uint32")
    frame["fitted_at"] = pd.to_datetime(frame["fitted_at"], unit="ms", utc=True)
    store.insert_df("forecasts", frame[list(sql.FORECAST_COLUMNS)])


def stored_steps(
    store: AnalyticsStore, subject: str, subject_id: int, start: dt.datetime, end: dt.datetime
) -> pd.DataFrame:
    """Hourly forecast values over ``[start, end)``: ``ts`` (UTC), ``value``, ``lower``, ``upper``, ``run_id``."""
    params = {"subject": subject, "subject_id": subject_id, "step": "hour", "start": start, "end": end}
    return store.query_df(sql.FORECAST_SERIES, params)


def stored_steps_of_meters(
    store: AnalyticsStore, meter_ids: list[int], start: dt.datetime, end: dt.datetime
) -> pd.DataFrame:
    """Hourly forecasts of many points: ``meter_id``, ``ts`` (UTC), ``value``, ``lower``, ``upper``."""
    if not meter_ids:
        return pd.DataFrame(columns=["meter_id", "ts", "value", "lower", "upper"])
    params = {"meters": [int(m) for m in meter_ids], "start": start, "end": end}
    return store.query_df(sql.FORECASTS_OF_METERS, params)


def stored_days(store: AnalyticsStore, subject: str, subject_id: int, run_id: int) -> pd.DataFrame:
    """The daily totals of one run: ``ts`` (UTC of the local midnight), ``value``, ``lower``, ``upper``."""
    return store.query_df(sql.FORECAST_DAYS, {"subject": subject, "subject_id": subject_id, "run_id": run_id})


def _record(run: ForecastRun) -> RunRecord:
    return RunRecord(
        id=run.id,
        subject=run.subject,
        subject_id=run.subject_id,
        organization_id=run.organization_id,
        status=run.status,
        model=run.model,
        model_version=run.model_version,
        step_s=run.step_s,
        train_start=_utc(run.train_start),
        train_end=_utc(run.train_end),
        fitted_at=_utc(run.fitted_at) or run.fitted_at,
        mape=run.mape,
        coverage=run.coverage,
        baseline_mape=run.baseline_mape,
        scores=dict(run.scores or {}),
        message=run.message,
        seconds=run.seconds,
    )


def epoch_seconds(ts: pd.Series) -> np.ndarray:
    """Seconds since 1970 (UTC) of any datetime column, whatever its unit or zone."""
    stamps = pd.to_datetime(ts, utc=True)
    return ((stamps - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)).to_numpy(dtype="int64")


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:  # SQLite keeps no zone
        return value.replace(tzinfo=dt.UTC)
    return value
