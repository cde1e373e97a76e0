"""What every signed-in browser is sent alike — the callbacks' map and a page's HTML — built and compressed once per
process, not on every page load.

Dash builds both on every request: the map (``/_dash-dependencies``, 33 KB of JSON) from the registered callbacks,
a page's HTML from its scripts, styles and the page's meta tags; then the response is gzipped again. Neither
depends on who asks (the login check before them still runs on every request): the map only on the code, the HTML
on the address (Dash puts it in the page's meta tags). Each is kept as its text and its gzip, with an ETag, and
sent as the request accepts it; a browser that has it already (``If-None-Match``) gets a 304 and no body. Pages'
HTML is kept for the :data:`ADDRESSES_KEPT` addresses asked most recently.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dash
from flask import Flask, Response, request

ADDRESSES_KEPT = 256
DEPENDENCIES = "/_dash-dependencies"


@dataclass(frozen=True)
class Prepared:
    text: bytes
    gzipped: bytes
    etag: str
    mimetype: str

    @classmethod
    def of(cls, text: str, mimetype: str) -> Prepared:
        body = text.encode()
        return cls(body, gzip.compress(body, 6), hashlib.sha256(body).hexdigest()[:32], mimetype)

    def response(self) -> Response:
        """For the request being answered: 304 when it has this already, else gzipped when it accepts that."""
        if self.etag in request.if_none_match:
            answer = Response(status=304)
        elif "gzip" in request.accept_encodings:
            answer = Response(self.gzipped, mimetype=self.mimetype)
            answer.headers["Content-Encoding"] = "gzip"  # flask-compress leaves an encoded answer alone
        else:
            answer = Response(self.text, mimetype=self.mimetype)
        answer.set_etag(self.etag)
        answer.headers["Cache-Control"] = "private, no-cache"  # a browser keeps it and asks whether it changed
        answer.vary.add("Accept-Encoding")
        return answer


class _Recent:
    """The prepared HTML of the addresses asked most recently (the workers' threads share it)."""

    def __init__(self, build: Callable[[], str]) -> None:
        self.build, self.kept, self.lock = build, OrderedDict[str, Prepared](), threading.Lock()

    def __call__(self, *_args: Any, **_kwargs: Any) -> Response:
        address = request.url
        with self.lock:
            prepared = self.kept.get(address)
            if prepared is not None:
                self.kept.move_to_end(address)
        if prepared is None:
            prepared = Prepared.of(self.build(), "text/html")
            with self.lock:
                self.kept[address] = prepared
                while len(self.kept) > ADDRESSES_KEPT:
                    self.kept.popitem(last=False)
        return prepared.response()


def install(app: dash.Dash, server: Flask) -> None:
    """After every page and callback is registered: the map is final."""
    app.index = _Recent(app.index)  # type: ignore[method-assign]  # Dash's routes call app.index when they answer
    endpoint = next(rule.endpoint for rule in server.url_map.iter_rules() if rule.rule == DEPENDENCIES)
    build: Callable[[], Any] = server.view_functions[endpoint]
    prepared: list[Prepared] = []

    def dependencies() -> Response:
        if not prepared:  # built on first use: Dash adds its own callbacks (the pages router's) at its first request
            answer = server.make_response(build())
            prepared.append(Prepared.of(answer.get_data(as_text=True), "application/json"))
        return prepared[0].response()

    server.view_functions[endpoint] = dependencies
