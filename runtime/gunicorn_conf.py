"""gunicorn hooks for ``wattboard web``: the master serves the workers' metrics (multiprocess mode) on the metrics
address, and forgets a worker's live gauges when it exits."""

from __future__ import annotations

import os
from typing import Any

from runtime.metrics import mark_process_dead, serve


def when_ready(_server: object) -> None:
    serve(os.environ.get("WATTBOARD_METRICS_ADDRESS", "127.0.0.1:9108"), multiprocess=True)


def child_exit(_server: object, worker: Any) -> None:  # gunicorn's Worker (gunicorn ships no types)
    mark_process_dead(worker.pid)
