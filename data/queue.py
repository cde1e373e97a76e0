"""Redis connection and RQ queues."""

from __future__ import annotations

from redis import Redis
from rq import Queue

QUEUE_NAMES = ("default", "ingest", "forecast", "delivery")


def redis_connection(url: str) -> Redis:
    return Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30, health_check_interval=30)


def queue(conn: Redis, name: str = "default") -> Queue:
    return Queue(name, connection=conn)
