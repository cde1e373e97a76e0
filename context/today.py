"""The signed-in caller's today: the date where they read times (the zone they chose, else their organization's
points'), so a page's default range ends on their today, not the server's — at 00:30 in Moscow the server's UTC date
is still yesterday."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from alerts.actions import reading_zone
from context.services import services
from context.sessions import current_principal
from data.relational.alert_settings import DEFAULT_ZONE


def reader_today(now: dt.datetime | None = None) -> dt.date:
    now = now or dt.datetime.now(dt.UTC)
    principal = current_principal()
    zone = reading_zone(services(), principal) if principal is not None else DEFAULT_ZONE
    return now.astimezone(ZoneInfo(zone)).date()
