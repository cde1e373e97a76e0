"""Where a metering point is: setting its coordinates (the owner of its organization, or an administrator)."""

from __future__ import annotations

from auth.access import meter_to_configure
from auth.principal import Principal
from data.relational import audit
from data.relational.meters import set_coordinates
from data.services import Services
from weather.places import Place, place_of


def set_point_place(
    services: Services, principal: Principal, code: str, latitude: float | None, longitude: float | None
) -> Place | None:
    """Give the point coordinates (both, in degrees), or clear them (both None) so its address names its place;
    returns the place its weather now comes from (None: nowhere known)."""
    meter = meter_to_configure(
        services.db, principal, code, refusal="координаты точки меняет администратор или владелец организации"
    )
    if (latitude is None) != (longitude is None):
        raise ValueError("нужны обе координаты — широта и долгота — или ни одной")
    if latitude is not None and not -90 <= latitude <= 90:
        raise ValueError(f"широта — от −90 до 90 градусов, а не {latitude}")
    if longitude is not None and not -180 <= longitude <= 180:
        raise ValueError(f"долгота — от −180 до 180 градусов, а не {longitude}")
    before = set_coordinates(services.db, meter.id, latitude, longitude)
    audit.log(
        services,
        principal.email,
        "meter.place_set",
        target=code,
        details={"latitude": latitude, "longitude": longitude, "before": before},
    )
    return place_of(latitude, longitude, meter.address, meter.region)
