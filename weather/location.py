"""Where a metering point is: setting its coordinates (the owner of its organization, or an administrator)."""

from __future__ import annotations

from auth.access import meter_to_configure
from auth.principal import Principal
from data.relational import audit
from data.relational.meters import set_coordinates
from data.services import Services
from i18n import t
from weather.places import Place, place_of


def set_point_place(
    services: Services, principal: Principal, code: str, latitude: float | None, longitude: float | None
) -> Place | None:
    """Give the point coordinates (both, in degrees), or clear them (both None) so its address names its place;
    returns the place its weather now comes from (None: nowhere known)."""
    meter = meter_to_configure(
        services.db, principal, code, refusal=t("err.place.not_yours")
    )
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
