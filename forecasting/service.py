"""Forecasting one subject (a metering point or an organization total) end to end: read its hourly history,
let the backtest choose a model, store the forecast and the run."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, replace

import pandas as pd

from analytics.series import local_date
from caching.answers import changed
from data.clickhouse import forecasts as store_forecasts
from data.clickhouse.forecasts import RunRecord
from data.clickhouse.readings import group_series
from data.relational.meters import MeterInfo, list_meters
from data.services import Services
from forecasting.models import NotEnoughHistory
from forecasting.selection import choose_and_forecast
from forecasting.series import Series, from_frame
from weather.views import temperature_of_points

log = logging.getLogger(__name__)

HISTORY_DAYS = 64  # Prophet's three weeks + 28 backtest origins + two weeks before the first one
STEP_S = 3600
WEATHER_AHEAD_DAYS = 9  # temperatures past the history: the weather forecast for the days forecast hour by hour


@dataclass(frozen=True)
class Subject:
    kind: str  # meter | org
    id: int
    organization_id: int
    meters: tuple[MeterInfo, ...]  # what it sums: one point, or every point of the organization

    @property
    def lead(self) -> MeterInfo:
        return self.meters[0]

    @property
    def utc_offset(self) -> int:
        return self.lead.utc_offset

    @property
    def timezone(self) -> str:
        return self.lead.timezone


@dataclass(frozen=True)
class Outcome:
    run: RunRecord
    fit_s: float
    predict_s: float
    fits: int


def meter_subject(meter: MeterInfo) -> Subject:
    return Subject("meter", meter.id, meter.organization_id, (meter,))


def organization_subject(services: Services, organization_id: int) -> Subject | None:
    meters = list_meters(services.db, organization_id)
    return Subject("org", organization_id, organization_id, tuple(meters)) if meters else None


def hourly_history(services: Services, subject: Subject, now: dt.datetime, days: int = HISTORY_DAYS) -> Series:
    """Whole local days of hourly consumption before today, from ``days`` ago (gaps NaN)."""
    today = local_date(now, subject.utc_offset)
    shift = dt.timedelta(seconds=subject.utc_offset)
    first_local = dt.datetime.combine(today - dt.timedelta(days=days), dt.time(0))
    start = first_local.replace(tzinfo=dt.UTC) - shift
    end = dt.datetime.combine(today, dt.time(0), dt.UTC) - shift
    frame = group_series(services.store, [m.id for m in subject.meters], start, end, "hour")
    local = pd.DataFrame({"ts": pd.to_datetime(frame["ts"]).dt.tz_localize(None) + shift, "value": frame["value"]})
    series = from_frame(local, STEP_S, first=pd.Timestamp(first_local), last=pd.Timestamp(today))
    steps = (days + WEATHER_AHEAD_DAYS) * 24 * 3600 // STEP_S  # the history, then the weather forecast ahead
    axis = pd.Series(pd.date_range(first_local, periods=steps, freq=f"{STEP_S}s"))
    temperature = temperature_of_points(services, subject.meters, axis, "hour")
    return series if temperature is None else replace(series, temperature=temperature)


def forecast_subject(services: Services, subject: Subject, now: dt.datetime | None = None) -> Outcome:
    """Choose a model on the subject's own history, store its forecast, and record the run."""
    now = now or dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    series = hourly_history(services, subject, now)
    today = local_date(now, subject.utc_offset)
    base = {
        "subject": subject.kind,
        "subject_id": subject.id,
        "organization_id": subject.organization_id,
        "step_s": STEP_S,
        "fitted_at": now,
    }
    try:
        forecast = choose_and_forecast(series, today)
    except NotEnoughHistory as exc:
        run = store_forecasts.record_run(
            services.db, **base, status="no_history", message=str(exc), seconds=time.perf_counter() - started
        )
        changed(services, [subject.organization_id])
        return Outcome(run, 0.0, 0.0, 0)
    shift = pd.Timedelta(seconds=subject.utc_offset)
    run = store_forecasts.record_run(
        services.db,
        **base,
        status="ok",
        model=forecast.model,
        model_version=forecast.model_version,
        train_start=(pd.Timestamp(forecast.train_start) - shift).tz_localize("UTC").to_pydatetime(),
        train_end=(pd.Timestamp(forecast.train_end) - shift).tz_localize("UTC").to_pydatetime(),
        mape=forecast.mape,
        coverage=forecast.coverage,
        baseline_mape=forecast.baseline_mape,
        scores=forecast.scores,
        seconds=time.perf_counter() - started,
    )
    steps = forecast.steps.assign(ts=(pd.to_datetime(forecast.steps["ts"]) - shift).dt.tz_localize("UTC"))
    days = pd.DataFrame(
        {
            "ts": (pd.to_datetime(forecast.days["day"]) - shift).dt.tz_localize("UTC"),
            "value": forecast.days["value"],
            "lower": forecast.days["lower"],
            "upper": forecast.days["upper"],
        }
    )
    store_forecasts.store_values(services.store, subject.kind, subject.id, run.id, now, steps, days)
    changed(services, [subject.organization_id])  # the projection and the forecast page read the new run
    ws = forecast.workspace
    return Outcome(run, sum(ws.fit_seconds), sum(ws.predict_seconds), len(ws.fit_seconds))
