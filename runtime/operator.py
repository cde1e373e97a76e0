"""The person at the shell, for CLI commands that act as staff: the services and a principal named ``cli:<user>``
in the audit trail, closed when the command ends."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from config import Settings, load_settings


@contextmanager
def operator_session(settings: Settings | None = None, role: str = "admin") -> Iterator[tuple[Any, Any]]:
    from auth.principal import Principal
    from data.services import Services

    services = Services(settings or load_settings())
    try:
        yield services, Principal(0, f"cli:{os.environ.get('USER', 'unknown')}", role, None)
    finally:
        services.close()
