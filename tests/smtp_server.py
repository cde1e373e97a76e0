"""A small SMTP server for the tests: speaks enough of RFC 5321 for smtplib and keeps what it receives."""

from __future__ import annotations

import email
import email.policy
import socketserver
import threading
from email.message import Message


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        server: SmtpServer = self.server.owner  # type: ignore[attr-defined]
        self._send("220 wattboard-test ESMTP")
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._send("250-wattboard-test\r\n250 8BITMIME" if verb == "EHLO" else "250 wattboard-test")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                self._send("250 OK")
            elif verb == "DATA":
                self._send("354 End data with <CR><LF>.<CR><LF>")
                body = bytearray()
                while (chunk := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    body += chunk[1:] if chunk.startswith(b"..") else chunk
                server.received.append(email.message_from_bytes(bytes(body), policy=email.policy.default))
                self._send("250 OK: queued")
            elif verb == "QUIT":
                self._send("221 Bye")
                return
            else:
                self._send("502 Command not implemented")

    def _send(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")


class SmtpServer:
    def __init__(self) -> None:
        self.received: list[Message] = []
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.owner = self  # type: ignore[attr-defined]
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def letters_to(self, address: str) -> list[Message]:
        return [m for m in self.received if m["To"] == address]

    def body(self, message: Message) -> str:
        return message.get_content()  # type: ignore[attr-defined]

    def stop(self) -> None:
        self._server.shutdown()
