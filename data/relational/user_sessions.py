"""Browser sessions kept on the server, so logging out ends a session wherever its cookie went."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select

from data.relational import Database
from data.relational.models import User, UserSession
from data.relational.tokens import digest


def start(db: Database, user_id: int, ip: str | None, user_agent: str | None) -> str:
    """A new session id (only its hash is stored)."""
    session_id = secrets.token_urlsafe(24)
    with db.session() as s:
        s.add(UserSession(id_hash=digest(session_id), user_id=user_id, ip=ip, user_agent=(user_agent or "")[:300]))
    return session_id


def live_user(db: Database, session_id: str, user_id: int) -> User | None:
    """The user of a session that has not ended, in one query (this runs on every request)."""
    with db.session() as s:
        return s.scalar(
            select(User)
            .join(UserSession, UserSession.user_id == User.id)
            .where(UserSession.id_hash == digest(session_id), UserSession.ended_at.is_(None), User.id == user_id)
        )


def end(db: Database, session_id: str) -> None:
    with db.session() as s:
        row = s.get(UserSession, digest(session_id))
        if row is not None and row.ended_at is None:
            row.ended_at = dt.datetime.now(dt.UTC)


def end_all(db: Database, user_id: int) -> int:
    """End every live session of the user; returns how many there were."""
    now = dt.datetime.now(dt.UTC)
    with db.session() as s:
        rows = list(
            s.scalars(select(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None)))
        )
        for row in rows:
            row.ended_at = now
        return len(rows)
