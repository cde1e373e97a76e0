"""A local server speaking the Telegram Bot API as far as Wattboard and Alertmanager use it: ``sendMessage`` (kept,
and answered with the Message Telegram would return) and ``getUpdates`` (what people "sent" the bot through
:meth:`TelegramServer.user_sends`, from the offset asked for). Any other token is refused as Telegram does (401).
It can go down and come back on the same port (:meth:`stop`, :meth:`start`)."""

from __future__ import annotations

import html
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.helpers import answer_json

TOKEN = "123456:TEST-token-for-the-stand-in"
_TAG = re.compile(r"<[^>]+>")


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        owner: TelegramServer = self.server.owner  # type: ignore[attr-defined]  # set on the server below
        token, _, method = self.path.removeprefix("/bot").partition("/")
        if token != owner.token:
            return self._answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            return self._answer(400, {"ok": False, "error_code": 400, "description": "Bad Request: not JSON"})
        if method == "sendMessage":
            return self._answer(*owner.accept(payload))
        if method == "getUpdates":
            return self._answer(200, {"ok": True, "result": owner.updates_from(int(payload.get("offset") or 0))})
        return self._answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        answer_json(self, status, body)

    def log_message(self, *_args: Any) -> None:
        pass


class TelegramServer:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.sent: list[dict[str, Any]] = []
        self._updates: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.port = 0
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), _Handler)
        self._server.owner = self  # type: ignore[attr-defined]  # what each request handler reads
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- what Telegram does -------------------------------------------------------------------------------
    def accept(self, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """A message as Telegram takes it: at most 4,096 characters after entity parsing, valid HTML tags."""
        text = str(payload.get("text") or "")
        if not text or "chat_id" not in payload:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}
        if payload.get("parse_mode") == "HTML" and _TAG.sub("", text).count("<"):
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: can't parse entities"}
        if len(self.shown(text, payload.get("parse_mode"))) > 4096:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"}
        with self._lock:
            self.sent.append(payload)
            number = len(self.sent)
        chat = int(payload["chat_id"])
        message = {"message_id": number, "date": int(time.time()), "chat": {"id": chat, "type": "private"}}
        return 200, {"ok": True, "result": {**message, "text": self.shown(text, payload.get("parse_mode"))}}

    def user_sends(self, chat_id: int, text: str, username: str = "ivanov") -> None:
        with self._lock:
            update_id = 1000 + len(self._updates)
            self._updates.append(
                {
                    "update_id": update_id,
                    "message": {
                        "message_id": update_id,
                        "date": int(time.time()),
                        "chat": {"id": chat_id, "type": "private"},
                        "from": {"id": chat_id, "is_bot": False, "first_name": "Иван", "username": username},
                        "text": text,
                    },
                }
            )

    def updates_from(self, offset: int) -> list[dict[str, Any]]:
        with self._lock:
            return [u for u in self._updates if u["update_id"] >= offset]

    # -- what the test reads ----------------------------------------------------------------------------
    @staticmethod
    def shown(text: str, parse_mode: Any) -> str:
        """The text as the reader sees it (tags dropped, entities decoded)."""
        return html.unescape(_TAG.sub("", text)) if parse_mode == "HTML" else text

    def messages_to(self, chat_id: int) -> list[str]:
        with self._lock:
            return [
                self.shown(str(m["text"]), m.get("parse_mode"))
                for m in self.sent
                if str(m.get("chat_id")) == str(chat_id)
            ]
