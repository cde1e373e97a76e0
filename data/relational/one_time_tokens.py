"""Single-use tokens (password reset, invitations): only their hash is stored; issuing one lapses the earlier
unused ones of the same kind. API tokens are ``data.relational.tokens``."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.relational import Database
from data.relational.models import OneTimeToken
from data.relational.tokens import digest


def issue_token(
    db: Database,
    purpose: str,
    email: str,
    lifetime: dt.timedelta,
    user_id: int | None = None,
    organization_id: int | None = None,
    created_by: str | None = None,
    payload: dict[str, Any] | None = None,
    token: str | None = None,
) -> str:
    """A new single-use token (``token`` when the caller made a shorter one a person types, such as a chat link
    code); only its hash is stored. Earlier unused tokens of the same kind lapse."""
    token = token or secrets.token_urlsafe(32)
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
                payload=payload,
            )
        )
    return token


@dataclass(frozen=True)
class TokenGrant:
    email: str
    user_id: int | None
    organization_id: int | None
    created_by: str | None
    payload: dict[str, Any] | None = None


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
        return TokenGrant(row.email, row.user_id, row.organization_id, row.created_by, row.payload)


def _live_token(s: Session, purpose: str, token: str) -> OneTimeToken | None:
    row = s.scalar(
        select(OneTimeToken).where(OneTimeToken.token_hash == digest(token), OneTimeToken.purpose == purpose)
    )
    if row is None or row.used_at is not None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)
    return row if expires > dt.datetime.now(dt.UTC) else None
