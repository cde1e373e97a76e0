"""Numbers the Russian way: thin-space thousands, decimal comma, units after a space."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from analytics.timezones import local_moment
from i18n import current_language, t


def number(value: float | None, digits: int = 1) -> str:
    if value is None or value != value:  # None or NaN: not known
        return "—"
    text = f"{value:,.{digits}f}"
    if current_language() == "ru":
        text = text.replace(",", " ").replace(".", ",")
    return text


def kwh(value: float | None) -> str:
    return f"{number(value)} {t('consumption.kwh')}"


def roubles(value: float | None) -> str:
    return f"{number(value, 0)} ₽"


def percent(fraction: float | None) -> str:
    if fraction is None:
        return "—"
    sign = "+" if fraction > 0 else "−" if fraction < 0 else "±"
    return f"{sign}{number(abs(fraction) * 100, 1)} %"


def moment(value: dt.datetime | None, timezone: str = "Europe/Moscow", named: bool = False) -> str:
    """«02.12.2026 17:21», with ``named`` «02.12.2026 17:21 (Екатеринбург, UTC+5)»."""
    if value is None:
        return "—"
    if named:
        return local_moment(value, timezone, current_language())
    return value.astimezone(ZoneInfo(timezone)).strftime("%d.%m.%Y %H:%M")
