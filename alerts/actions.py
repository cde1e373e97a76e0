"""The alerting use cases behind the bell, the notification centre, the profile and organization pages, the API and
the CLI. Each takes the services, the caller and its arguments and owns the tenant check, the write, the audit event
and the side effects."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from alerts.kinds import KINDS, ORGANIZATION_KINDS, SEVERITIES, STAFF_KINDS, TUNABLE
from alerts.preferences import effective
from auth.principal import AccessDenied, Principal
from data.queue import enqueue
from data.queue.versions import READERS
from data.relational import alert_settings, alerts, audit, notifications
from data.relational.alert_settings import Preference
from data.relational.alerts import AlertRow
from data.relational.meters import organization_name
from data.relational.notifications import NotificationRow
from data.services import Services
from security import secrets
from security.outbound import outbound_url

SYNC_JOB = "workers.alert_jobs.sync_alertmanager_config"
BELL_NEWEST = 8


def _owner_or_admin(principal: Principal, organization_id: int) -> None:
    if not (principal.role == "admin" or (principal.is_owner and principal.organization_id == organization_id)):
        raise AccessDenied("only the organization's owner or an administrator changes this")


def sync_alertmanager_soon(services: Services) -> None:
    """Receivers follow users and organizations: have Alertmanager's configuration regenerated soon."""
    with contextlib.suppress(Exception):  # Redis down: the minutely sync picks the change up anyway
        enqueue(services.redis, "alerts", SYNC_JOB, job_id="sync-alertmanager-config", result_ttl=10)


# -- the bell and the notification centre ----------------------------------------------------------


@dataclass(frozen=True)
class BellState:
    unread: int
    newest: list[NotificationRow]  # the newest :data:`BELL_NEWEST` messages, read or not
    zone: str  # where the reader reads their times
    version: int | None  # the readers' counter it was read at (None: Redis did not answer)


def bell(services: Services, principal: Principal) -> BellState:
    """What the caller's bell shows. Each process keeps it while no message, zone or point has changed anywhere
    (``data.queue.versions.READERS``): the shell of every page and the bell's refresh every few seconds of every open
    page read it without a query."""

    def read() -> BellState:
        count = unread(services, principal)
        rows = latest(services, principal, limit=BELL_NEWEST)
        return BellState(count, rows, reading_zone(services, principal) if rows else "", None)

    version, state = services.db.kept_at(READERS.key, ("bell", principal.user_id), read)
    return replace(state, version=version)


def unread(services: Services, principal: Principal) -> int:
    return notifications.unread_count(services.db, principal.user_id)


def latest(services: Services, principal: Principal, limit: int = 8, **filters: object) -> list[NotificationRow]:
    return notifications.latest(services.db, principal.user_id, limit, **filters)


def mark_read(services: Services, principal: Principal, ids: list[int] | None = None) -> int:
    """Mark the caller's messages read (all with ``ids`` None); another user's ids change nothing."""
    return notifications.mark_read(services.db, principal.user_id, ids, dt.datetime.now(dt.UTC))


@dataclass(frozen=True)
class AlertView:
    alert: AlertRow
    read: bool | None  # None: the caller had no message about it


def alert_list(
    services: Services,
    principal: Principal,
    organization_id: int | None = None,
    kind: str | None = None,
    severity: str | None = None,
    state: str | None = None,
    since: dt.datetime | None = None,
) -> list[AlertView]:
    """The alerts a caller may see: a member's organization's; staff see the organization chosen (all without)."""
    if principal.sees_all_organizations:
        rows = alerts.in_scope(services.db, organization_id, True, kind, severity, state, since)
    else:
        org = principal.organization_scope(None)
        rows = alerts.in_scope(services.db, org, False, kind, severity, state, since) if org else []
    read = notifications.read_alerts(services.db, principal.user_id, [r.id for r in rows])
    return [AlertView(r, read.get(r.id)) for r in rows]


def mark_alerts_read(services: Services, principal: Principal, alert_ids: list[int]) -> int:
    return notifications.mark_alerts_read(services.db, principal.user_id, alert_ids, dt.datetime.now(dt.UTC))


def acknowledge(services: Services, principal: Principal, alert_id: int) -> AlertRow:
    """Acknowledge a firing alert: its repeats are silenced until it resolves. Another organization's alert looks
    like one that does not exist."""
    row = alerts.get(services.db, alert_id)
    visible = row is not None and (
        principal.sees_all_organizations
        or (row.organization_id is not None and principal.can_see_organization(row.organization_id))
    )
    if not visible:
        raise LookupError(alert_id)
    done = alerts.acknowledge(services.db, alert_id, principal.email, dt.datetime.now(dt.UTC))
    if done is None:
        raise ValueError("the alert is no longer firing")
    audit.log(services, principal.email, "alert.acknowledged", done.key, details={"episode": done.episode})
    notifications.mark_alerts_read(services.db, principal.user_id, [alert_id], dt.datetime.now(dt.UTC))
    return done


# -- channels per user ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    timezone: str
    quiet_from: int | None
    quiet_to: int | None
    matrix: list[Preference]  # one per kind the caller can receive
    telegram_linked: bool = False


def kinds_for(principal: Principal) -> tuple[str, ...]:
    return ORGANIZATION_KINDS + (STAFF_KINDS if principal.sees_all_organizations else ())


def reading_zone(services: Services, principal: Principal) -> str:
    """The zone the caller reads times in: the one they chose, else their organization's points' zone (kept by the
    process as :func:`bell` is: every page's "today" is read in it)."""

    def read() -> str:
        person = alert_settings.person(services.db, principal.user_id)
        return person.timezone if person else alert_settings.DEFAULT_ZONE

    return services.db.kept(READERS.key, ("zone", principal.user_id), read)


def profile(services: Services, principal: Principal) -> Profile:
    person = alert_settings.person(services.db, principal.user_id)
    if person is None:
        raise LookupError(principal.user_id)
    stored = alert_settings.preferences(services.db, [person.id])
    return Profile(
        person.timezone,
        person.quiet_from,
        person.quiet_to,
        [effective(person, kind, stored) for kind in kinds_for(principal)],
        person.telegram_chat_id is not None,
    )


def save_profile(
    services: Services,
    principal: Principal,
    matrix: list[Preference],
    timezone: str,
    quiet_from: int | None,
    quiet_to: int | None,
) -> None:
    """Save the caller's channels per kind, time zone and quiet hours (whole local hours 0–23)."""
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {timezone!r}") from None
    for hour in (quiet_from, quiet_to):
        if hour is not None and not 0 <= hour <= 23:
            raise ValueError("quiet hours are whole hours from 0 to 23")
    if (quiet_from is None) != (quiet_to is None):
        raise ValueError("quiet hours need both a start and an end")
    allowed = set(kinds_for(principal))
    for pref in matrix:
        if pref.kind not in allowed or pref.min_severity not in SEVERITIES:
            raise ValueError(f"unknown alert kind or severity: {pref.kind} {pref.min_severity}")
    alert_settings.save_preferences(services.db, principal.user_id, matrix, timezone, quiet_from, quiet_to)
    audit.log(
        services,
        principal.email,
        "notifications.preferences",
        principal.email,
        details={
            "timezone": timezone,
            "quiet": [quiet_from, quiet_to],
            "email": [p.kind for p in matrix if p.email],
            "telegram": [p.kind for p in matrix if p.telegram],
        },
    )
    sync_alertmanager_soon(services)


# -- organization rules and Slack ------------------------------------------------------------------


@dataclass(frozen=True)
class RuleView:
    kind: str
    enabled: bool
    threshold: float | None
    default: float | None
    unit: str


def rules(services: Services, principal: Principal, organization_id: int) -> list[RuleView]:
    if not principal.can_see_organization(organization_id):
        raise AccessDenied("not your organization")
    stored = alert_settings.rules(services.db, [organization_id])
    out = []
    for kind in ORGANIZATION_KINDS:
        enabled, threshold = stored.get((organization_id, kind), (True, None))
        out.append(RuleView(kind, enabled, threshold, KINDS[kind].threshold, KINDS[kind].unit))
    return out


def save_rule(
    services: Services, principal: Principal, organization_id: int, kind: str, enabled: bool, threshold: float | None
) -> None:
    """Switch an alert kind on or off for an organization, or set its threshold (None: the default)."""
    _owner_or_admin(principal, organization_id)
    if kind not in ORGANIZATION_KINDS:
        raise ValueError(f"unknown alert kind {kind!r}")
    if threshold is not None and (kind not in TUNABLE or not 0 < threshold < 10_000):
        raise ValueError("the threshold must be a positive number for a kind that has one")
    alert_settings.save_rule(services.db, organization_id, kind, enabled, threshold)
    audit.log(
        services,
        principal.email,
        "alerts.rule",
        organization_name(services.db, organization_id),
        details={"kind": kind, "enabled": enabled, "threshold": threshold},
    )


def set_slack(
    services: Services, principal: Principal, organization_id: int, url: str | None, allow_private: bool = False
) -> None:
    """Set (or, with ``url`` None, remove) an organization's Slack incoming webhook. The address is checked like a
    partner's (no private or loopback addresses unless allowed) and stored encrypted."""
    _owner_or_admin(principal, organization_id)
    if allow_private and principal.role != "admin":
        raise AccessDenied("only an administrator lets a webhook reach a private address")
    encrypted = None
    if url:
        url = outbound_url(url, allow_private, "a Slack webhook address")
        encrypted = secrets.encrypt(services.settings, url)
    had = alert_settings.set_slack(services.db, organization_id, encrypted, allow_private)
    audit.log(
        services,
        principal.email,
        "alerts.slack_set" if url else "alerts.slack_removed",
        organization_name(services.db, organization_id),
        details={"replaced": had, "allow_private": allow_private},
    )
    sync_alertmanager_soon(services)


def has_slack(services: Services, principal: Principal, organization_id: int) -> bool:
    if not principal.can_see_organization(organization_id):
        return False
    return organization_id in alert_settings.slack_webhooks(services.db)
