"""One GET with a short timeout; anything but a clear answer is :class:`RegistryUnavailable`."""

from __future__ import annotations

from typing import Any

import requests
from prometheus_client import Counter

FAILURES = Counter("wattboard_registry_failures_total", "Registry checks that got no clear answer", ["registry"])


class RegistryUnavailable(RuntimeError):
    """The registry did not answer in time, answered with an error, or refused our key: try again later."""


def get_json(url: str, params: dict[str, str], headers: dict[str, str], timeout: float, name: str) -> Any:
    try:
        return _get_json(url, params, headers, timeout, name)
    except RegistryUnavailable:
        FAILURES.labels(registry=name).inc()
        raise


def _get_json(url: str, params: dict[str, str], headers: dict[str, str], timeout: float, name: str) -> Any:
    try:
        response = requests.get(url, params=params, headers=headers, timeout=timeout)
    except requests.Timeout:
        raise RegistryUnavailable(f"{name}: no answer within {timeout:g} s") from None
    except requests.RequestException as exc:
        raise RegistryUnavailable(f"{name}: {type(exc).__name__}") from None
    if response.status_code in (401, 403):
        raise RegistryUnavailable(f"{name}: the access key was refused (HTTP {response.status_code})")
    if response.status_code >= 400:
        raise RegistryUnavailable(f"{name}: HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError:
        raise RegistryUnavailable(f"{name}: the answer is not JSON") from None
