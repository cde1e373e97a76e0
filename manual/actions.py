"""The use cases of manual metering points, called by the REST API (and, later, the point's page): each owns its
tenant check, its write and its audit event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from analytics.coarse import CoarseUse
from analytics.tariffs import PLANS
from auth.access import meter_for, visible_meters
from auth.principal import AccessDenied, Principal
from caching.answers import changed
from data.relational import audit
from data.relational import register_readings as store
from data.relational.alert_settings import organization_zone
from data.relational.meters import MeterInfo, list_meters
from data.services import Services
from manual.registers import Period, Reading, ReadingRefused, check, periods
from pricing.book import price_book

MAX_CODE = 64


@dataclass(frozen=True)
class PricedPeriod:
    period: Period
    rub: float | None  # None when the plan's prices are not known for the period's last day


@dataclass(frozen=True)
class ManualPoint:
    meter: MeterInfo
    readings: list[Reading]
    periods: list[PricedPeriod]


def create_manual_point(
    services: Services,
    principal: Principal,
    code: str,
    name: str,
    tariff_plan: str,
    address: str | None = None,
    timezone: str | None = None,
    reading_mode: str = "manual",
) -> MeterInfo:
    """A point its owner reads by eye (or, with ``reading_mode="interval"``, one a partner or the owner's files will
    fill), in the owner's organization."""
    org = principal.organization_id
    if org is None or not principal.is_owner:
        raise AccessDenied("only the organization's owner adds metering points")
    code, name = (code or "").strip(), (name or "").strip()
    if not code or len(code) > MAX_CODE or any(c.isspace() for c in code):
        raise ReadingRefused("code", "the code is 1-64 characters without spaces")
    if not name:
        raise ReadingRefused("name", "the point needs a name")
    if tariff_plan not in PLANS:
        raise ReadingRefused("plan", f"the plan is one of {', '.join(PLANS)}", plans=", ".join(PLANS))
    zone = timezone or organization_zone(services.db, org)
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ReadingRefused("timezone", f"unknown time zone {zone!r}") from None
    try:
        address = (address or "").strip() or None
        store.create_point(services.db, org, code, name, tariff_plan, zone, address, reading_mode)
    except store.PointExists:
        raise ReadingRefused("exists", f"a metering point {code!r} already exists", point=code) from None
    action = "meter.created_manual" if reading_mode == "manual" else "meter.created"
    audit.log(services, principal.email, action, code, details={"plan": tariff_plan})
    return meter_for(services.db, principal, code)


def submit_reading(
    services: Services,
    principal: Principal,
    code: str,
    ts: dt.datetime,
    registers: dict[str, float],
    replacement: bool = False,
    now: dt.datetime | None = None,
) -> PricedPeriod | None:
    """Check and store a reading of a manual point; returns the period it closes (None for the first reading or a
    replaced meter's first)."""
    meter = meter_for(services.db, principal, code)
    if principal.role == "operator":
        raise AccessDenied("operators read, they do not enter readings")
    if store.reading_mode(services.db, meter.id) != "manual":
        raise ReadingRefused("not_manual", "this point's readings come from a partner, not by hand")
    ts = ts if ts.tzinfo else ts.replace(tzinfo=ZoneInfo(meter.timezone))
    registers = {k.lower(): v for k, v in registers.items()}
    earlier = _readings(services, meter.id)
    new = Reading(ts.astimezone(dt.UTC), registers, replacement)
    check(meter.tariff_plan, new, earlier, now or dt.datetime.now(dt.UTC))
    if not store.add(services.db, meter.id, new.ts, {k: float(v) for k, v in registers.items()}, replacement,
                     principal.email):  # fmt: skip
        raise ReadingRefused("order", "the point already has a reading at that moment", last=new.ts.isoformat())
    changed(services, [meter.organization_id])
    audit.log(
        services, principal.email, "meter.register_reading", meter.code,
        details={**registers, "replacement": replacement},
    )  # fmt: skip
    closed = periods(meter.tariff_plan, [earlier[-1], new]) if earlier and not replacement else []
    return _priced(services, meter, closed)[0] if closed else None


def manual_point(services: Services, principal: Principal, code: str) -> ManualPoint:
    """The point's readings and the periods between them with their cost."""
    return _point(services, meter_for(services.db, principal, code))


def manual_points_among(services: Services, principal: Principal, codes: list[str]) -> list[ManualPoint]:
    """Of the points the caller chose, those read by hand, with their periods (the consumption page's table)."""
    out = []
    for code in codes:
        meter = meter_for(services.db, principal, code)
        if store.reading_mode(services.db, meter.id) == "manual":
            out.append(_point(services, meter))
    return out


def manual_points_of(services: Services, principal: Principal, organization_id: int | None = None) -> list[ManualPoint]:
    """The points read by hand among those the caller sees (of one organization, for staff who chose one)."""
    return manual_among(services, visible_meters(services.db, principal, organization_id))


def coarse_uses(points: list[ManualPoint]) -> list[CoarseUse]:
    """The points' periods as consumption known only between two readings (what the overview and the month-end
    projection add to the metered points)."""
    return [
        CoarseUse(point.meter.id, p.period.start, p.period.end, p.period.total, p.rub)
        for point in points
        for p in point.periods
    ]


def organization_coarse_uses(services: Services, organization_id: int) -> list[CoarseUse]:
    """The periods of an organization's points read by hand, for the system's own use (the projection behind the
    budget alert and the monthly letter, which have checked their caller already)."""
    return coarse_uses(manual_among(services, list_meters(services.db, organization_id)))


def manual_among(services: Services, meters: list[MeterInfo]) -> list[ManualPoint]:
    """The points read by hand among ``meters`` (already the caller's to see)."""
    manual = store.manual_ids(services.db)
    return [_point(services, m) for m in meters if m.id in manual]


def _point(services: Services, meter: MeterInfo) -> ManualPoint:
    readings = _readings(services, meter.id)
    return ManualPoint(meter, readings, _priced(services, meter, periods(meter.tariff_plan, readings)))


def _readings(services: Services, meter_id: int) -> list[Reading]:
    return [Reading(r.ts, r.registers, r.replacement) for r in store.readings(services.db, meter_id)]


def _priced(services: Services, meter: MeterInfo, found: list[Period]) -> list[PricedPeriod]:
    """Each period at the plan's zone prices in force on its last local day (a supplier bills a period so)."""
    book = price_book(services.db)
    out = []
    for p in found:
        day = p.end.astimezone(ZoneInfo(meter.timezone)).date()
        prices = book.prices_on(meter.region, day).get(meter.tariff_plan, {})
        known = all(zone in prices for zone in p.kwh)
        out.append(PricedPeriod(p, round(sum(kwh * prices[z] for z, kwh in p.kwh.items()), 2) if known else None))
    return out
