"""The audit trail: every change is stored here and published to the audit topic by the caller."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import func, or_, select

from data.messaging.broker import encode
from data.relational import Database
from data.relational.models import AuditEvent


def record(
    db: Database,
    actor: str,
    action: str,
    target: str | None = None,
    ip: str | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    with db.session() as s:
        event = AuditEvent(actor=actor, action=action, target=target, ip=ip, details=details or {})
        s.add(event)
        s.flush()
        return {
            "id": event.id,
            "at": event.at.isoformat(),
            "actor": actor,
            "action": action,
            "target": target,
            "ip": ip,
            "details": details or {},
        }


def log(
    services: Any,
    actor: str,
    action: str,
    target: str | None = None,
    ip: str | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Store an audit event, then publish it to the audit topic in the background.

    The stored row is the record of truth and is written before this returns. Publishing happens on one
    background thread, in order, so a slow or absent broker never holds up a login or an admin action;
    a failure is logged."""
    event = record(services.db, actor, action, target, ip, details)
    _publisher.submit(_publish_quietly, services, event)
    return event


_publisher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit-publish")


def _publish_quietly(services: Any, event: dict[str, Any]) -> None:
    try:
        publish(services.producer, services.topics.audit, event)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the row is stored, the topic misses one event
        logging.getLogger(__name__).warning("audit event %s not published: %s", event["id"], exc)


def publish(producer: Any, topic: str, event: dict[str, Any]) -> None:
    """Send an audit event to the audit topic (the relational row is the record of truth)."""
    producer.send(topic, key=str(event.get("actor", "")).encode(), value=encode(event))


def audit_events(db: Database, search: str = "", limit: int = 200) -> list[AuditEvent]:
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if search:
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(AuditEvent.actor).like(like),
                AuditEvent.action.like(like),
                func.lower(AuditEvent.target).like(like),
            )
        )
    with db.session() as s:
        events = list(s.scalars(stmt))
        s.expunge_all()
        return events
