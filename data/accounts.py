"""Accounts beyond login: sign-ups and their verification state, one-time tokens, and what admins change."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from data import user_sessions
from data.models import AuditEvent, OneTimeToken, Organization, SupplyContract, User
from data.relational import Database
from data.tokens import digest


class AccountError(ValueError):
    """The change cannot be made; the message says why in words for the user."""


@dataclass(frozen=True)
class NewSignup:
    email: str
    password_hash: str
    full_name: str
    inn: str
    organization_name: str
    kind: str  # business | household
    contract_number: str
    supplier: str
    signed_on: dt.date


def contract_column_length(column: str) -> int:
    """The longest value a supply contract's text column holds."""
    return int(SupplyContract.__table__.c[column].type.length)


def inn_taken(db: Database, inn: str) -> bool:
    with db.session() as s:
        return s.scalar(select(Organization.id).where(Organization.inn == inn)) is not None


def create_signup(db: Database, signup: NewSignup, status: str, reason: str | None) -> int:
    """The organization, its contract and its owner, in one transaction; returns the user id."""
    now = dt.datetime.now(dt.UTC)
    with db.session() as s:
        org = Organization(inn=signup.inn, name=signup.organization_name, kind=signup.kind)
        s.add(org)
        s.flush()
        s.add(
            SupplyContract(
                organization_id=org.id,
                number=signup.contract_number,
                supplier=signup.supplier,
                signed_on=signup.signed_on,
                status="active" if status == "active" else "pending",
                verified_at=now if status == "active" else None,
            )
        )
        user = User(
            email=signup.email.strip().lower(),
            password_hash=signup.password_hash,
            full_name=signup.full_name,
            role="consumer",
            status=status,
            status_reason=reason,
            organization_id=org.id,
            is_owner=True,
        )
        s.add(user)
        s.flush()
        return user.id


@dataclass(frozen=True)
class PendingSignup:
    user_id: int
    email: str
    inn: str
    organization_name: str
    contract_number: str
    supplier: str
    signed_on: dt.date
    status: str
    reason: str | None


def pending_signup(db: Database, user_id: int) -> PendingSignup | None:
    with db.session() as s:
        user = s.get(User, user_id)
        if user is None or user.organization_id is None:
            return None
        org = s.get(Organization, user.organization_id)
        contract = s.scalar(select(SupplyContract).where(SupplyContract.organization_id == org.id))  # type: ignore[union-attr]
        return PendingSignup(
            user.id,
            user.email,
            org.inn,  # type: ignore[union-attr]
            org.name,  # type: ignore[union-attr]
            contract.number if contract else "",
            contract.supplier if contract else "",
            contract.signed_on if contract else dt.date.min,
            user.status,
            user.status_reason,
        )


def settle_signup(db: Database, user_id: int, approved: bool, reason: str | None, organization_name: str | None) -> str:
    """Approve (user active, contract active and verified) or reject a pending sign-up; returns the email."""
    with db.session() as s:
        user = s.get(User, user_id)
        if user is None:
            raise AccountError("no such user")
        if user.status != "pending":
            raise AccountError(f"{user.email} is not waiting for verification (status: {user.status})")
        user.status = "active" if approved else "rejected"
        user.status_reason = reason
        user.session_epoch += 1
        for contract in s.scalars(select(SupplyContract).where(SupplyContract.organization_id == user.organization_id)):
            contract.status = "active" if approved else "rejected"
            contract.verified_at = dt.datetime.now(dt.UTC) if approved else None
        if organization_name and user.organization_id is not None:
            s.get(Organization, user.organization_id).name = organization_name  # type: ignore[union-attr]
        return user.email


def note_verification_delay(db: Database, user_id: int, reason: str) -> None:
    with db.session() as s:
        user = s.get(User, user_id)
        if user is not None and user.status == "pending":
            user.status_reason = reason


def issue_token(
    db: Database,
    purpose: str,
    email: str,
    lifetime: dt.timedelta,
    user_id: int | None = None,
    organization_id: int | None = None,
    created_by: str | None = None,
) -> str:
    """A new single-use token; only its hash is stored. Earlier unused tokens of the same kind lapse."""
    token = secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.UTC)
    with db.session() as s:
        for old in s.scalars(
            select(OneTimeToken).where(
                OneTimeToken.purpose == purpose, OneTimeToken.email == email, OneTimeToken.used_at.is_(None)
            )
        ):
            old.used_at = now
        s.add(
            OneTimeToken(
                purpose=purpose,
                token_hash=digest(token),
                email=email,
                user_id=user_id,
                organization_id=organization_id,
                created_by=created_by,
                expires_at=now + lifetime,
            )
        )
    return token


@dataclass(frozen=True)
class TokenGrant:
    email: str
    user_id: int | None
    organization_id: int | None
    created_by: str | None


def peek_token(db: Database, purpose: str, token: str) -> TokenGrant | None:
    """What a valid, unused, unexpired token grants, without using it."""
    with db.session() as s:
        row = _live_token(s, purpose, token)
        return TokenGrant(row.email, row.user_id, row.organization_id, row.created_by) if row else None


def use_token(db: Database, purpose: str, token: str) -> TokenGrant | None:
    """Mark the token used and return what it granted; None if it is unknown, used or expired."""
    with db.session() as s:
        row = _live_token(s, purpose, token)
        if row is None:
            return None
        row.used_at = dt.datetime.now(dt.UTC)
        return TokenGrant(row.email, row.user_id, row.organization_id, row.created_by)


def _live_token(s, purpose: str, token: str) -> OneTimeToken | None:  # type: ignore[no-untyped-def]
    row = s.scalar(
        select(OneTimeToken).where(OneTimeToken.token_hash == digest(token), OneTimeToken.purpose == purpose)
    )
    if row is None or row.used_at is not None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)
    return row if expires > dt.datetime.now(dt.UTC) else None


def set_password(db: Database, user_id: int, password_hash: str) -> str:
    """New password; every session of the user ends (the epoch moves). Returns the email."""
    with db.session() as s:
        user = s.get(User, user_id)
        if user is None:
            raise AccountError("no such user")
        user.password_hash = password_hash
        user.session_epoch += 1
        return user.email


def end_all_sessions(db: Database, user_id: int) -> int:
    """Every browser session of the user ends; returns how many were live."""
    with db.session() as s:
        user = s.get(User, user_id)
        if user is not None:
            user.session_epoch += 1
    return user_sessions.end_all(db, user_id)


def add_member(db: Database, email: str, password_hash: str, full_name: str, organization_id: int) -> int:
    with db.session() as s:
        if s.scalar(select(User.id).where(User.email == email)):
            raise AccountError(f"пользователь {email} уже зарегистрирован")
        user = User(
            email=email,
            password_hash=password_hash,
            full_name=full_name,
            role="consumer",
            status="active",
            organization_id=organization_id,
        )
        s.add(user)
        s.flush()
        return user.id


@dataclass(frozen=True)
class UserRow:
    id: int
    email: str
    full_name: str | None
    role: str
    status: str
    reason: str | None
    organization: str | None
    is_owner: bool
    created_at: dt.datetime


def list_users(
    db: Database,
    search: str = "",
    role: str | None = None,
    status: str | None = None,
    organization_id: int | None = None,
) -> list[UserRow]:
    stmt = select(User, Organization.name).outerjoin(Organization, User.organization_id == Organization.id)
    if search:
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(User.email).like(like),
                func.lower(User.full_name).like(like),
                func.lower(Organization.name).like(like),
            )
        )
    if role:
        stmt = stmt.where(User.role == role)
    if status:
        stmt = stmt.where(User.status == status)
    if organization_id is not None:
        stmt = stmt.where(User.organization_id == organization_id)
    with db.session() as s:
        return [
            UserRow(u.id, u.email, u.full_name, u.role, u.status, u.status_reason, org, u.is_owner, u.created_at)
            for u, org in s.execute(stmt.order_by(User.created_at.desc(), User.id.desc()).limit(500))
        ]


def count_users(db: Database, status: str) -> int:
    with db.session() as s:
        return s.scalar(select(func.count(User.id)).where(User.status == status)) or 0


def change_user(
    db: Database, user_id: int, role: str | None = None, status: str | None = None, reason: str | None = None
) -> str:
    """Change a user's role or status (blocking ends their sessions); returns the email."""
    with db.session() as s:
        user = s.get(User, user_id)
        if user is None:
            raise AccountError("no such user")
        if role is not None:
            if role not in ("admin", "operator", "consumer"):
                raise AccountError(f"unknown role {role!r}")
            if role == "consumer" and user.organization_id is None:
                raise AccountError("a consumer needs an organization")
            user.role = role
            user.session_epoch += 1
        if status is not None:
            user.status = status
            user.status_reason = reason
            user.session_epoch += 1
        return user.email


@dataclass(frozen=True)
class OrganizationRow:
    id: int
    inn: str
    name: str
    kind: str
    users: int
    contracts: list[tuple[str, str, dt.date, str]]  # number, supplier, signed on, status


def organizations_with_contracts(db: Database, search: str = "") -> list[OrganizationRow]:
    """Organizations with their user counts and contracts: three queries, however many organizations."""
    stmt = select(Organization).order_by(Organization.name)
    if search:
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Organization.name).like(like), Organization.inn.like(like)))
    with db.session() as s:
        orgs = list(s.scalars(stmt))
        ids = [o.id for o in orgs]
        counts = dict(
            s.execute(
                select(User.organization_id, func.count(User.id))
                .where(User.organization_id.in_(ids))
                .group_by(User.organization_id)
            ).all()
        )
        contracts: dict[int, list[tuple[str, str, dt.date, str]]] = {}
        for c in s.scalars(select(SupplyContract).where(SupplyContract.organization_id.in_(ids))):
            contracts.setdefault(c.organization_id, []).append((c.number, c.supplier, c.signed_on, c.status))
        return [
            OrganizationRow(o.id, o.inn, o.name, o.kind, counts.get(o.id, 0), contracts.get(o.id, [])) for o in orgs
        ]


def members(db: Database, organization_id: int) -> list[UserRow]:
    return list_users(db, organization_id=organization_id)


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
