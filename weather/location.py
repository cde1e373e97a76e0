"""Where a metering point is, for its weather: where each point the caller sees takes its weather from, and setting
its coordinates (the owner of its organization, or an administrator)."""

from __future__ import annotations

from dataclasses import dataclass

from auth.access import may_configure, meter_for, meter_to_configure, visible_meters
from auth.principal import Principal
from data.relational import audit
from data.relational.meters import MeterInfo, set_coordinates
from data.services import Services
from i18n import t
from weather.places import Place, place_of


@dataclass(frozen=True)
class PointPlace:
    """A point and where its weather comes from: its own coordinates, or the settlement or region its address names
    (``place`` None: nowhere known, so no weather)."""

    code: str
    name: str
    address: str | None
    place: Place | None
    by_coordinates: bool
    may_change: bool  # the caller may set or clear its coordinates


def point_places(services: Services, principal: Principal, organization_id: int | None = None) -> list[PointPlace]:
    """Every point the caller sees (of one organization, for staff who chose one) with its place."""
    return [_point_place(principal, m) for m in visible_meters(services.db, principal, organization_id)]


def point_place(services: Services, principal: Principal, code: str) -> PointPlace:
    """One point the caller may see, with its place; :class:`auth.access.MeterNotFound` for any other code."""
    return _point_place(principal, meter_for(services.db, principal, code))


def _point_place(principal: Principal, meter: MeterInfo) -> PointPlace:
    own = meter.latitude is not None and meter.longitude is not None
    place = place_of(meter.latitude, meter.longitude, meter.address, meter.region)
    return PointPlace(meter.code, meter.name, meter.address, place, own, may_configure(principal, meter))


def set_point_place(
    services: Services, principal: Principal, code: str, latitude: float | None, longitude: float | None
) -> Place | None:
    """Give the point coordinates (both, in degrees), or clear them (both None) so its address names its place;
    returns the place its weather now comes from (None: nowhere known)."""
    meter = meter_to_configure(services.db, principal, code, refusal=t("err.place.not_yours"))
    if (latitude is None) != (longitude is None):
        raise ValueError(t("err.place.both"))
    if latitude is not None and not -90 <= latitude <= 90:
        raise ValueError(t("err.place.latitude").format(value=latitude))
    if longitude is not None and not -180 <= longitude <= 180:
        raise ValueError(t("err.place.longitude").format(value=longitude))
    before = set_coordinates(services.db, meter.id, latitude, longitude)
    audit.log(
        services,
        principal.email,
        "meter.place_set",
        target=code,
        details={"latitude": latitude, "longitude": longitude, "before": before},
    )
    return place_of(latitude, longitude, meter.address, meter.region)
