"""One counter in Redis that every change to users or their sessions increments (a sign-out, a role or status
changed, a password reset ending every session): a web worker that checked a session at one value may trust its
check while the value has not moved."""

from __future__ import annotations

from redis import Redis
from redis.exceptions import RedisError

from data.relational import Database

KEY = "wb:accounts-version"


def current(redis: Redis) -> int | None:
    """The version now, or None when Redis does not answer."""
    try:
        return int(redis.get(KEY) or 0)
    except RedisError:
        return None


def bump(redis: Redis) -> None:
    redis.incr(KEY)


def watch(db: Database, redis: Redis) -> None:
    """Every commit through ``db`` that changes a user or ends a session moves the version (every process that
    writes accounts — web, workers, the command line — builds its database through ``Services``, which calls this)."""
    db.on_commit_changing("accounts version", ("users", "user_sessions"), lambda: bump(redis))
