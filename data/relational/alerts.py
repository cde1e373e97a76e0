"""Stored alerts: the lifecycle of each key, the events already applied, the email and Slack outbox, silences.

:func:`apply_event` is the one transaction of the lifecycle: an event id seen before changes nothing; a firing
of a key that is not firing opens a new episode with its bell messages and outbox rows; a firing of a key that is
already firing (acknowledged or not) only refreshes it; a resolution closes the episode and tells exactly those
who were told of the firing (an email still held for quiet hours is cancelled instead).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.relational import Database
from data.relational.models import Alert, AlertDelivery, AlertEventSeen, Notification


@dataclass(frozen=True)
class EventRecord:
    id: str
    key: str
    kind: str
    state: str
    severity: str
    subject: str
    organization_id: int | None
    meter: str | None
    params: dict[str, Any]
    link: str | None


@dataclass(frozen=True)
class BellMessage:
    user_id: int
    title: str
    body: str


@dataclass(frozen=True)
class OutboxRow:
    recipient: str  # user-<id> | telegram-user-<id> | slack-org-<id>
    channel: str  # email | telegram | slack
    language: str
    timezone: str
    not_before: dt.datetime


@dataclass(frozen=True)
class Plan:
    """Who hears of this event and how, decided by the caller from preferences and quiet hours."""

    bell: list[BellMessage] = field(default_factory=list)
    outbox: list[OutboxRow] = field(default_factory=list)


@dataclass(frozen=True)
class AlertRow:
    id: int
    key: str
    organization_id: int | None
    kind: str
    severity: str
    state: str
    subject: str
    meter_code: str | None
    params: dict[str, Any]
    link: str | None
    episode: int
    fired_at: dt.datetime
    resolved_at: dt.datetime | None
    acknowledged_by: str | None
    acknowledged_at: dt.datetime | None
    silence_id: str | None
    silence_state: str


def apply_event(db: Database, event: EventRecord, plan: Plan, now: dt.datetime) -> str:
    """Apply one event; returns what happened: ``replay``, ``opened``, ``refreshed``, ``resolved`` or ``ignored``."""
    try:
        with db.session() as s:
            s.add(AlertEventSeen(event_id=event.id, processed_at=now))
            s.flush()
            alert = s.scalar(select(Alert).where(Alert.key == event.key))
            if event.state == "firing":
                return _fire(s, alert, event, plan, now)
            return _resolve(s, alert, plan, now)
    except IntegrityError:  # the event id was applied before
        return "replay"


def _fire(s: Session, alert: Alert | None, event: EventRecord, plan: Plan, now: dt.datetime) -> str:
    if alert is None:
        alert = Alert(key=event.key, episode=1, first_fired_at=now, silence_state="none")
        s.add(alert)
    elif alert.state == "firing":
        alert.params, alert.last_event_id, alert.updated_at = event.params, event.id, now
        return "refreshed"
    else:
        alert.episode += 1
        alert.acknowledged_by = alert.acknowledged_at = None
    alert.organization_id, alert.kind, alert.severity = event.organization_id, event.kind, event.severity
    alert.subject, alert.meter_code, alert.params, alert.link = event.subject, event.meter, event.params, event.link
    alert.state, alert.fired_at, alert.resolved_at = "firing", now, None
    alert.last_event_id, alert.updated_at = event.id, now
    s.flush()
    for message in plan.bell:
        s.add(_notification(alert, message, "firing", now))
    for row in plan.outbox:
        s.add(_delivery(alert, row, "firing", now))
    return "opened"


def _resolve(s: Session, alert: Alert | None, plan: Plan, now: dt.datetime) -> str:
    if alert is None or alert.state != "firing":
        return "ignored"
    alert.state, alert.resolved_at, alert.updated_at = "resolved", now, now
    if alert.silence_state in ("wanted", "active"):
        alert.silence_state = "expire" if alert.silence_id else "none"
    told = set(
        s.scalars(
            select(Notification.user_id).where(
                Notification.alert_id == alert.id, Notification.episode == alert.episode, Notification.state == "firing"
            )
        )
    )
    for message in plan.bell:
        if message.user_id in told:
            s.add(_notification(alert, message, "resolved", now))
    planned = {row.recipient: row for row in plan.outbox}
    for earlier in s.scalars(
        select(AlertDelivery).where(
            AlertDelivery.alert_id == alert.id, AlertDelivery.episode == alert.episode, AlertDelivery.event == "firing"
        )
    ):
        if earlier.status == "pending":  # never went out (quiet hours, Alertmanager down): nothing to take back
            earlier.status = "cancelled"
            continue
        row = planned.get(earlier.recipient)
        not_before = row.not_before if row else now
        s.add(
            _delivery(
                alert,
                OutboxRow(earlier.recipient, earlier.channel, earlier.language, earlier.timezone, not_before),
                "resolved",
                now,
            )
        )
    return "resolved"


def _notification(alert: Alert, message: BellMessage, state: str, now: dt.datetime) -> Notification:
    return Notification(
        user_id=message.user_id,
        kind=alert.kind,
        title=message.title[:200],
        body=message.body,
        created_at=now,
        alert_id=alert.id,
        organization_id=alert.organization_id,
        severity=alert.severity,
        state=state,
        link=alert.link,
        episode=alert.episode,
    )


def _delivery(alert: Alert, row: OutboxRow, event: str, now: dt.datetime) -> AlertDelivery:
    return AlertDelivery(
        alert_id=alert.id,
        episode=alert.episode,
        event=event,
        recipient=row.recipient,
        channel=row.channel,
        language=row.language,
        timezone=row.timezone,
        status="pending",
        not_before=row.not_before,
        attempts=0,
        created_at=now,
    )


def open_keys(db: Database, kinds: tuple[str, ...]) -> set[str]:
    with db.session() as s:
        return set(s.scalars(select(Alert.key).where(Alert.kind.in_(kinds), Alert.state == "firing")))


def firing(db: Database, kinds: tuple[str, ...] | None = None, older_than: dt.datetime | None = None) -> list[AlertRow]:
    stmt = select(Alert).where(Alert.state == "firing")
    if kinds:
        stmt = stmt.where(Alert.kind.in_(kinds))
    if older_than is not None:
        stmt = stmt.where(Alert.fired_at < older_than)
    with db.session() as s:
        return [_row(a) for a in s.scalars(stmt)]


def get(db: Database, alert_id: int) -> AlertRow | None:
    with db.session() as s:
        alert = s.get(Alert, alert_id)
        return _row(alert) if alert else None


def in_scope(
    db: Database,
    organization_id: int | None,
    staff: bool,
    kind: str | None = None,
    severity: str | None = None,
    state: str | None = None,
    since: dt.datetime | None = None,
    limit: int = 300,
) -> list[AlertRow]:
    """Alerts of one organization (or, for staff without one, every alert), newest first."""
    stmt = select(Alert).order_by(Alert.fired_at.desc()).limit(limit)
    if organization_id is not None:
        stmt = stmt.where(Alert.organization_id == organization_id)
    elif not staff:
        return []
    for column, value in ((Alert.kind, kind), (Alert.severity, severity), (Alert.state, state)):
        if value:
            stmt = stmt.where(column == value)
    if since is not None:
        stmt = stmt.where(Alert.fired_at >= since)
    with db.session() as s:
        return [_row(a) for a in s.scalars(stmt)]


def acknowledge(db: Database, alert_id: int, by: str, now: dt.datetime) -> AlertRow | None:
    """Mark a firing alert acknowledged (its repeats are silenced); None if it is not firing."""
    with db.session() as s:
        alert = s.get(Alert, alert_id)
        if alert is None or alert.state != "firing":
            return None
        if alert.acknowledged_at is None:
            alert.acknowledged_by, alert.acknowledged_at = by, now
            alert.silence_state = "wanted"
        return _row(alert)


def silences(db: Database, state: str) -> list[AlertRow]:
    with db.session() as s:
        return [_row(a) for a in s.scalars(select(Alert).where(Alert.silence_state == state))]


def set_silence(db: Database, alert_id: int, silence_id: str | None, state: str) -> None:
    with db.session() as s:
        s.execute(update(Alert).where(Alert.id == alert_id).values(silence_id=silence_id, silence_state=state))


@dataclass(frozen=True)
class DueDelivery:
    id: int
    alert: AlertRow
    episode: int
    event: str
    recipient: str
    channel: str
    language: str
    timezone: str
    attempts: int


def due(db: Database, now: dt.datetime, limit: int = 2000) -> list[DueDelivery]:
    stmt = (
        select(AlertDelivery, Alert)
        .join(Alert, AlertDelivery.alert_id == Alert.id)
        .where(AlertDelivery.status == "pending", AlertDelivery.not_before <= now)
        .order_by(AlertDelivery.id)
        .limit(limit)
    )
    with db.session() as s:
        return [
            DueDelivery(d.id, _row(a), d.episode, d.event, d.recipient, d.channel, d.language, d.timezone, d.attempts)
            for d, a in s.execute(stmt)
        ]


def mark_posted(db: Database, ids: list[int], now: dt.datetime) -> None:
    if ids:
        with db.session() as s:
            s.execute(update(AlertDelivery).where(AlertDelivery.id.in_(ids)).values(status="posted", posted_at=now))


def mark_retry(db: Database, ids: list[int], error: str, next_at: dt.datetime) -> None:
    if ids:
        with db.session() as s:
            s.execute(
                update(AlertDelivery)
                .where(AlertDelivery.id.in_(ids))
                .values(attempts=AlertDelivery.attempts + 1, last_error=error[:2000], not_before=next_at)
            )


def posted_firing(db: Database) -> list[DueDelivery]:
    """Firing alerts already handed to Alertmanager, by recipient: what must be posted again to stay active there."""
    stmt = (
        select(AlertDelivery, Alert)
        .join(Alert, AlertDelivery.alert_id == Alert.id)
        .where(
            Alert.state == "firing",
            AlertDelivery.event == "firing",
            AlertDelivery.status == "posted",
            AlertDelivery.episode == Alert.episode,
        )
    )
    with db.session() as s:
        return [
            DueDelivery(d.id, _row(a), d.episode, d.event, d.recipient, d.channel, d.language, d.timezone, d.attempts)
            for d, a in s.execute(stmt)
        ]


def _row(a: Alert) -> AlertRow:
    return AlertRow(
        id=a.id,
        key=a.key,
        organization_id=a.organization_id,
        kind=a.kind,
        severity=a.severity,
        state=a.state,
        subject=a.subject,
        meter_code=a.meter_code,
        params=dict(a.params or {}),
        link=a.link,
        episode=a.episode,
        fired_at=_utc(a.fired_at),
        resolved_at=_utc(a.resolved_at) if a.resolved_at else None,
        acknowledged_by=a.acknowledged_by,
        acknowledged_at=_utc(a.acknowledged_at) if a.acknowledged_at else None,
        silence_id=a.silence_id,
        silence_state=a.silence_state,
    )


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
