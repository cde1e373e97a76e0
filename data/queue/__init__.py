"""Redis: this module holds the connection and the RQ queues; beside it what workers and web workers share through
Redis — the progress of long work (``progress``), cached answers (``answer_cache``) and the version of the
accounts that lets a web worker trust a session it checked a moment ago (``accounts_version``), and other such
counters (``versions``: the readers' bells and zones)."""

from __future__ import annotations

from typing import Any

from redis import Redis
from rq import Queue

QUEUE_NAMES = ("default", "ingest", "forecast", "alerts", "delivery")
ALERT_QUEUES = ("alerts", "delivery")  # small, frequent jobs: a worker of their own keeps them quick
WORK_QUEUES = ("default", "ingest", "forecast")


def redis_connection(url: str) -> Redis:
    return Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30, health_check_interval=30)


def queue(conn: Redis, name: str = "default") -> Queue:
    return Queue(name, connection=conn)


def enqueue(conn: Redis, queue_name: str, func: str, *args: Any, **options: Any) -> str:
    """Enqueue a job by the dotted path of its function (so domain code need not import the job modules)."""
    return queue(conn, queue_name).enqueue(func, *args, **options).id
