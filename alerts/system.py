"""Prometheus' alerts about Wattboard itself, into the bell of administrators and operators.

Alertmanager routes every alert that is not Wattboard's own (``alertname`` other than ``WattboardAlert``) to the
staff receiver: email to the administrators and a webhook to Wattboard, which turns each into a ``system`` alert
event on the alerts topic, so it follows the same lifecycle (one open alert per rule and labels, firing → resolved,
acknowledged) as every other alert. The webhook authenticates with a token derived from the secret key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from alerts.events import AlertEvent, firing, publish, resolved
from alerts.kinds import ALERTNAME, SEVERITIES
from config import Settings
from data.services import Services

WEBHOOK_PATH = "/api/v1/alertmanager/webhook"


class WebhookRefused(PermissionError):
    """The caller did not present the webhook token."""


def webhook_token(settings: Settings) -> str:
    return hmac.new(settings.flask_secret().encode(), b"alertmanager-webhook", hashlib.sha256).hexdigest()


def webhook_url(settings: Settings) -> str:
    return settings.alert_webhook_url or settings.base_url + WEBHOOK_PATH


def events_of(payload: Any) -> list[AlertEvent]:
    """The ``system`` events of an Alertmanager webhook payload (version 4); Wattboard's own alerts are skipped."""
    if not isinstance(payload, dict) or not isinstance(payload.get("alerts"), list):
        raise ValueError("not an Alertmanager webhook payload: no 'alerts' list")
    events = []
    for alert in payload["alerts"]:
        if not isinstance(alert, dict) or not isinstance(alert.get("labels"), dict):
            raise ValueError("an alert without labels")
        labels, notes = alert["labels"], alert.get("annotations") or {}
        name = str(labels.get("alertname") or "")
        if not name or name == ALERTNAME:
            continue
        where = ",".join(f"{k}={v}" for k, v in sorted(labels.items()) if k not in ("alertname", "severity"))
        severity = labels.get("severity") if labels.get("severity") in SEVERITIES else "critical"
        summary, description = str(notes.get("summary") or name), str(notes.get("description") or "")
        fields = {"params": {"summary": summary, "description": description}, "link": "/admin", "severity": severity}
        key = f"{name}:{hashlib.sha256(where.encode()).hexdigest()[:16]}"
        if alert.get("status") == "resolved":
            events.append(resolved("system", key, name, at=_iso(alert.get("endsAt")), **fields))
        else:
            events.append(firing("system", key, name, at=_iso(alert.get("startsAt")), **fields))
    return events


def _iso(value: Any) -> str:
    """Alertmanager writes nanoseconds and ``Z``; Python reads at most microseconds."""
    return re.sub(r"(\.\d{6})\d+", r"\1", str(value or "")).replace("Z", "+00:00")


def receive_webhook(services: Services, token: str, payload: Any) -> int:
    """Alertmanager's webhook: check the token, publish the system events; how many were published."""
    if not hmac.compare_digest(token, webhook_token(services.settings)):
        raise WebhookRefused("wrong or missing webhook token")
    events = events_of(payload)
    publish(services, events)
    return len(events)
