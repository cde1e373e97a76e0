"""Alert kinds: what raises them, how severe they are, who they are for, and their default thresholds."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("info", "warning", "critical")
ALERTNAME = "WattboardAlert"  # the alertname of Wattboard's own alerts in Alertmanager; Prometheus' rules use others
CHANNELS = ("bell", "email", "telegram", "slack")


@dataclass(frozen=True)
class Kind:
    name: str
    severity: str
    staff: bool = False  # for administrators and operators, not for an organization
    one_shot: bool = False  # an event, not a condition: resolved by itself after a day
    threshold: float | None = None  # the default; organizations may set their own
    unit: str = ""  # of the threshold


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("device_offline", "critical"),
        Kind("device_error", "warning"),
        Kind("battery_low", "warning", threshold=20.0, unit="%"),
        Kind("no_readings", "warning", threshold=6.0, unit="h"),
        Kind("reading_due", "warning"),  # a point read by hand: the supplier's window for readings is near
        Kind("register_reset", "warning", one_shot=True),
        Kind("clock_problem", "info", one_shot=True),
        Kind("unusual_consumption", "warning", threshold=3.0, unit="h"),
        Kind("sustained_change", "warning"),  # days in a row beyond what the point's own days explain
        Kind("over_budget", "warning"),
        Kind("large_correction", "warning", one_shot=True),
        # Informational: nobody hears of it until they choose to (the default minimum severity is "warning").
        Kind("peak_hours", "info", one_shot=True),
        Kind("partner_feed", "warning", staff=True, threshold=3.0, unit="×"),
        Kind("weather_feed", "warning", staff=True),  # a place's temperatures not fetched for three hours
        Kind("dlq_growth", "warning", staff=True, threshold=100.0, unit="/h"),
        Kind("held_readings", "warning", staff=True, one_shot=True),
        Kind("connection_request", "warning", staff=True, one_shot=True),  # a customer asks for a point's feed
        Kind("system", "critical", staff=True),
    )
}
ORGANIZATION_KINDS = tuple(name for name, kind in KINDS.items() if not kind.staff)
STAFF_KINDS = tuple(name for name, kind in KINDS.items() if kind.staff)
TUNABLE = tuple(name for name, kind in KINDS.items() if kind.threshold is not None and not kind.staff)


def at_least(severity: str, minimum: str) -> bool:
    return SEVERITIES.index(severity) >= SEVERITIES.index(minimum)
