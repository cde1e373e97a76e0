"""Counters in Redis that every commit changing certain tables moves: a web worker that computed something from those
tables at one value may keep it while the value has not moved (every worker reads the same counter, whichever process
wrote). ``None`` stands for "Redis does not answer": nothing kept is trusted then.

Redis here keeps nothing on disk: a counter it lost starts again from a random value, not from 0, so a worker's
earlier value is not met again by chance with other data under it.

Within :func:`one_reading` (a web request) every counter is read once, all of them in one round trip at the first
need, and again after a commit through this process moves one: a request sees the values of its start (what it keeps
under them can only be newer than them, so the next request, seeing a newer value, reads again)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from redis import Redis
from redis.exceptions import RedisError

from data.relational import Database

RETRY_AFTER_S = 5.0  # Redis did not answer: requests do not each wait for it again before this
_READ: ContextVar[dict[str, int] | None] = ContextVar("wattboard_counters_read", default=None)


@contextmanager
def one_reading() -> Iterator[None]:
    """Each counter read at most once inside (see the module's docstring), until a commit moves one."""
    token = _READ.set({})
    try:
        yield
    finally:
        _READ.reset(token)


class Counter:
    def __init__(self, key: str, tables: Iterable[str], added: Iterable[str] = ()) -> None:
        """``tables``: updated or deleted rows move it; ``added``: new rows too (``Database.on_commit_changing``)."""
        self.key, self.tables, self.added = key, tuple(tables), tuple(added)
        self._unanswered_until = 0.0
        _EVERY.append(self)

    def current(self, redis: Redis) -> int | None:
        """The value now, or None when Redis does not answer (then not asked again for a few seconds: a request must
        not wait on a dead Redis for what the database can tell it)."""
        if time.monotonic() < self._unanswered_until:
            return None
        read = _READ.get()
        if read is not None and self.key in read:
            return read[self.key]
        try:
            if read is not None and not read:  # the request's first look: every counter in one round trip
                keys = [counter.key for counter in _EVERY]
                read.update({key: int(value) for key, value in zip(keys, redis.mget(keys), strict=True) if value})
                if self.key in read:
                    return read[self.key]
            value = redis.get(self.key)
            if value is None:
                redis.set(self.key, _fresh_start(), nx=True)
                value = redis.get(self.key)
            if read is not None:
                read[self.key] = int(value or 0)
            return int(value or 0)
        except RedisError:
            self._unanswered_until = time.monotonic() + RETRY_AFTER_S
            return None

    def bump(self, redis: Redis) -> None:
        moving = redis.pipeline()
        moving.set(self.key, _fresh_start(), nx=True)
        moving.incr(self.key)
        moving.execute()
        read = _READ.get()
        if read is not None:
            read.clear()  # what this request reads after its own commit is read afresh

    def watch(self, db: Database, redis: Redis) -> None:
        """Every commit through ``db`` that changes the tables moves the counter (every process that writes them —
        web, workers, the command line — builds its database through ``Services``, which calls this), and ``db`` keeps
        what it read by it (``Database.kept``)."""
        db.on_commit_changing(self.key, self.tables, lambda: self.bump(redis), self.added)
        db.count_by(self.key, lambda: self.current(redis))


_EVERY: list[Counter] = []  # every counter this process knows, read together by :func:`one_reading`


def _fresh_start() -> int:
    return secrets.randbelow(2**52)


# What a reader's bell and the zone they read times in come from: their messages (a new one too), the zone they chose,
# their organization's points' zones (a new point may change the most common one).
READERS = Counter(
    "wb:readers-version", ("notifications", "users", "metering_points"), added=("notifications", "metering_points")
)

# The metering points and their organizations: every web request names a point or lists an organization's, and each
# process keeps them all while nothing about them changed (``data.relational.meters``).
POINTS = Counter(
    "wb:points-version", ("metering_points", "organizations"), added=("metering_points", "organizations")
)

# The prices: households' tariffs and the businesses' published sheets and peak hours. Every page that shows roubles
# reads the whole price book, and each process keeps it while none of them changed (``pricing.book``).
PRICES_TABLES = ("tariff_prices", "market_price_sheets", "market_peak_hours")
PRICES = Counter("wb:prices-version", PRICES_TABLES, added=PRICES_TABLES)
