"""The forecasting use cases behind the page, the API, the CLI and the jobs. Each takes the services, the caller and
its arguments, and owns the tenant check, the write, the audit event and the side effects."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics.business import is_business, series_cost
from analytics.coarse import month_estimate
from analytics.consumption import period_cost
from analytics.market import next_month
from analytics.series import local_date, to_local
from analytics.tariffs import cost_of_series
from auth.access import meter_for
from auth.principal import AccessDenied, Principal
from caching.answers import cached, changed
from data.clickhouse import forecasts as stored
from data.clickhouse.forecasts import RunRecord
from data.clickhouse.readings import group_series
from data.queue import progress
from data.relational import audit, budgets
from data.relational.meters import organization_name
from data.services import Services
from forecasting.projection import Budget, Projection, month_end, with_coarse
from forecasting.runs import RunProgress, run_progress, start_run
from forecasting.service import Subject, meter_subject, organization_subject
from manual.actions import organization_coarse_uses
from pricing.book import price_book
from weather.views import temperature_of_points

PAST_DAYS = 28
STAFF = ("admin", "operator")
RUN_IN_PROGRESS_S = 2 * 3600  # a newer request joins an unfinished run younger than this


class NothingToForecast(LookupError):
    """The organization has no metering points."""


@dataclass(frozen=True)
class ForecastView:
    subject: Subject
    title: str
    run: RunRecord | None
    actual: pd.DataFrame  # ts (local), value: the last weeks and today so far, hourly
    band: pd.DataFrame  # ts (local), value, lower, upper: stored hourly forecasts, past and next days
    days: pd.DataFrame  # day (local date), value, lower, upper: the rest of the month after the hourly part
    projection: Projection | None
    month_days: pd.DataFrame = field(default_factory=pd.DataFrame)  # every day from today to the month end
    temperature: pd.DataFrame = field(default_factory=pd.DataFrame)  # ts (local), temperature: observed, then forecast


def days_to_month_end(
    actual: pd.DataFrame, band: pd.DataFrame, days: pd.DataFrame, now_local: dt.datetime
) -> pd.DataFrame:
    """Each local day from today to the month's end: today as measured so far plus its forecast hours, the next days
    from the hourly forecast, the days after it from the daily one (``day``, ``value``, ``lower``, ``upper``)."""
    today = now_local.date()
    month_end = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    hour = pd.Timestamp(now_local).floor("h")
    rows: dict[dt.date, list[float]] = {}
    if not band.empty:
        ahead = band[pd.to_datetime(band["ts"]) >= hour]
        stamps = pd.to_datetime(ahead["ts"])
        for day, part in ahead.groupby(stamps.dt.date):
            if today <= day < month_end:
                rows[day] = [float(part["value"].sum()), float(part["lower"].sum()), float(part["upper"].sum())]
    if not actual.empty and today in rows:
        measured = actual[(pd.to_datetime(actual["ts"]).dt.date == today) & (pd.to_datetime(actual["ts"]) < hour)]
        done = float(measured["value"].sum())
        rows[today] = [v + done for v in rows[today]]
    for day, value, low, high in zip(days["day"], days["value"], days["lower"], days["upper"], strict=True):
        if today <= day < month_end and day not in rows:
            rows[day] = [float(value), float(low), float(high)]
    ordered = sorted(rows.items())
    return pd.DataFrame(
        {
            "day": [d for d, _ in ordered],
            "value": [v[0] for _, v in ordered],
            "lower": [v[1] for _, v in ordered],
            "upper": [v[2] for _, v in ordered],
        }
    )


def subject_for(services: Services, principal: Principal, code: str | None, organization_id: int | None) -> Subject:
    """A metering point the caller may see, or the total of an organization in the caller's scope."""
    if code:
        return meter_subject(meter_for(services.db, principal, code))
    org = principal.organization_scope(organization_id)
    if org is None or not principal.can_see_organization(org):
        raise NothingToForecast()
    subject = organization_subject(services, org)
    if subject is None:
        raise NothingToForecast()
    return subject


def forecast_view(
    services: Services,
    principal: Principal,
    code: str | None = None,
    organization_id: int | None = None,
    now: dt.datetime | None = None,
) -> ForecastView:
    """What the forecast page shows: stored forecasts are read, never computed here; once per data version and hour
    for every reader of the same point or organization."""
    moment = now or dt.datetime.now(dt.UTC)
    subject = subject_for(services, principal, code, organization_id)
    return cached(
        services,
        "forecast",
        [subject.organization_id],
        (subject, moment.strftime("%Y-%m-%dT%H")),
        lambda: _forecast_view(services, subject, moment),
    )


def _forecast_view(services: Services, subject: Subject, now: dt.datetime) -> ForecastView:
    run = stored.latest_run(services.db, subject.kind, subject.id)
    start = now - dt.timedelta(days=PAST_DAYS)
    end = now + dt.timedelta(days=8)
    actual = group_series(services.store, [m.id for m in subject.meters], start, now, "hour")
    actual = pd.DataFrame({"ts": to_local(actual["ts"], subject.timezone), "value": actual["value"]})
    band = stored.stored_steps(services.store, subject.kind, subject.id, start, end)
    band = band.assign(ts=to_local(band["ts"], subject.timezone)) if not band.empty else _empty_band()
    days = _days(services, subject, run)
    projection = _month_projection(services, subject, now, run, band, days)
    title = subject.lead.code if subject.kind == "meter" else organization_name(services.db, subject.id)
    now_local = (now + dt.timedelta(seconds=subject.utc_offset)).replace(tzinfo=None)
    month_days = days_to_month_end(actual, band, days, now_local) if projection is not None else days
    return ForecastView(
        subject, title, run, actual, band, days, projection, month_days, _temperature(services, subject, actual, band)
    )


def _temperature(services: Services, subject: Subject, actual: pd.DataFrame, band: pd.DataFrame) -> pd.DataFrame:
    """The hourly temperatures the subject's points feel over the hours the chart spans (empty without a weather
    source): :func:`weather.views.temperature_of_points`."""
    stamps = pd.concat([pd.to_datetime(actual["ts"]), pd.to_datetime(band["ts"])], ignore_index=True).dropna()
    if stamps.empty:
        return pd.DataFrame()
    axis = pd.Series(pd.date_range(stamps.min().floor("h"), stamps.max().floor("h"), freq="h"))
    temps = temperature_of_points(services, subject.meters, axis, "hour")
    return pd.DataFrame() if temps is None else pd.DataFrame({"ts": axis, "temperature": temps})


def _empty_band() -> pd.DataFrame:
    return pd.DataFrame({"ts": pd.Series([], dtype="datetime64[ns]"), "value": [], "lower": [], "upper": []})


def _days(services: Services, subject: Subject, run: RunRecord | None) -> pd.DataFrame:
    if run is None or run.status != "ok":
        return pd.DataFrame(columns=["day", "value", "lower", "upper"])
    frame = stored.stored_days(services.store, subject.kind, subject.id, run.id)
    return pd.DataFrame(
        {
            "day": to_local(frame["ts"], subject.timezone).dt.date,
            "value": frame["value"],
            "lower": frame["lower"],
            "upper": frame["upper"],
        }
    )


def _projection(
    services: Services, subject: Subject, now: dt.datetime, band: pd.DataFrame, days: pd.DataFrame
) -> Projection:
    book = price_book(services.db)
    offset = subject.utc_offset
    month_start = local_date(now, offset).replace(day=1)
    month_start_at = dt.datetime.combine(month_start, dt.time(0), dt.UTC) - dt.timedelta(seconds=offset)
    meters = list(subject.meters)
    so_far = group_series(services.store, [m.id for m in meters], month_start_at, now, "hour")
    so_far_kwh = float(np.nansum(so_far["value"]))
    so_far_rub = period_cost(services.store, meters, month_start_at, now, book)
    if subject.kind == "meter" and is_business(subject.lead):
        lead = subject.lead
        actual_ts = pd.to_datetime(so_far["ts"], utc=True).dt.tz_localize(None) + pd.Timedelta(seconds=offset)
        actual = (actual_ts.to_numpy("datetime64[s]"), so_far["value"].to_numpy(dtype="float64"))

        def pricer(stamps: np.ndarray, kwh: np.ndarray) -> float:
            """What the forecast hours add to the month: the cost of the hours so far and these together, up to the
            last of them, less the hours so far. Capacity and network charges follow the capacity volume of the whole
            stretch and its share of the month's working days (the days after it carry theirs by the hourly rate)."""
            stamps = np.asarray(stamps, dtype="datetime64[s]")
            last = stamps.max().astype("datetime64[D]").item() + dt.timedelta(days=1) if len(stamps) else month_start
            whole = series_cost(
                np.concatenate([actual[0], stamps]),
                np.concatenate([actual[1], np.asarray(kwh, dtype="float64")]),
                lead,
                book.market,
                period=(month_start, min(max(last, month_start), next_month(month_start))),
            )
            return whole.total - so_far_rub
    elif subject.kind == "meter":
        lead = subject.lead

        def pricer(stamps: np.ndarray, kwh: np.ndarray) -> float:
            return cost_of_series(stamps, kwh, lead.tariff_plan, lead.region, book)
    else:
        rate = so_far_rub / so_far_kwh if so_far_kwh > 0 else 0.0

        def pricer(stamps: np.ndarray, kwh: np.ndarray) -> float:
            return float(np.nansum(kwh)) * rate

    now_local = (now + dt.timedelta(seconds=offset)).replace(tzinfo=None)
    return month_end(now_local, so_far_kwh, so_far_rub, band, days, pricer, _budget(services, subject))


def _budget(services: Services, subject: Subject) -> Budget | None:
    stored_budget = budgets.get_budget(services.db, subject.organization_id) if subject.kind == "org" else None
    return Budget(*stored_budget) if stored_budget else None


def _month_projection(
    services: Services,
    subject: Subject,
    now: dt.datetime,
    run: RunRecord | None,
    band: pd.DataFrame,
    days: pd.DataFrame,
) -> Projection | None:
    """The month-end projection: the metered points' from their stored forecast, and for an organization the points
    read by hand added by their periods (so a household that reads its meter by eye gets one, and its budget a
    verdict)."""
    metered = _projection(services, subject, now, band, days) if run is not None and run.status == "ok" else None
    if subject.kind != "org":
        return metered
    month_start = local_date(now, subject.utc_offset).replace(day=1)
    bounds = [
        dt.datetime.combine(day, dt.time(0), dt.UTC) - dt.timedelta(seconds=subject.utc_offset)
        for day in (month_start, next_month(month_start))
    ]
    estimate = month_estimate(organization_coarse_uses(services, subject.organization_id), *bounds)
    if estimate is None:
        return metered
    return with_coarse(metered, estimate, month_start, _budget(services, subject))


def projection_of(services: Services, organization_id: int, now: dt.datetime | None = None) -> Projection | None:
    """An organization's month-end projection for the system's own use (the budget alert): no caller to check."""
    now = now or dt.datetime.now(dt.UTC)
    subject = organization_subject(services, organization_id)
    if subject is None:
        return None
    run = stored.latest_run(services.db, subject.kind, subject.id)
    band = _empty_band()
    if run is not None and run.status == "ok":
        band = stored.stored_steps(
            services.store, subject.kind, subject.id, now - dt.timedelta(hours=1), now + dt.timedelta(days=8)
        )
        band = band.assign(ts=to_local(band["ts"], subject.timezone)) if not band.empty else _empty_band()
    return _month_projection(services, subject, now, run, band, _days(services, subject, run))


def organization_projection(
    services: Services, principal: Principal, organization_id: int | None, now: dt.datetime | None = None
) -> Projection | None:
    """The month-end projection of an organization's total (None before its first forecast, or for a caller who may
    not see it). Computed once per data version and hour for every reader of the organization."""
    org = principal.organization_scope(organization_id)
    if org is None or not principal.can_see_organization(org):
        return None
    moment = now or dt.datetime.now(dt.UTC)
    return cached(
        services,
        "projection",
        [org],
        (org, moment.strftime("%Y-%m-%dT%H")),
        lambda: projection_of(services, org, moment),
    )


def recompute(
    services: Services, principal: Principal, organization_id: int | None, code: str | None = None
) -> RunProgress:
    """Queue a new forecast of one point or of a whole organization (staff only); returns the run's progress.

    A request while the organization's run is still going joins that run instead of starting another."""
    if principal.role not in STAFF:
        raise AccessDenied("only administrators and operators recompute forecasts")
    meter_ids = None
    if code:
        meter = meter_for(services.db, principal, code)
        organization_id, meter_ids = meter.organization_id, [meter.id]
    if organization_id is None:
        raise NothingToForecast()
    if organization_subject(services, organization_id) is None:
        raise NothingToForecast()
    running = run_progress(services, organization_id)
    if running is not None and not running.finished and meter_ids is None and _younger(services, running):
        return running
    key = start_run(services, organization_id, meter_ids, reason="on demand")
    audit.log(
        services,
        principal.email,
        "forecast.requested",
        code or organization_name(services.db, organization_id),
        details={"organization_id": organization_id, "run": key},
    )
    result = run_progress(services, organization_id)
    assert result is not None
    return result


def run_status(services: Services, principal: Principal, organization_id: int | None) -> RunProgress | None:
    """The newest forecast run of an organization the caller may see."""
    org = principal.organization_scope(organization_id)
    if org is None or not principal.can_see_organization(org):
        return None
    return run_progress(services, org)


def set_budget(
    services: Services, principal: Principal, organization_id: int, amount: float | None, unit: str = "rub"
) -> None:
    """Set or clear an organization's monthly budget: its owner, or an administrator."""
    if unit not in budgets.UNITS:
        raise ValueError("unit must be rub or kwh")
    if amount is not None and not (0 < amount < 1e12):
        raise ValueError("the budget must be a positive number")
    allowed = principal.role == "admin" or (principal.is_owner and principal.organization_id == organization_id)
    if not allowed:
        raise AccessDenied("only the organization's owner or an administrator sets its budget")
    before = budgets.set_budget(services.db, organization_id, amount, unit)
    changed(services, [organization_id])
    audit.log(
        services,
        principal.email,
        "budget.set" if amount is not None else "budget.cleared",
        organization_name(services.db, organization_id),
        details={"amount": amount, "unit": unit, "before": list(before) if before else None},
    )


def current_budget(services: Services, principal: Principal, organization_id: int | None) -> Budget | None:
    """The monthly budget of an organization the caller may see."""
    if organization_id is None or not principal.can_see_organization(organization_id):
        return None
    stored_budget = budgets.get_budget(services.db, organization_id)
    return Budget(*stored_budget) if stored_budget else None


def _younger(services: Services, running: RunProgress) -> bool:
    started = progress.read(services.redis, running.key).get("started")
    return started is not None and time.time() - float(started) < RUN_IN_PROGRESS_S
