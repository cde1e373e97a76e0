"""One counter in Redis that every change to users or their sessions increments (a sign-out, a role or status
changed, a password reset ending every session): a web worker that checked a session at one value may trust its
check while the value has not moved."""

from __future__ import annotations

import time

from redis import Redis
from redis.exceptions import RedisError

from data.relational import Database

KEY = "wb:accounts-version"
RETRY_AFTER_S = 5.0  # Redis did not answer: requests do not each wait for it again before this
_unanswered_until = 0.0


def current(redis: Redis) -> int | None:
    """The version now, or None when Redis does not answer (then not asked again for a few seconds: a request must
    not wait on a dead Redis to check a session the database can check)."""
    global _unanswered_until
    if time.monotonic() < _unanswered_until:
        return None
    try:
        return int(redis.get(KEY) or 0)
    except RedisError:
        _unanswered_until = time.monotonic() + RETRY_AFTER_S
        return None


def bump(redis: Redis) -> None:
    redis.incr(KEY)


def watch(db: Database, redis: Redis) -> None:
    """Every commit through ``db`` that changes a user or ends a session moves the version (every process that
    writes accounts — web, workers, the command line — builds its database through ``Services``, which calls this)."""
    db.on_commit_changing("accounts version", ("users", "user_sessions"), lambda: bump(redis))
