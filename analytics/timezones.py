"""Time zones the way people name them: «Москва (UTC+3)», not "Europe/Moscow"."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

CITIES = {
    "Europe/Kaliningrad": ("Калининград", "Kaliningrad"),
    "Europe/Moscow": ("Москва", "Moscow"),
    "Europe/Samara": ("Самара", "Samara"),
    "Asia/Yekaterinburg": ("Екатеринбург", "Yekaterinburg"),
    "Asia/Omsk": ("Омск", "Omsk"),
    "Asia/Novosibirsk": ("Новосибирск", "Novosibirsk"),
    "Asia/Krasnoyarsk": ("Красноярск", "Krasnoyarsk"),
    "Asia/Irkutsk": ("Иркутск", "Irkutsk"),
    "Asia/Yakutsk": ("Якутск", "Yakutsk"),
    "Asia/Vladivostok": ("Владивосток", "Vladivostok"),
    "Asia/Magadan": ("Магадан", "Magadan"),
    "Asia/Kamchatka": ("Камчатка", "Kamchatka"),
    "UTC": ("UTC", "UTC"),
}


def zone_label(timezone: str, lang: str = "ru", at: dt.datetime | None = None) -> str:
    """«Москва (UTC+3)»; an unknown zone keeps its id, with its offset."""
    offset = (at or dt.datetime.now(dt.UTC)).astimezone(ZoneInfo(timezone)).utcoffset() or dt.timedelta(0)
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    sign = "+" if offset >= dt.timedelta(0) else "−"
    shift = f"UTC{sign}{abs(hours)}" + (f":{rest // 60:02d}" if rest else "")
    names = CITIES.get(timezone)
    name = (names[1] if lang == "en" else names[0]) if names else timezone
    return shift if name == "UTC" else f"{name} ({shift})"


def local_moment(moment: dt.datetime, timezone: str, lang: str = "ru") -> str:
    """«24.11.2026 21:40 (Москва, UTC+3)»."""
    local = moment.astimezone(ZoneInfo(timezone))
    label = zone_label(timezone, lang, moment).replace(" (", ", ").rstrip(")")
    stamp = local.strftime("%d.%m.%Y %H:%M") if lang == "ru" else local.strftime("%Y-%m-%d %H:%M")
    return f"{stamp} ({label})"
