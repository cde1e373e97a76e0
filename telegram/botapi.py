"""The client of the Telegram Bot API: ``{api}/bot{token}/getUpdates`` and ``/sendMessage``, JSON both ways, each
answer ``{"ok": true, "result": …}`` or ``{"ok": false, "description": …}``. Errors name the method, never the URL
(it holds the token)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

TIMEOUT_S = 15.0
MAX_TEXT = 4096  # Telegram's limit per message, in characters


class BotApiUnavailable(RuntimeError):
    """The Bot API did not answer, or refused the call; the message says which method and why."""


@dataclass(frozen=True)
class Incoming:
    """A text someone sent the bot."""

    update_id: int
    chat_id: int
    text: str
    sender: str  # their @username or first name, for the audit trail


class BotApi:
    def __init__(self, base_url: str, token: str) -> None:
        self._base = f"{base_url.rstrip('/')}/bot{token}"

    def updates(self, offset: int, limit: int = 100) -> list[Incoming]:
        """Messages sent to the bot from ``offset`` on (Telegram forgets those below the offset asked for next)."""
        result = self._call("getUpdates", {"offset": offset, "limit": limit, "timeout": 0})
        out: list[Incoming] = []
        for update in result if isinstance(result, list) else []:
            message = update.get("message") or update.get("edited_message") or {}
            chat = message.get("chat") or {}
            sender = message.get("from") or {}
            if isinstance(update.get("update_id"), int) and isinstance(chat.get("id"), int):
                who = sender.get("username") or sender.get("first_name") or ""
                out.append(Incoming(update["update_id"], chat["id"], str(message.get("text") or ""), str(who)))
            elif isinstance(update.get("update_id"), int):  # not a message (a join, a button): read past it
                out.append(Incoming(update["update_id"], 0, "", ""))
        return out

    def send(self, chat_id: int, text: str) -> None:
        """A message in Telegram's HTML (``<b>``, ``<a href>``; the caller escapes the rest)."""
        self._call(
            "sendMessage",
            {"chat_id": chat_id, "text": text[:MAX_TEXT], "parse_mode": "HTML", "disable_web_page_preview": True},
        )

    def _call(self, method: str, payload: dict[str, Any]) -> Any:
        try:
            response = requests.post(f"{self._base}/{method}", json=payload, timeout=TIMEOUT_S)
        except requests.RequestException as exc:
            raise BotApiUnavailable(f"Telegram {method}: no answer ({type(exc).__name__})") from None
        try:
            body = response.json()
        except ValueError:
            raise BotApiUnavailable(f"Telegram {method}: HTTP {response.status_code}, not JSON") from None
        if not isinstance(body, dict) or not body.get("ok"):
            reason = str(body.get("description", "")) if isinstance(body, dict) else ""
            raise BotApiUnavailable(f"Telegram {method}: HTTP {response.status_code} {reason[:200]}".rstrip())
        return body.get("result")
