"""HTTP fetching for pull partners: URL templates, auth, retries with backoff, redirects followed by hand so that
each hop passes the outbound address check of :mod:`security.outbound` (public addresses only unless the partner is
allowed private networks; the connection pinned to the checked address)."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from string import Formatter
from typing import Any
from urllib.parse import quote, urljoin

import requests

from partners.config import PullConfig
from security.outbound import BlockedAddress, FetchError, check_address, pinned

PLACEHOLDERS = {"since", "until", "meter"}
MAX_REDIRECTS = 5


@dataclass
class Fetched:
    url: str
    body: bytes
    next_link: str | None


def render_url(template: str, **values: str) -> str:
    names = {name for _, name, _, _ in Formatter().parse(template) if name}
    unknown = names - PLACEHOLDERS
    if unknown:
        raise FetchError(f"unknown placeholder(s) {', '.join(sorted(unknown))} in the URL template")
    return template.format(**{k: quote(v, safe="") for k, v in values.items() if k in names})


def auth_headers(config: PullConfig, secret: str | None) -> tuple[dict[str, str], tuple[str, str] | None]:
    headers = dict(config.headers)
    if config.auth == "none":
        return headers, None
    if not secret:
        raise FetchError(f"the partner uses {config.auth} authentication but no secret is stored")
    if config.auth == "api_key":
        headers[config.auth_header] = secret
        return headers, None
    if config.auth == "bearer":
        headers["Authorization"] = f"Bearer {secret}"
        return headers, None
    return headers, (config.username or "", secret)


def fetch(
    url: str,
    config: PullConfig,
    secret: str | None,
    allow_private: bool,
    session: requests.Session | None = None,
    resolve: Callable[..., Any] = socket.getaddrinfo,
) -> Fetched:
    """GET/POST one page with retries (connection errors, 429 and 5xx) and exponential backoff."""
    headers, basic = auth_headers(config, secret)
    http = session or requests.Session()
    delay = 0.5
    for attempt in range(config.retries + 1):
        try:
            current = url
            for _ in range(MAX_REDIRECTS + 1):
                target, host = pinned(http, current, check_address(current, allow_private, resolve))
                response = http.request(
                    config.method,
                    target,
                    headers={**headers, **host},
                    auth=basic,
                    timeout=config.timeout_s,
                    allow_redirects=False,
                )
                if response.is_redirect and response.headers.get("Location"):
                    current = urljoin(current, response.headers["Location"])
                    continue
                break
            else:
                raise FetchError(f"more than {MAX_REDIRECTS} redirects from {url}")
            if response.status_code == 429 or response.status_code >= 500:
                raise FetchError(f"{url} answered {response.status_code}")
            if response.status_code >= 400:  # the body is not echoed: it may be anything the host holds
                raise FetchError(f"{url} answered {response.status_code}")
            link = response.links.get("next", {}).get("url")
            return Fetched(url=current, body=response.content, next_link=urljoin(current, link) if link else None)
        except BlockedAddress:
            raise
        except (requests.RequestException, FetchError) as exc:
            if isinstance(exc, FetchError) and "answered 4" in str(exc) and "answered 429" not in str(exc):
                raise
            if attempt == config.retries:
                raise FetchError(f"{url}: {exc}") from None
            time.sleep(delay)
            delay = min(delay * 2, 30)
    raise FetchError(f"{url}: no answer")  # pragma: no cover - the loop returns or raises
