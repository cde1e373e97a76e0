"""The bell: each user's messages about alerts, read or not."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update

from data.relational import Database, rows_changed
from data.relational.models import Notification


@dataclass(frozen=True)
class NotificationRow:
    id: int
    alert_id: int | None
    kind: str
    severity: str
    state: str
    title: str
    body: str
    link: str | None
    created_at: dt.datetime
    read: bool


def unread_count(db: Database, user_id: int) -> int:
    with db.session() as s:
        stmt = select(func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None))
        return int(s.scalar(stmt) or 0)


def latest(db: Database, user_id: int, limit: int = 8, **filters: object) -> list[NotificationRow]:
    """The user's newest messages; ``kind``, ``severity``, ``state`` and ``since`` narrow them."""
    stmt = select(Notification).where(Notification.user_id == user_id)
    for name in ("kind", "severity", "state"):
        if filters.get(name):
            stmt = stmt.where(getattr(Notification, name) == filters[name])
    if filters.get("since"):
        stmt = stmt.where(Notification.created_at >= filters["since"])
    stmt = stmt.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    with db.session() as s:
        return [_row(n) for n in s.scalars(stmt)]


def mark_read(db: Database, user_id: int, ids: list[int] | None, now: dt.datetime) -> int:
    """Mark the user's messages read (all of them with ``ids`` None); returns how many changed."""
    stmt = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(ids))
    with db.session() as s:
        return rows_changed(s.execute(stmt.values(read_at=now)))


def read_alerts(db: Database, user_id: int, alert_ids: list[int]) -> dict[int, bool]:
    """For each alert, whether the user has read every message about it (alerts without messages are missing)."""
    if not alert_ids:
        return {}
    stmt = (
        select(Notification.alert_id, func.count(Notification.read_at) == func.count())
        .where(Notification.user_id == user_id, Notification.alert_id.in_(alert_ids))
        .group_by(Notification.alert_id)
    )
    with db.session() as s:
        return {int(alert_id): bool(read) for alert_id, read in s.execute(stmt) if alert_id is not None}


def mark_alerts_read(db: Database, user_id: int, alert_ids: list[int], now: dt.datetime) -> int:
    if not alert_ids:
        return 0
    stmt = update(Notification).where(
        Notification.user_id == user_id, Notification.alert_id.in_(alert_ids), Notification.read_at.is_(None)
    )
    with db.session() as s:
        return rows_changed(s.execute(stmt.values(read_at=now)))


def _row(n: Notification) -> NotificationRow:
    created = n.created_at if n.created_at.tzinfo else n.created_at.replace(tzinfo=dt.UTC)
    return NotificationRow(
        n.id, n.alert_id, n.kind, n.severity, n.state, n.title, n.body, n.link, created, n.read_at is not None
    )
