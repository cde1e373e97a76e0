"""Who hears of alerts and how: members and staff with their language, zone, quiet hours and linked Telegram chat,
their channel preferences per kind, organizations' thresholds, and organizations' Slack webhooks (stored encrypted)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from data.relational import Database
from data.relational.models import AlertRule, MeteringPoint, NotificationPreference, Organization, User

DEFAULT_ZONE = "Europe/Moscow"


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    role: str
    organization_id: int | None
    is_owner: bool
    language: str
    timezone: str
    quiet_from: int | None
    quiet_to: int | None
    telegram_chat_id: int | None = None


@dataclass(frozen=True)
class Preference:
    kind: str
    bell: bool
    email: bool
    slack: bool
    min_severity: str
    telegram: bool = False


def members(db: Database, organization_id: int) -> list[Person]:
    """Active members of an organization."""
    stmt = select(User).where(User.organization_id == organization_id, User.status == "active").order_by(User.id)
    with db.session() as s:
        return _people(s, list(s.scalars(stmt)))


def staff(db: Database) -> list[Person]:
    stmt = select(User).where(User.role.in_(("admin", "operator")), User.status == "active").order_by(User.id)
    with db.session() as s:
        return _people(s, list(s.scalars(stmt)))


def person(db: Database, user_id: int) -> Person | None:
    with db.session() as s:
        user = s.get(User, user_id)
        return _people(s, [user])[0] if user else None


def everyone_with_email(db: Database) -> list[Person]:
    """Active users: the recipients Alertmanager's configuration has a receiver for."""
    with db.session() as s:
        return _people(s, list(s.scalars(select(User).where(User.status == "active").order_by(User.id))))


def preferences(db: Database, user_ids: list[int]) -> dict[int, dict[str, Preference]]:
    """Stored preferences by user and kind (kinds a user never changed are missing: their defaults apply)."""
    if not user_ids:
        return {}
    out: dict[int, dict[str, Preference]] = {}
    with db.session() as s:
        for p in s.scalars(select(NotificationPreference).where(NotificationPreference.user_id.in_(user_ids))):
            out.setdefault(p.user_id, {})[p.kind] = Preference(
                p.kind, p.bell, p.email, p.slack, p.min_severity, bool(p.telegram)
            )
    return out


def save_preferences(
    db: Database, user_id: int, rows: list[Preference], timezone: str, quiet_from: int | None, quiet_to: int | None
) -> None:
    with db.session() as s:
        s.execute(delete(NotificationPreference).where(NotificationPreference.user_id == user_id))
        for p in rows:
            s.add(
                NotificationPreference(
                    user_id=user_id,
                    kind=p.kind,
                    bell=p.bell,
                    email=p.email,
                    slack=p.slack,
                    telegram=p.telegram,
                    min_severity=p.min_severity,
                )
            )
        user = s.get(User, user_id)
        if user is not None:
            user.timezone, user.quiet_from, user.quiet_to = timezone, quiet_from, quiet_to


def rules(db: Database, organization_ids: list[int]) -> dict[tuple[int, str], tuple[bool, float | None]]:
    """Organizations' own rules: (organization, kind) → (enabled, threshold)."""
    if not organization_ids:
        return {}
    with db.session() as s:
        stmt = select(AlertRule).where(AlertRule.organization_id.in_(organization_ids))
        return {(r.organization_id, r.kind): (r.enabled, r.threshold) for r in s.scalars(stmt)}


def save_rule(db: Database, organization_id: int, kind: str, enabled: bool, threshold: float | None) -> None:
    with db.session() as s:
        rule = s.scalar(select(AlertRule).where(AlertRule.organization_id == organization_id, AlertRule.kind == kind))
        if rule is None:
            rule = AlertRule(organization_id=organization_id, kind=kind)
            s.add(rule)
        rule.enabled, rule.threshold = enabled, threshold


def set_slack(db: Database, organization_id: int, encrypted_url: str | None, allow_private: bool) -> bool:
    """Store (or clear) an organization's Slack webhook; returns whether it had one."""
    with db.session() as s:
        org = s.get(Organization, organization_id)
        if org is None:
            raise LookupError(organization_id)
        had = org.slack_webhook is not None
        org.slack_webhook, org.slack_allow_private = encrypted_url, allow_private
        return had


def slack_targets(db: Database) -> dict[int, tuple[str, bool]]:
    """Every organization's encrypted Slack webhook, and whether it may be on a private network."""
    with db.session() as s:
        stmt = select(Organization.id, Organization.slack_webhook, Organization.slack_allow_private).where(
            Organization.slack_webhook.is_not(None)
        )
        return {int(org_id): (str(url), bool(private)) for org_id, url, private in s.execute(stmt)}


def slack_webhooks(db: Database) -> dict[int, str]:
    """Every organization's encrypted Slack webhook."""
    with db.session() as s:
        stmt = select(Organization.id, Organization.slack_webhook).where(Organization.slack_webhook.is_not(None))
        return {int(org_id): str(url) for org_id, url in s.execute(stmt)}


def organization_zones(s: Session, organization_ids: set[int]) -> dict[int, str]:
    """Each organization's zone: the one most of its metering points are in (the first in name order on a tie)."""
    if not organization_ids:
        return {}
    stmt = (
        select(MeteringPoint.organization_id, MeteringPoint.timezone, func.count())
        .where(MeteringPoint.organization_id.in_(organization_ids))
        .group_by(MeteringPoint.organization_id, MeteringPoint.timezone)
    )
    counts: dict[int, Counter[str]] = {}
    for org_id, zone, n in s.execute(stmt):
        counts.setdefault(int(org_id), Counter())[str(zone)] = int(n)
    return {org: max(sorted(c), key=lambda z: c[z]) for org, c in counts.items()}


def organization_zone(db: Database, organization_id: int) -> str:
    """The zone most of the organization's metering points are in (Moscow without points)."""
    with db.session() as s:
        return organization_zones(s, {organization_id}).get(organization_id, DEFAULT_ZONE)


def _people(s: Session, users: list[User]) -> list[Person]:
    """Users as recipients: a user who never chose a zone reads times in their organization's zone."""
    following = {u.organization_id for u in users if u.organization_id is not None and not u.timezone}
    zones = organization_zones(s, following)
    return [
        Person(
            u.id, u.email, u.role, u.organization_id, u.is_owner, u.language or "ru",
            u.timezone or zones.get(u.organization_id or 0, DEFAULT_ZONE), u.quiet_from, u.quiet_to, u.telegram_chat_id,
        )  # fmt: skip
        for u in users
    ]
