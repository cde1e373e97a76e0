"""Linking a chat to a user by a one-time code (pure): the code, finding it in what was sent, and the bot's answers.

A code is eight characters from an alphabet without look-alikes (no 0/O, 1/I/L), so it can be typed from the screen
as well as carried by the ``t.me/<bot>?start=<code>`` link, which makes Telegram send ``/start <code>``.
"""

from __future__ import annotations

import html
import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8
_CODE = re.compile(rf"(?<![A-Z0-9])([{ALPHABET}]{{{LENGTH}}})(?![A-Z0-9])")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def code_in(text: str) -> str | None:
    """The code in ``/start CODE``, ``CODE`` or ``код: code`` (case and spaces forgiven), else None."""
    cleaned = text.strip().upper().replace("-", "").replace(" ", "")
    cleaned = cleaned.removeprefix("/START")
    match = _CODE.search(cleaned)
    return match.group(1) if match else None


def deep_link(bot_name: str | None, code: str) -> str | None:
    return f"https://t.me/{bot_name.lstrip('@')}?start={code}" if bot_name else None


ANSWERS = {
    "linked": (
        "Готово: уведомления Wattboard для <b>{email}</b> будут приходить в этот чат. "
        "Какие именно — выберите в профиле: {link}",
        "Done: Wattboard notifications for <b>{email}</b> will come to this chat. "
        "Choose which ones on your profile: {link}",
    ),
    "unknown": (
        "Код не найден или устарел. Получите новый на странице «Уведомления и профиль» в Wattboard "
        "и отправьте его сюда.",
        "This code is unknown or has expired. Get a new one on Wattboard's profile page and send it here.",
    ),
    "hello": (
        "Это бот уведомлений Wattboard. Чтобы получать их здесь, откройте в Wattboard «Уведомления и профиль», "
        "нажмите «Подключить Telegram» и отправьте сюда показанный код.",
        "This is Wattboard's notification bot. To get them here, open your Wattboard profile, press "
        "“Connect Telegram” and send the code shown there.",
    ),
}


def answer(key: str, language: str, **values: str) -> str:
    ru, en = ANSWERS[key]
    text = en if language == "en" else ru
    return text.format(**{k: html.escape(v) for k, v in values.items()})
