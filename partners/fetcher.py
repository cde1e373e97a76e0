"""HTTP fetching for pull partners: URL templates, auth, retries with backoff, and an SSRF guard.

The guard resolves the host and refuses loopback, link-local, private, multicast and reserved
addresses unless the partner is explicitly allowed to reach them; redirects are followed by hand so
each hop is checked the same way.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from string import Formatter
from typing import Any
from urllib.parse import quote, urljoin, urlparse

import requests

from partners.config import PullConfig

PLACEHOLDERS = {"since", "until", "meter"}
MAX_REDIRECTS = 5


class FetchError(RuntimeError):
    """The partner's endpoint could not be fetched; the message says why."""


class BlockedAddress(FetchError):
    pass


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


def check_address(url: str, allow_private: bool, resolve: Callable[..., Any] = socket.getaddrinfo) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise FetchError(f"{url!r} is not an http(s) URL")
    if allow_private:
        return
    try:
        infos = resolve(parsed.hostname, parsed.port or (443 if parsed.scheme == "https" else 80))
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {parsed.hostname}: {exc}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_multicast
            or address.is_reserved
            or address.is_unspecified
        ):
            raise BlockedAddress(
                f"{parsed.hostname} resolves to {address}, a private or local address; allow "
                "private networks for this partner if that is intended"
            )


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
    url: str, config: PullConfig, secret: str | None, allow_private: bool, session: requests.Session | None = None
) -> Fetched:
    """GET/POST one page with retries (connection errors, 429 and 5xx) and exponential backoff."""
    headers, basic = auth_headers(config, secret)
    http = session or requests.Session()
    delay = 0.5
    for attempt in range(config.retries + 1):
        try:
            current = url
            for _ in range(MAX_REDIRECTS + 1):
                check_address(current, allow_private)
                response = http.request(
                    config.method, current, headers=headers, auth=basic, timeout=config.timeout_s, allow_redirects=False
                )
                if response.is_redirect and response.headers.get("Location"):
                    current = urljoin(current, response.headers["Location"])
                    continue
                break
            else:
                raise FetchError(f"more than {MAX_REDIRECTS} redirects from {url}")
            if response.status_code == 429 or response.status_code >= 500:
                raise FetchError(f"{url} answered {response.status_code}")
            if response.status_code >= 400:
                raise FetchError(f"{url} answered {response.status_code}: {response.text[:200]}")
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
