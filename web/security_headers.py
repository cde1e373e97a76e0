"""Security headers on every response: a Content-Security-Policy that lets only Wattboard's own scripts run (Dash's
inline renderer start and the sign-up page's INN check by their hashes), no framing by other sites (clickjacking),
no MIME sniffing, no full URLs in Referer to other sites, and HSTS when served behind HTTPS (production)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable

from flask import Flask, Response


def script_hash(script: str) -> str:
    """The CSP source of an inline script (the text between its tags)."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def policy(inline_script_hashes: Iterable[str]) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self' " + " ".join(sorted(set(inline_script_hashes))),
            "style-src 'self' 'unsafe-inline'",  # Dash and Bootstrap components set style attributes
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def install(server: Flask, inline_script_hashes: Callable[[], Iterable[str]], https: bool) -> None:
    """``inline_script_hashes`` is asked on every response: Dash adds the inline scripts of clientside callbacks
    when it serves its first request."""

    @server.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy(inline_script_hashes()))
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if https:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
