"""Users: create, find, and the session epoch that lets "log out everywhere" work."""

from __future__ import annotations

from sqlalchemy import select

from data.relational import Database, text_length
from data.relational.models import Organization, User

ROLES = ("admin", "operator", "consumer")


class UserError(ValueError):
    """A user cannot be created or changed as asked; the message says why."""


def column_length(column: str) -> int:
    """The longest value a user's text column holds (a form checks it before the database refuses)."""
    return text_length(User, column)


def create_user(
    db: Database,
    email: str,
    password_hash: str,
    role: str,
    org_inn: str | None = None,
    full_name: str | None = None,
) -> User:
    email = email.strip().lower()
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if "@" not in email:
        raise UserError(f"{email!r} is not an email address")
    with db.session() as s:
        if s.scalar(select(User).where(User.email == email)):
            raise UserError(f"a user {email} already exists")
        org_id = None
        if org_inn:
            org = s.scalar(select(Organization).where(Organization.inn == org_inn))
            if org is None:
                raise UserError(f"no organization with INN {org_inn}")
            org_id = org.id
        elif role == "consumer":
            raise UserError("a consumer needs --org-inn: the organization whose data they see")
        user = User(
            email=email,
            password_hash=password_hash,
            role=role,
            organization_id=org_id,
            full_name=full_name,
            status="active",
        )
        s.add(user)
        s.flush()
        return user


def user_by_email(db: Database, email: str) -> User | None:
    with db.session() as s:
        return s.scalar(select(User).where(User.email == email.strip().lower()))


def user_by_id(db: Database, user_id: int) -> User | None:
    with db.session() as s:
        return s.get(User, user_id)


def set_language(db: Database, user_id: int, language: str) -> None:
    with db.session() as s:
        user = s.get(User, user_id)
        if user is not None:
            user.language = language
