"""The alert event on the ``wattboard.alerts`` topic: firing or resolved, with a stable key and its own id.

::

    {"id": "<uuid>", "key": "device_offline:SN-1", "kind": "device_offline", "state": "firing",
     "severity": "critical", "organization_id": 3, "subject": "SN-1", "meter": "SPB-OF-005",
     "params": {...}, "link": "/devices/SN-1", "at": "2026-11-24T10:00:00+00:00"}

The key names the condition (one open alert per key); the id makes a replayed event a no-op.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from alerts.kinds import KINDS
from data.messaging.broker import encode


class BadEvent(ValueError):
    """An alert event that cannot be applied; the message says why."""


@dataclass(frozen=True)
class AlertEvent:
    key: str
    kind: str
    state: str  # firing | resolved
    subject: str
    organization_id: int | None = None
    meter: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    link: str | None = None
    severity: str = ""
    at: str = ""
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", uuid.uuid4().hex)
        if not self.at:
            object.__setattr__(self, "at", dt.datetime.now(dt.UTC).isoformat())
        if not self.severity and self.kind in KINDS:
            object.__setattr__(self, "severity", KINDS[self.kind].severity)

    @property
    def moment(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.at)

    def encode(self) -> bytes:
        return encode(asdict(self))


def firing(kind: str, key: str, subject: str, **fields: Any) -> AlertEvent:
    return AlertEvent(key=f"{kind}:{key}", kind=kind, state="firing", subject=subject, **fields)


def resolved(kind: str, key: str, subject: str, **fields: Any) -> AlertEvent:
    return AlertEvent(key=f"{kind}:{key}", kind=kind, state="resolved", subject=subject, **fields)


def decode(raw: bytes) -> AlertEvent:
    try:
        data = json.loads(raw)
        event = AlertEvent(**{k: data[k] for k in AlertEvent.__dataclass_fields__ if k in data})
    except (ValueError, TypeError, KeyError) as exc:
        raise BadEvent(f"not an alert event: {exc}") from None
    if event.kind not in KINDS or event.state not in ("firing", "resolved") or not event.key:
        raise BadEvent(f"unknown kind or state: {event.kind!r} {event.state!r}")
    return event


def publish(services: Any, events: list[AlertEvent]) -> None:
    """Send events to the alerts topic, keyed by alert key (one partition keeps one key's events in order)."""
    if not events:
        return
    producer = services.producer
    for event in events:
        producer.send(services.topics.alerts, key=event.key.encode(), value=event.encode())
    producer.flush(timeout=10)
