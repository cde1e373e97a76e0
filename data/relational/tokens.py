"""Personal API tokens, stored as SHA-256 hashes (the token itself is shown once)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select

from data.relational import Database
from data.relational.models import ApiToken, User

TOKEN_PREFIX = "wb_"


def digest(secret: str) -> str:
    """What is stored in place of a token, key or session id: its SHA-256, hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(db: Database, user_id: int) -> str:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with db.session() as s:
        s.add(ApiToken(user_id=user_id, token_hash=digest(token), prefix=token[:10]))
    return token


def user_for_token(db: Database, token: str) -> User | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    with db.session() as s:
        row = s.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token), ApiToken.revoked.is_(False)))
        if row is None:
            return None
        row.last_used_at = dt.datetime.now(dt.UTC)
        return s.get(User, row.user_id)
