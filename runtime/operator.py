"""What a CLI command opens, closed when it ends: the services (``open_services``) and, for commands that act as
staff, the person at the shell as a principal named ``cli:<user>`` in the audit trail (``operator_session``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from config import Settings, load_settings


@contextmanager
def open_services(settings: Settings | None = None) -> Iterator[Any]:
    """The services for one command (databases, broker, Redis), closed however the command ends."""
    from data.services import Services

    services = Services(settings or load_settings())
    try:
        yield services
    finally:
        services.close()


@contextmanager
def operator_session(settings: Settings | None = None, role: str = "admin") -> Iterator[tuple[Any, Any]]:
    from auth.principal import Principal

    with open_services(settings) as services:
        yield services, Principal(0, f"cli:{os.environ.get('USER', 'unknown')}", role, None)
