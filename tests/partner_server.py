"""A small HTTP server that speaks like a partner's meter-data API, for pull tests.

Pages of JSON readings with a ``next`` link, bearer-token auth, and a configurable number of
failures (HTTP 500) before it answers.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from tests.helpers import answer_json


class PartnerServer:
    def __init__(self, pages: list[list[dict]], token: str = "s3cret", failures: int = 0) -> None:
        self.pages = pages
        self.token = token
        self.failures = failures
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                outer.requests.append(self.path)
                if self.headers.get("Authorization") != f"Bearer {outer.token}":
                    return self._send(401, {"error": "unauthorized"})
                if outer.failures > 0:
                    outer.failures -= 1
                    return self._send(500, {"error": "try later"})
                query = parse_qs(urlparse(self.path).query)
                page = int(query.get("page", ["1"])[0])
                body: dict = {"items": outer.pages[page - 1] if page <= len(outer.pages) else []}
                if page < len(outer.pages):
                    body["next"] = f"{outer.url}/readings?page={page + 1}"
                return self._send(200, body)

            def _send(self, status: int, body: dict) -> None:
                answer_json(self, status, body)

            def log_message(self, *_: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
