"""Tenant rules applied to organizations, metering points and devices: the one place that decides what a caller may
see."""

from __future__ import annotations

from auth.principal import AccessDenied, Principal
from data.relational import Database
from data.relational import devices as devices_repo
from data.relational import meters as meters_repo
from data.relational.devices import DeviceInfo
from data.relational.meters import MeterInfo


class MeterNotFound(LookupError):
    """No such metering point, or not the caller's: both look the same from outside."""


class DeviceNotFound(LookupError):
    """No such device, or not the caller's organization's: both look the same from outside."""


def switchable_organizations(db: Database, principal: Principal) -> list[tuple[int, str]]:
    """The organizations a caller may switch between (``(id, name)``, by name): every one for staff, none otherwise."""
    return meters_repo.list_organizations(db) if principal.role in ("admin", "operator") else []


def visible_devices(db: Database, principal: Principal, organization_id: int | None = None) -> list[DeviceInfo]:
    """The devices of the organization in scope (a consumer's own; staff: the one chosen, or all)."""
    return devices_repo.list_devices(db, principal.organization_scope(organization_id))


def device_for(db: Database, principal: Principal, serial: str) -> DeviceInfo:
    device = devices_repo.device_by_serial(db, serial)
    if device is None or not principal.can_see_organization(device.organization_id):
        raise DeviceNotFound(serial)
    return device


def visible_meters(db: Database, principal: Principal, organization_id: int | None = None) -> list[MeterInfo]:
    return meters_repo.list_meters(db, principal.organization_scope(organization_id))


def meter_for(db: Database, principal: Principal, code: str) -> MeterInfo:
    meter = meters_repo.meter_by_code(db, code)
    if meter is None or not principal.can_see(meter):
        raise MeterNotFound(code)
    return meter


def meter_to_configure(db: Database, principal: Principal, code: str, refusal: str) -> MeterInfo:
    """A point whose settings (price category, coordinates …) the caller may change: administrators, or the owner of
    its organization; anyone else gets :class:`AccessDenied` saying ``refusal``."""
    meter = meter_for(db, principal, code)
    if not may_configure(principal, meter):
        raise AccessDenied(refusal)
    return meter


def may_configure(principal: Principal, meter: MeterInfo) -> bool:
    """Administrators, or the owner of the point's organization."""
    return principal.role == "admin" or (principal.is_owner and principal.organization_id == meter.organization_id)


def selection_for(
    db: Database, principal: Principal, codes: list[str], organization_id: int | None = None
) -> list[MeterInfo]:
    """The metering points a view shows: the given codes (each must be visible), or, with no codes,
    every point of the organization in scope (a consumer's own, whatever ``organization_id`` says)."""
    if codes:
        return [meter_for(db, principal, code) for code in dict.fromkeys(codes)]
    return visible_meters(db, principal, organization_id)
