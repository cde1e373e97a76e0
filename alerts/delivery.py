"""Handing the outbox to Alertmanager: each due row becomes an alert labelled with its recipient (Alertmanager's
routes turn that into an email, a Telegram or a Slack message), posted again while it fires so Alertmanager keeps it
active, and posted resolved when it ends. Acknowledged alerts get a silence (no repeats) that is expired when they
resolve.

If Alertmanager does not answer, rows stay in the outbox and are tried again with a growing pause; Alertmanager
itself sends each group once per repeat interval, so a retried post never doubles a letter.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from prometheus_client import Counter as Metric

from alerts.alertmanager import Alertmanager, AlertmanagerUnavailable
from alerts.kinds import ALERTNAME
from data.relational import alert_settings, alerts
from data.relational.alerts import DueDelivery
from data.services import Services
from i18n import alert_texts as texts
from security import secrets
from security.outbound import FetchError, check_address

log = logging.getLogger(__name__)

ACTIVE_FOR = dt.timedelta(minutes=30)  # a firing alert stays active in Alertmanager this long after each post
MAX_PAUSE_S = 15
BLOCKED_PAUSE = dt.timedelta(hours=1)  # a Slack address that resolves inwards is tried again an hour later
SILENCE_FOR = dt.timedelta(days=30)
MORE = {"ru": " и другие", "en": " and more"}
OPEN = {"ru": "Открыть в Wattboard", "en": "Open in Wattboard"}
TOTAL = {"ru": "Всего уведомлений этого вида:", "en": "Notifications of this kind in all:"}
# A Telegram message carries up to three alerts; each one's words are cut to fit Telegram's 4,096 characters.
TELEGRAM_SUBJECT, TELEGRAM_SUMMARY = 200, 900

DELIVERIES = Metric(
    "wattboard_alert_deliveries_total", "Alert deliveries handed to Alertmanager", ["channel", "outcome"]
)


def client(services: Services) -> Alertmanager | None:
    return Alertmanager(services.alertmanager_url) if services.alertmanager_url else None


def am_clock() -> dt.datetime:
    """Alertmanager judges startsAt/endsAt by its own wall clock, so they come from ours, never an injected one."""
    return dt.datetime.now(dt.UTC)


def am_alert(services: Services, row: DueDelivery, now: dt.datetime) -> dict[str, object]:
    """The Alertmanager alert of one outbox row, with the texts in the recipient's language."""
    a = row.alert
    clock = am_clock()
    state = "resolved" if row.event == "resolved" else "firing"
    when = (a.resolved_at if state == "resolved" else a.fired_at) or now
    params = {**a.params, "tz": a.params.get("tz") or row.timezone}  # the point's zone, else the reader's
    title, text = texts.render(a.kind, state, a.subject, params, row.language, when)
    if row.channel == "telegram":
        title, text = _cut(title, TELEGRAM_SUBJECT), _cut(text, TELEGRAM_SUMMARY)
    labels = {
        "alertname": ALERTNAME,
        "key": a.key,
        "recipient": row.recipient,
        "kind": a.kind,
        "severity": a.severity,
        "organization": str(a.organization_id or ""),
    }
    if a.meter_code:
        labels["meter"] = a.meter_code
    return {
        "labels": labels,
        "annotations": {
            "subject": title,
            "summary": text,
            "link": services.settings.base_url + (a.link or "/"),
            "more": MORE.get(row.language, MORE["ru"]),
            "open": OPEN.get(row.language, OPEN["ru"]),
            "total": TOTAL.get(row.language, TOTAL["ru"]),
        },
        "startsAt": min(a.fired_at, clock).isoformat(),
        "endsAt": (clock if state == "resolved" else clock + ACTIVE_FOR).isoformat(),
    }


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def deliver(services: Services, now: dt.datetime | None = None) -> dict[str, int]:
    """Post what is due, then create and expire silences; returns counts."""
    now = now or dt.datetime.now(dt.UTC)
    am = client(services)
    if am is None:
        return {"no_alertmanager": 1}
    counts: Counter[str] = Counter()
    rows = alerts.due(services.db, now)
    rows, refused = _reachable(services, rows)
    for row, why in refused:
        alerts.mark_retry(services.db, [row.id], why, now + BLOCKED_PAUSE)
        DELIVERIES.labels(channel=row.channel, outcome="blocked").inc()
        counts["blocked"] += 1
        log.warning("alert delivery %d to %s not posted: %s", row.id, row.recipient, why)
    if rows:
        try:
            am.post_alerts([am_alert(services, row, now) for row in rows])
            alerts.mark_posted(services.db, [r.id for r in rows], now)
            counts["posted"] += len(rows)
            for row in rows:
                DELIVERIES.labels(channel=row.channel, outcome="posted").inc()
        except AlertmanagerUnavailable as exc:
            pause = min(MAX_PAUSE_S, 2 ** min(max(r.attempts for r in rows), 4))
            alerts.mark_retry(services.db, [r.id for r in rows], str(exc), now + dt.timedelta(seconds=pause))
            counts["retry"] += len(rows)
            for row in rows:
                DELIVERIES.labels(channel=row.channel, outcome="retry").inc()
            log.warning("%d alert deliveries wait for Alertmanager: %s", len(rows), exc)
            return dict(counts)
    counts.update(_silences(services, am, now))
    return dict(counts)


def _reachable(services: Services, rows: list[DueDelivery]) -> tuple[list[DueDelivery], list[tuple[DueDelivery, str]]]:
    """The rows that may be posted, and those whose Slack webhook now resolves to a private address (checked again at
    every delivery: a DNS answer that changed after the address was saved must not turn Alertmanager inwards)."""
    slack_orgs = {int(r.recipient.removeprefix("slack-org-")) for r in rows if r.recipient.startswith("slack-org-")}
    if not slack_orgs:
        return rows, []
    targets = alert_settings.slack_targets(services.db)
    problems: dict[int, str] = {}
    for org_id in slack_orgs:
        encrypted, allow_private = targets.get(org_id, ("", False))
        try:
            check_address(secrets.decrypt(services.settings, encrypted), allow_private)
        except (FetchError, secrets.SecretUnavailable) as exc:
            problems[org_id] = f"Slack webhook refused at delivery: {exc}"
    ok: list[DueDelivery] = []
    refused: list[tuple[DueDelivery, str]] = []
    for row in rows:
        org = int(row.recipient.removeprefix("slack-org-")) if row.recipient.startswith("slack-org-") else None
        if org is not None and org in problems:
            refused.append((row, problems[org]))
        else:
            ok.append(row)
    return ok, refused


def _silences(services: Services, am: Alertmanager, now: dt.datetime) -> Counter[str]:
    counts: Counter[str] = Counter()
    for a in alerts.silences(services.db, "wanted"):
        try:
            silence_id = am.create_silence(
                {"key": a.key}, am_clock() + SILENCE_FOR, a.acknowledged_by or "wattboard", "acknowledged in Wattboard"
            )
        except AlertmanagerUnavailable as exc:
            log.warning("silence for %s waits for Alertmanager: %s", a.key, exc)
            break
        alerts.set_silence(services.db, a.id, silence_id, "active")
        counts["silenced"] += 1
    for a in alerts.silences(services.db, "expire"):
        try:
            if a.silence_id:
                am.expire_silence(a.silence_id)
        except AlertmanagerUnavailable as exc:
            log.warning("silence %s not expired yet: %s", a.silence_id, exc)
            break
        alerts.set_silence(services.db, a.id, None, "none")
        counts["unsilenced"] += 1
    return counts


def repost(services: Services, now: dt.datetime | None = None) -> int:
    """Post every firing alert again so that Alertmanager keeps it active (it resolves what is not refreshed)."""
    now = now or dt.datetime.now(dt.UTC)
    am = client(services)
    rows = alerts.posted_firing(services.db)
    if am is None or not rows:
        return 0
    try:
        am.post_alerts([am_alert(services, row, now) for row in rows])
    except AlertmanagerUnavailable as exc:
        log.warning("firing alerts not refreshed in Alertmanager: %s", exc)
        return 0
    return len(rows)
