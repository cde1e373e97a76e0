"""The overview as the page asks for it, and the job that keeps it computed for every organization."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from dataclasses import dataclass

from analytics.devices import device_table
from analytics.overview import Overview, has_interval_data, overview
from analytics.tariffs import PriceBook
from auth.access import visible_devices, visible_meters
from auth.principal import Principal
from data.queue import progress
from data.relational.devices import DeviceInfo
from data.relational.meters import MeterInfo, list_organizations
from data.services import Services
from forecasting.actions import NothingToForecast, forecast_view, organization_projection
from manual.actions import coarse_uses, manual_among
from pricing.book import price_book
from warming.points import warm_points

log = logging.getLogger(__name__)
WARMER = Principal(0, "wattboard-warmer", "admin", None)  # the job's own reads: every organization, as its readers
LOCK, LOCK_TTL_S = "warming", 600  # a run that died leaves the work to the next after this long


@dataclass(frozen=True)
class OverviewPage:
    meters: list[MeterInfo]  # the points the caller sees, in the page's order
    devices: list[DeviceInfo]  # their devices (the devices page lists the same)
    book: PriceBook
    view: Overview


def overview_page(
    services: Services, principal: Principal, organization_id: int | None, now: dt.datetime
) -> OverviewPage:
    """The caller's overview (of one organization, or of every one an administrator sees): their points and devices,
    the price book and the periods of points read by hand. A consumer asks under the same key as the warmer asking for
    their organization, because the key is made of the points, not of who asks."""
    meters = visible_meters(services.db, principal, organization_id)
    devices = visible_devices(services.db, principal, organization_id)
    book = price_book(services.db)
    coarse = coarse_uses(manual_among(services, meters))
    return OverviewPage(meters, devices, book, overview(services, meters, devices, book, now, coarse))


def warm(services: Services, now: dt.datetime | None = None) -> dict[str, float]:
    """Compute what is not computed yet at the current data versions and hour: each organization's overview, devices'
    data completeness, month-end projection and forecast page (its total, as the page opens), then the points' own
    pages (:func:`warming.points.warm_points`, first points first, for as long as a run allows), then the
    administrators' overview and devices of all organizations. An answer already there costs a look-up. One run at a
    time: while one is still going (a world larger than a minute's work), the next returns at once. Returns how many
    organizations and points and the seconds it took (``busy`` when it left the work to the run going on)."""
    if not progress.claim(services.redis, LOCK, LOCK_TTL_S):  # the run before has not finished (a large world)
        return {"busy": 1}
    try:
        return _warm(services, now or dt.datetime.now(dt.UTC))
    finally:
        progress.release(services.redis, LOCK)


def _warm(services: Services, moment: dt.datetime) -> dict[str, float]:
    """The organizations' pages, then their points', then the administrators' overview of every organization: the
    many readers first, and the one answer that any organization's new readings make stale (at 10,021 points most of
    a 96 s run, ``bench.warming``) last."""
    began = time.perf_counter()
    organizations = [org_id for org_id, _name in list_organizations(services.db)]
    pages = [page for org_id in organizations if (page := _warm_organization(services, org_id, moment))]
    points = warm_points(services, [p.meters for p in pages], pages[0].book, moment) if pages else 0
    _warm_organization(services, None, moment)  # None: the administrators' overview of every organization
    seconds = time.perf_counter() - began
    log.debug("overviews of %d organizations and %d points warm in %.2f s", len(organizations), points, seconds)
    return {"organizations": len(organizations), "points": points, "seconds": round(seconds, 3)}


def _warm_organization(services: Services, org_id: int | None, moment: dt.datetime) -> OverviewPage | None:
    """One organization's overview (with whether it has data yet), devices, projection and forecast page (None: the
    administrators' overview and devices of all); its failure leaves the others warm (its readers compute it
    themselves) and returns None."""
    try:
        page = overview_page(services, WARMER, org_id, moment)
        device_table(services, page.devices, moment)  # the devices page's figures
        if org_id is not None:
            has_interval_data(services, page.meters)  # whether its readers' overview shows the first steps
            organization_projection(services, WARMER, org_id, moment)
            with contextlib.suppress(NothingToForecast):  # an organization without points has no forecast page
                forecast_view(services, WARMER, None, org_id, moment)
    except Exception:
        log.exception("could not warm the answers of organization %s", org_id)
        return None
    return page
