"""People as administrators and owners see them: the listing with filters, role and status changes (each ends
the person's sessions), a new password, a new member of an organization."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from data.relational import Database, user_sessions
from data.relational.models import Organization, User


class AccountError(ValueError):
    """The change cannot be made; the message says why in words for the user."""


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


def members(db: Database, organization_id: int) -> list[UserRow]:
    return list_users(db, organization_id=organization_id)
