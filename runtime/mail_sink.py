"""A small SMTP server (RFC 5321: EHLO, MAIL, RCPT, DATA) that hands every letter to a function.

``wattboard up`` without ``WATTBOARD_SMTP_URL`` runs one for Alertmanager and writes what it receives into
``<home>/outbox/*.eml``, next to the account letters, so the demo keeps its outbox; the tests use it to catch mail.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import socketserver
import threading
from collections.abc import Callable
from email.message import Message
from pathlib import Path


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        sink: MailSink = self.server.sink  # type: ignore[attr-defined]  # set on the server below
        self._send("220 wattboard ESMTP")
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._send("250-wattboard\r\n250 8BITMIME" if verb == "EHLO" else "250 wattboard")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                self._send("250 OK")
            elif verb == "DATA":
                self._send("354 End data with <CR><LF>.<CR><LF>")
                body = bytearray()
                while (chunk := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    body += chunk[1:] if chunk.startswith(b"..") else chunk
                sink.deliver(email.message_from_bytes(bytes(body), policy=email.policy.default))
                self._send("250 OK: queued")
            elif verb == "QUIT":
                self._send("221 Bye")
                return
            else:
                self._send("502 Command not implemented")

    def _send(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")


class MailSink:
    def __init__(self, on_letter: Callable[[Message], None], port: int = 0) -> None:
        self.on_letter = on_letter
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", port), _Handler)
        self._server.daemon_threads = True
        self._server.sink = self  # type: ignore[attr-defined]  # what each request handler reads
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, name="mail-sink", daemon=True).start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def deliver(self, message: Message) -> None:
        self.on_letter(message)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def outbox_writer(home: Path) -> Callable[[Message], None]:
    """Write each letter to ``<home>/outbox/<time>-<recipient>.eml``."""

    def write(message: Message) -> None:
        folder = home / "outbox"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        to = re.sub(r"[^A-Za-z0-9@._-]", "_", str(message.get("To", "unknown")))[:100]
        (folder / f"{stamp}-{to}.eml").write_bytes(bytes(message))

    return write
