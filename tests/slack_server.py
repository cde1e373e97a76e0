"""A local server standing in for Slack's incoming webhooks: keeps every JSON message posted to it."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.owner.received.append(json.loads(body or b"{}"))  # type: ignore[attr-defined]  # set on the server below
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *_args: Any) -> None:
        pass


class SlackServer:
    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.owner = self  # type: ignore[attr-defined]  # what each request handler reads
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/services/T000/B000/XXXX"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def texts(self) -> list[str]:
        """Each message's title and text, as Slack would show them."""
        out = []
        for message in self.received:
            for attachment in message.get("attachments", []):
                out.append(f"{attachment.get('title', '')}\n{attachment.get('text', '')}")
        return out

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
