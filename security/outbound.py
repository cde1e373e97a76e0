"""The outbound address check (see :mod:`security`)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import requests
from requests.adapters import HTTPAdapter


class FetchError(RuntimeError):
    """An outbound address could not be reached or was refused (a partner's endpoint, a webhook); the message says
    why (``code``: a reason the interface words)."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class BlockedAddress(FetchError):
    """The host resolves to an address that is not public, and private networks are not allowed."""


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
