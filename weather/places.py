"""Where a metering point is, for its weather: its own coordinates, else a settlement named in its address or region.

A place's key is its coordinates rounded to two decimals (about a kilometre): points in one town share one series.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float

    @property
    def key(self) -> str:
        return f"{self.latitude:.2f},{self.longitude:.2f}"


# Settlements and regions (by their administrative centre) a Russian address names, lower-case.
SETTLEMENTS: dict[str, tuple[float, float]] = {
    "москва": (55.76, 37.62),
    "московская область": (55.76, 37.62),
    "санкт-петербург": (59.94, 30.31),
    "ленинградская область": (59.94, 30.31),
    "екатеринбург": (56.84, 60.61),
    "свердловская область": (56.84, 60.61),
    "новосибирск": (55.03, 82.92),
    "новосибирская область": (55.03, 82.92),
    "казань": (55.79, 49.12),
    "республика татарстан": (55.79, 49.12),
    "нижний новгород": (56.33, 44.00),
    "нижегородская область": (56.33, 44.00),
    "челябинск": (55.16, 61.40),
    "челябинская область": (55.16, 61.40),
    "самара": (53.20, 50.15),
    "самарская область": (53.20, 50.15),
    "ростов-на-дону": (47.23, 39.72),
    "ростовская область": (47.23, 39.72),
    "уфа": (54.74, 55.97),
    "республика башкортостан": (54.74, 55.97),
    "красноярск": (56.01, 92.87),
    "красноярский край": (56.01, 92.87),
    "пермь": (58.01, 56.25),
    "пермский край": (58.01, 56.25),
    "воронеж": (51.67, 39.18),
    "воронежская область": (51.67, 39.18),
    "краснодар": (45.04, 38.98),
    "краснодарский край": (45.04, 38.98),
    "волгоград": (48.71, 44.51),
    "волгоградская область": (48.71, 44.51),
    "тюмень": (57.15, 65.53),
    "тюменская область": (57.15, 65.53),
    "иркутск": (52.29, 104.28),
    "иркутская область": (52.29, 104.28),
    "владивосток": (43.12, 131.89),
    "приморский край": (43.12, 131.89),
}


def place_of(latitude: float | None, longitude: float | None, address: str | None, region: str | None) -> Place | None:
    """The point's place: coordinates when both are set, else the first known settlement its address names (the
    longest name first: «Нижний Новгород» before «Новгород»), else its region; None when nothing is known."""
    if latitude is not None and longitude is not None:
        return Place(f"{latitude:.2f}, {longitude:.2f}", latitude, longitude)
    for text in (address, region):
        lowered = (text or "").lower()
        for name in sorted(SETTLEMENTS, key=len, reverse=True):
            if name in lowered:
                lat, lon = SETTLEMENTS[name]
                return Place(_display(name), lat, lon)
    return None


def _display(name: str) -> str:
    """«санкт-петербург» → «Санкт-Петербург», «ростов-на-дону» → «Ростов-на-Дону», «свердловская область» → …"""
    special = {"санкт-петербург": "Санкт-Петербург", "ростов-на-дону": "Ростов-на-Дону"}
    return special.get(name, name[:1].upper() + name[1:])
