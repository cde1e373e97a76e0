"""HTTP fetching for pull partners: URL templates, auth, retries with backoff, and an SSRF guard.

The guard resolves the host and refuses every address that is not public (``is_global``: loopback, link-local,
private, the carrier-grade shared space 100.64.0.0/10, multicast, reserved, documentation ranges) unless the
partner is explicitly allowed to reach them; redirects are followed by hand so each hop is checked the same way.
The connection then goes to the very address that was checked (the request names the host in its ``Host`` header,
and TLS checks the certificate against the host name), so a DNS answer that changes between the check and the
connection (DNS rebinding) cannot redirect it.
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
from requests.adapters import HTTPAdapter

from partners.config import PullConfig

PLACEHOLDERS = {"since", "until", "meter"}
MAX_REDIRECTS = 5


class FetchError(RuntimeError):
    """The partner's endpoint could not be fetched; the message says why (``code``: a reason the interface words)."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


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


class AddressRefused(ValueError):
    """An outbound address refused; ``code`` is ``https`` (not https), ``private`` (resolves inwards) or
    ``unresolved``, for the interface to say in the reader's words."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def outbound_url(url: str, allow_private: bool, what: str) -> str:
    """An address an administrator gives for Wattboard to call (a Slack webhook, an OpenID issuer), checked: https
    unless private networks are allowed, and not resolving to a private or local address. ``AddressRefused`` (a
    ``ValueError``) says why."""
    url = url.strip()
    if not url.startswith("https://") and not allow_private:
        raise AddressRefused("https", f"{what} starts with https://")
    try:
        check_address(url, allow_private)
    except BlockedAddress as exc:
        raise AddressRefused("private", str(exc)) from None
    except FetchError as exc:
        raise AddressRefused("unresolved", str(exc)) from None
    return url


def check_address(url: str, allow_private: bool, resolve: Callable[..., Any] = socket.getaddrinfo) -> str | None:
    """Refuse a URL whose host resolves to a private or local address; returns the checked address to connect to
    (None when private networks are allowed: then the system resolver decides)."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise FetchError(f"{url!r} is not an http(s) URL")
    if allow_private:
        return None
    try:
        infos = resolve(parsed.hostname, parsed.port or (443 if parsed.scheme == "https" else 80))
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {parsed.hostname}: {exc}") from None
    if not infos:
        raise FetchError(f"cannot resolve {parsed.hostname}: no address")
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:  # private, shared (100.64/10), local, reserved, documentation
            raise BlockedAddress(
                f"{parsed.hostname} resolves to {address}, which is not a public address; allow "
                "private networks for this partner if that is intended"
            )
    return str(infos[0][4][0])


class PinnedAdapter(HTTPAdapter):
    """Connects to a checked address while TLS verifies the certificate for the original host name."""

    def __init__(self, hostname: str) -> None:
        self.hostname = hostname
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["server_hostname"] = self.hostname
        kwargs["assert_hostname"] = self.hostname
        super().init_poolmanager(*args, **kwargs)


def pinned(http: requests.Session, url: str, address: str | None) -> tuple[str, dict[str, str]]:
    """The URL to request (its host replaced by the checked address) and the ``Host`` header that names the host."""
    if address is None:
        return url, {}
    parsed = urlparse(url)
    host = f"[{address}]" if ":" in address else address
    netloc = f"{host}:{parsed.port}" if parsed.port else host
    target = parsed._replace(netloc=netloc).geturl()
    http.mount(f"{parsed.scheme}://{netloc}/", PinnedAdapter(parsed.hostname or ""))
    named = f"{parsed.hostname}:{parsed.port}" if parsed.port else str(parsed.hostname)
    return target, {"Host": named}


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
