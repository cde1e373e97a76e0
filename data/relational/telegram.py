"""Telegram's state in the relational store: which chat a user linked, and the bot's next update to read."""

from __future__ import annotations

from sqlalchemy import select

from data.relational import Database
from data.relational.models import TelegramBot, User


def set_chat(db: Database, user_id: int, chat_id: int | None) -> int | None:
    """Link (or with None unlink) a user's chat; returns the chat linked before."""
    with db.session() as s:
        user = s.get(User, user_id)
        if user is None:
            raise LookupError(user_id)
        before, user.telegram_chat_id = user.telegram_chat_id, chat_id
        return before


def chat_of(db: Database, user_id: int) -> int | None:
    with db.session() as s:
        return s.scalar(select(User.telegram_chat_id).where(User.id == user_id))


def update_offset(db: Database) -> int:
    """The first Bot API update not yet handled (0 before the first)."""
    with db.session() as s:
        row = s.get(TelegramBot, 1)
        return row.update_offset if row else 0


def set_update_offset(db: Database, offset: int) -> None:
    with db.session() as s:
        row = s.get(TelegramBot, 1)
        if row is None:
            s.add(TelegramBot(id=1, update_offset=offset))
        else:
            row.update_offset = max(row.update_offset, offset)
