"""Who hears of an alert, through which channels, and when: defaults, users' choices and quiet hours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from alerts.kinds import KINDS, at_least
from data.relational.alert_settings import Person, Preference
from data.relational.alerts import BellMessage, OutboxRow, Plan

Texts = Callable[[str, str], tuple[str, str]]  # (language, the reader's zone) -> (title, text)


def default(person: Person, kind: str) -> Preference:
    """Critical and warning alerts ring the bell for everyone; owners (and administrators, for staff alerts) also
    get them by email. Slack is chosen by the user."""
    email = person.is_owner if not KINDS[kind].staff else person.role == "admin"
    return Preference(kind, bell=True, email=email, slack=False, min_severity="warning")


def effective(person: Person, kind: str, stored: dict[int, dict[str, Preference]]) -> Preference:
    return stored.get(person.id, {}).get(kind) or default(person, kind)


def quiet_until(person: Person, now: dt.datetime) -> dt.datetime | None:
    """The end of the person's quiet hours if ``now`` falls inside them (local time), else None."""
    if person.quiet_from is None or person.quiet_to is None or person.quiet_from == person.quiet_to:
        return None
    local = now.astimezone(ZoneInfo(person.timezone))
    start, end, hour = person.quiet_from, person.quiet_to, local.hour
    inside = start <= hour < end if start < end else hour >= start or hour < end
    if not inside:
        return None
    morning = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if morning <= local:
        morning += dt.timedelta(days=1)
    return morning.astimezone(dt.UTC)


def plan(
    kind: str,
    severity: str,
    organization_id: int | None,
    people: list[Person],
    stored: dict[int, dict[str, Preference]],
    slack: bool,
    texts: Texts,
    now: dt.datetime,
    telegram: bool = False,
) -> Plan:
    """The bell messages and outbox rows for everyone who wants this alert. Email, Telegram and Slack of a
    non-critical alert wait for the end of the reader's quiet hours; the bell never waits. Telegram goes to each
    reader's own linked chat (when the installation has a bot). Slack goes to the organization's channel once, when
    any member asked for it, as soon as one of them is awake."""
    bell, outbox, slack_holds = [], [], []
    for person in people:
        pref = effective(person, kind, stored)
        if not at_least(severity, pref.min_severity):
            continue
        hold = None if severity == "critical" else quiet_until(person, now)
        if pref.bell:
            title, text = texts(person.language, person.timezone)
            bell.append(BellMessage(person.id, title, text))
        if pref.email:
            outbox.append(OutboxRow(f"user-{person.id}", "email", person.language, person.timezone, hold or now))
        if pref.telegram and telegram and person.telegram_chat_id is not None:
            outbox.append(
                OutboxRow(f"telegram-user-{person.id}", "telegram", person.language, person.timezone, hold or now)
            )
        if pref.slack:
            slack_holds.append((hold or now, person))
    if slack and slack_holds and organization_id is not None:
        when, first = min(slack_holds, key=lambda item: item[0])
        outbox.append(OutboxRow(f"slack-org-{organization_id}", "slack", first.language, first.timezone, when))
    return Plan(bell, outbox)
