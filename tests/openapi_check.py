"""Every API response the suite sees, held to the OpenAPI document (``web/openapi.py``): its path and method are
described, its status is one the operation lists, and a JSON body matches the schema for that status.

``tests/conftest.py`` wraps ``requests``' sessions with :func:`check` for the whole run, so a test that calls the API
fails when the API answers outside its description."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from web.openapi import document

DOC = document()
BASE = "urn:wattboard-openapi"
_REGISTRY = Registry().with_resource(BASE, Resource.from_contents(DOC, default_specification=DRAFT202012))
# Internal endpoints that are not part of the public contract (Alertmanager's webhook authenticates its own token).
INTERNAL = ("/alertmanager/",)
_TEMPLATES = [
    (re.compile("^" + re.sub(r"\{[^/}]+\}", "[^/]+", path) + "$"), path) for path in DOC["paths"]
]


class OutsideTheDocument(AssertionError):
    """An API response the OpenAPI document does not describe."""


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def problems(method: str, url: str, status: int, content_type: str, body: Any) -> list[str]:
    """What in this response the document does not allow (empty: it conforms)."""
    path = urlparse(url).path
    if not path.startswith("/api/v1/") or path == "/api/v1/openapi.json":
        return []
    local = path.removeprefix("/api/v1")
    if local.startswith(INTERNAL):
        return []
    template = next((t for rx, t in _TEMPLATES if rx.match(local)), None)
    where = f"{method} {path} → {status}"
    if template is None or method.lower() not in DOC["paths"][template]:
        return [] if status in (404, 405, 401) else [f"{where}: the path is not described"]
    responses = DOC["paths"][template][method.lower()]["responses"]
    if str(status) not in responses:
        return [f"{where}: status {status} is not described (described: {', '.join(responses)})"]
    media = content_type.split(";")[0].strip()
    content = responses[str(status)].get("content", {})
    if media not in content and "*/*" not in content:
        return [f"{where}: content type {media!r} is not described ({', '.join(content) or 'none'})"]
    if media != "application/json" or media not in content:
        return []
    pointer = _pointer("paths", template, method.lower(), "responses", str(status), "content", media, "schema")
    validator = Draft202012Validator({"$ref": f"{BASE}#/{pointer}"}, registry=_REGISTRY)
    return [f"{where}: {e.json_path}: {e.message[:300]}" for e in validator.iter_errors(body)][:5]


def check(method: str, url: str, status: int, content_type: str, body: Any) -> None:
    found = problems(method, url, status, content_type, body)
    if found:
        raise OutsideTheDocument("the API answered outside its OpenAPI document:\n" + "\n".join(found))
