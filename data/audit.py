"""The audit trail: every change is stored here and published to the audit topic by the caller."""

from __future__ import annotations

import logging
from typing import Any

from data.broker import encode
from data.models import AuditEvent
from data.relational import Database


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
    """Store an audit event and publish it to the audit topic. The stored row is the record of truth, so a
    broker that is down is logged, not raised: the change itself has already happened."""
    event = record(services.db, actor, action, target, ip, details)
    try:
        publish(services.producer, services.topics.audit, event)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the row is stored, the topic catches up never
        logging.getLogger(__name__).warning("audit event %s not published: %s", event["id"], exc)
    return event


def publish(producer: Any, topic: str, event: dict[str, Any]) -> None:
    """Send an audit event to the audit topic (the relational row is the record of truth)."""
    producer.send(topic, key=str(event.get("actor", "")).encode(), value=encode(event))
