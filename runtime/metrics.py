"""Prometheus metrics of every process, served on their own address (``WATTBOARD_METRICS_ADDRESS``), never on the
public port.

A process that forks (gunicorn's web workers, the RQ worker's work horses) keeps its metrics in multiprocess
mode: each child writes its values under ``<home>/metrics/<role>`` and the parent serves their sum. Single-process
roles (``wattboard up``, ``consume``, ``scheduler``) serve their own registry. The scheduler also reports the job
queues: how many jobs wait and how many failed, per queue.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_WITH_QUEUES: list[object] = []  # registries that already report the queues (one collector per registry)
log = logging.getLogger(__name__)


def prepare_multiprocess(home: Path, role: str) -> Path:
    """Point prometheus_client at a clean directory for this role; call before anything imports it."""
    directory = (home / "metrics" / role).resolve()
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True, exist_ok=True)
    os.environ[MULTIPROC_ENV] = str(directory)
    return directory


def serve(address: str | None, multiprocess: bool = False, queues: object | None = None) -> bool:
    """Serve ``/metrics`` on ``host:port``; returns False (with a warning) when it cannot bind."""
    if not address:
        return False
    from prometheus_client import REGISTRY, CollectorRegistry, start_http_server

    host, _, port = address.rpartition(":")
    registry = REGISTRY
    if multiprocess:
        from prometheus_client.multiprocess import MultiProcessCollector

        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    if queues is not None and registry not in _WITH_QUEUES:
        registry.register(QueueCollector(queues))
        _WITH_QUEUES.append(registry)
    try:
        start_http_server(int(port), host or "0.0.0.0", registry=registry)
    except OSError as exc:
        log.warning("metrics not served on %s: %s", address, exc)
        return False
    log.info("metrics on http://%s/metrics", address)
    return True


def mark_process_dead(pid: int) -> None:
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


class QueueCollector(Collector):
    """Job queue depth and failed jobs per RQ queue, read from Redis at scrape time."""

    def __init__(self, redis: Any) -> None:  # a Redis client (this module opens no store itself)
        self.redis = redis

    def collect(self) -> Iterator[Metric]:
        from prometheus_client.core import GaugeMetricFamily
        from rq import Queue
        from rq.registry import FailedJobRegistry

        from data.queue import QUEUE_NAMES

        depth = GaugeMetricFamily("wattboard_queue_depth", "Jobs waiting in an RQ queue", labels=["queue"])
        failed = GaugeMetricFamily(
            "wattboard_jobs_failed", "Failed jobs kept in an RQ queue's registry", labels=["queue"]
        )
        try:
            for name in QUEUE_NAMES:
                queue = Queue(name, connection=self.redis)
                depth.add_metric([name], queue.count)
                failed.add_metric([name], FailedJobRegistry(queue=queue).count)
        except Exception as exc:  # Redis down: the scrape still answers; Prometheus alerts on the target
            log.warning("queue metrics unavailable: %s", exc)
            return
        yield depth
        yield failed
