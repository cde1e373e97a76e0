"""The recommendation use cases: refresh an organization's list (the job after each forecast run), read it, mark
one done or not relevant."""

from __future__ import annotations

import datetime as dt
import logging

import pandas as pd

from advice.detectors import DETECTORS, PointData
from analytics.business import is_business, marginal_prices
from analytics.quality import quality_by_meter
from analytics.series import local_date, to_local
from auth.principal import AccessDenied, Principal
from data.clickhouse.readings import group_series, quality_inputs
from data.relational import audit
from data.relational import recommendations as recs
from data.relational.meters import MeterInfo, list_meters, organization_name
from data.relational.recommendations import Found, RecommendationRow
from data.services import Services
from pricing.book import PriceBook, price_book
from pricing.categories import category_comparison, default_range
from pricing.comparison import compare_plans

log = logging.getLogger(__name__)

HISTORY = dt.timedelta(days=365)
QUALITY_WINDOW = dt.timedelta(days=30)
STATES = ("open", "done", "dismissed")


def refresh(services: Services, organization_id: int, now: dt.datetime | None = None) -> dict[str, int]:
    """Run every detector on every point of the organization and store what they found."""
    now = now or dt.datetime.now(dt.UTC)
    book = price_book(services.db)
    found: list[Found] = []
    for meter in list_meters(services.db, organization_id):
        point = point_data(services, meter, book, now)
        for detector in DETECTORS:
            try:
                item = detector(point)
            except Exception:  # one detector's bug must not hide the others' advice
                log.exception("recommendation detector %s failed on %s", detector.__name__, meter.code)
                continue
            if item is not None:
                found.append(item)
    counts = recs.replace_found(services.db, organization_id, found, now)
    log.info("recommendations of organization %d: %s", organization_id, counts)
    return counts


def point_data(services: Services, meter: MeterInfo, book: PriceBook, now: dt.datetime) -> PointData:
    start = now - HISTORY
    hourly = group_series(services.store, [meter.id], start, now, "hour")
    hourly = pd.DataFrame({"ts": to_local(hourly["ts"], meter.timezone), "value": hourly["value"]})
    first = hourly.dropna(subset=["value"])["ts"].min() if hourly["value"].notna().any() else None
    comparison = categories = None
    today = local_date(now, meter.utc_offset)
    if is_business(meter):  # billed by its price category: compare categories, never household plans
        first_day, last_day = default_range(meter, now)
        categories = category_comparison(services.store, meter, first_day, last_day, book.market)
        prices = marginal_prices(meter, book.market, today) or {}
    else:
        prices = book.prices_on(meter.region, today)
        if first is not None:
            since = max(start, pd.Timestamp(first).tz_localize(meter.timezone).tz_convert("UTC").to_pydatetime())
            comparison = compare_plans(services.store, meter, since, now, book)
    quality = quality_by_meter(
        quality_inputs(services.store, [meter.id], now - QUALITY_WINDOW, now), [meter.id], QUALITY_WINDOW
    ).get(meter.id)
    return PointData(
        meter=meter,
        hourly=hourly,
        comparison=comparison,
        quality=quality,
        prices=prices,
        now_local=(now + dt.timedelta(seconds=meter.utc_offset)).replace(tzinfo=None),
        categories=categories,
    )


def recommendations(
    services: Services, principal: Principal, organization_id: int | None = None
) -> list[RecommendationRow]:
    """The caller's organization's recommendations (staff: the organization chosen), largest saving first."""
    org = principal.organization_scope(organization_id)
    if org is None or not principal.can_see_organization(org):
        return []
    return recs.list_for(services.db, org)


def mark(services: Services, principal: Principal, recommendation_id: int, state: str) -> RecommendationRow:
    """Mark a recommendation done, not relevant (``dismissed``) or open again; members of its organization and
    administrators may. Another organization's recommendation looks like one that does not exist."""
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}")
    row = recs.get(services.db, recommendation_id)
    if row is None or not principal.can_see_organization(row.organization_id):
        raise LookupError(recommendation_id)
    if principal.role == "operator":
        raise AccessDenied("operators see recommendations but do not decide on them")
    recs.set_state(services.db, recommendation_id, state, principal.email, dt.datetime.now(dt.UTC))
    audit.log(
        services,
        principal.email,
        f"recommendation.{state}",
        f"{organization_name(services.db, row.organization_id)}: {row.kind} {row.meter_code or ''}".strip(),
        details={"recommendation": recommendation_id, "saving_rub_year": row.saving_rub_year},
    )
    updated = recs.get(services.db, recommendation_id)
    assert updated is not None
    return updated
