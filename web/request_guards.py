"""Checks every request passes before a view or callback sees it: a state-changing request from a browser must come
from Wattboard's own pages (its ``Origin``, or else its ``Referer``, is ours), and a callback request must name a
callback this app has, with its inputs as a list — anything else is answered 400, not a server error.

Callers that authenticate with a key of their own (a partner's push, Alertmanager's webhook, an API token) are not
browsers and are not judged by origin.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from werkzeug.datastructures import Headers

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
KEYED_PREFIXES = ("/api/v1/ingest/", "/api/v1/alertmanager/")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def foreign_origin(method: str, path: str, headers: Mapping[str, str] | Headers, own: list[str]) -> str | None:
    """Why a request must be refused as cross-site, or None. ``own``: the origins of this site (its host as the
    request names it, and the public URL)."""
    if method in SAFE_METHODS or path.startswith(KEYED_PREFIXES):
        return None
    if headers.get("Authorization", "").startswith("Bearer "):
        return None  # an API token is not sent by a browser on its own
    allowed = {_origin(url) for url in own if url}
    origin = headers.get("Origin")
    if origin is not None:
        return None if origin.lower() in allowed else f"cross-site request from {origin!r} refused"
    referer = headers.get("Referer")
    if referer:
        return None if _origin(referer) in allowed else "cross-site request refused (Referer)"
    return None  # neither header: not a browser (browsers send Origin with every POST); the CSRF token still guards


def malformed_callback(body: Any, callbacks: Mapping[str, Any]) -> str | None:
    """Why a ``/_dash-update-component`` body cannot be a call of one of this app's callbacks, or None."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callbacks:
        return "unknown callback output"
    for part in ("inputs", "state"):
        if not isinstance(body.get(part, []), list):
            return f"'{part}' must be a list"
    if not isinstance(body.get("changedPropIds", []), list):
        return "'changedPropIds' must be a list"
    return None
