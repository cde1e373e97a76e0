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

# An open page asks every 5–10 s (the bell, the live chart) and a reader moves on within seconds: gunicorn's default
# keep-alive of 2 s closed the browser's idle connection between two such requests, and one sent on it as it closed
# was reset (bench.load saw 0–4 a run). 75 s is nginx's default and longer than any page's tick; a proxy in front
# keeps its upstream idle timeout below it.
keepalive = 75
