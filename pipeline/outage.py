"""Waiting out an outage: run a function again with backoff while it fails because something does not answer."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from data.errors import is_outage
from pipeline.types import Stopped

log = logging.getLogger(__name__)
R = TypeVar("R")

FIRST_DELAY_S = 0.5
MAX_DELAY_S = 30.0


def through_outages(
    work: Callable[[], R],
    stop: threading.Event,
    what: str,
    outage: Callable[[BaseException], bool] = is_outage,
    first_delay_s: float | None = None,
) -> R:
    """``work()``, retried with exponential backoff (0.5 s … 30 s) for as long as it fails with an outage; any other
    exception is raised at once. Raises :class:`Stopped` when ``stop`` is set and the outage has lasted a while."""
    first_delay_s = FIRST_DELAY_S if first_delay_s is None else first_delay_s
    delay = first_delay_s
    while True:
        try:
            return work()
        except Exception as exc:
            if not outage(exc):
                raise
            log.warning("%s: %s does not answer (%s); retrying in %.1f s", what, type(exc).__name__, exc, delay)
            if stop.wait(delay) and delay >= 16 * first_delay_s:
                raise Stopped(f"{what}: stopped during an outage ({exc})") from exc
            delay = min(delay * 2, MAX_DELAY_S)
