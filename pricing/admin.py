"""Changing prices and the region a metering point is priced by: administrators only, every change audited."""

from __future__ import annotations

import datetime as dt

from analytics.tariffs import PLAN_ZONES
from auth.access import meter_for
from auth.principal import AccessDenied, Principal
from caching.answers import changed, everything_changed
from data.relational import audit
from data.relational import tariffs as prices_repo
from data.relational.meters import set_region
from data.relational.tariffs import PriceRecord
from data.services import Services

MAX_PRICE = 1000.0  # roubles per kWh: anything above is a typo


def list_prices(services: Services, principal: Principal) -> list[PriceRecord]:
    if not principal.sees_all_organizations:
        raise AccessDenied("prices are managed by staff")
    return prices_repo.list_prices(services.db)


def set_price(
    services: Services,
    principal: Principal,
    region: str,
    plan: str,
    zone: str,
    valid_from: dt.date,
    price: float,
    source: str = "",
) -> PriceRecord:
    """Set one zone's price from a local day on (a new row, or the row of that day replaced)."""
    _admin(principal)
    region = (region or "").strip()
    if not region or len(region) > 100:
        raise ValueError("the region must be 1 to 100 characters")
    if zone not in PLAN_ZONES.get(plan, ()):
        raise ValueError(f"the {plan} plan has no zone {zone!r}")
    if not (0 < price < MAX_PRICE):
        raise ValueError(f"the price must be above 0 and below {MAX_PRICE:.0f} roubles per kWh")
    record, before = prices_repo.upsert_price(
        services.db,
        region,
        plan,
        zone,
        valid_from,
        round(float(price), 2),
        (source or "").strip()[:2000],
        principal.email,
    )
    everything_changed(services)
    audit.log(
        services,
        principal.email,
        "tariff.price_set",
        f"{region} {plan}/{zone} с {valid_from.isoformat()}",
        details={"price": record.price, "before": before, "source": record.source},
    )
    return record


def delete_price(services: Services, principal: Principal, price_id: int) -> PriceRecord:
    _admin(principal)
    record = prices_repo.delete_price(services.db, price_id)
    if record is None:
        raise LookupError(price_id)
    everything_changed(services)
    audit.log(
        services,
        principal.email,
        "tariff.price_deleted",
        f"{record.region} {record.plan}/{record.zone} с {record.valid_from.isoformat()}",
        details={"price": record.price},
    )
    return record


def set_point_region(services: Services, principal: Principal, code: str, region: str | None) -> None:
    """Price a metering point by a region's tariffs (None: its organization's region)."""
    _admin(principal)
    meter = meter_for(services.db, principal, code)
    region = (region or "").strip() or None
    if region is not None and len(region) > 100:
        raise ValueError("the region must be at most 100 characters")
    before = set_region(services.db, meter.id, region)
    changed(services, [meter.organization_id])
    audit.log(services, principal.email, "meter.region_set", code, details={"region": region, "before": before})


def _admin(principal: Principal) -> None:
    if principal.role != "admin":
        raise AccessDenied("only administrators change prices")
