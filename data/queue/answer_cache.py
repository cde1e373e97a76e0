"""Answers kept in Redis for every web worker, and the data version of each organization they were computed from.

A version is a counter per organization that whatever changes its data increments (new or corrected readings, a
forecast run, a reading entered by hand, a budget); a cached answer's key carries the versions it was read at, so
after a change the next request computes afresh and the stale entry simply expires."""

from __future__ import annotations

from collections.abc import Iterable

from redis import Redis
from redis.exceptions import RedisError

ANSWER = "wb:answer:"
COMPUTING = "wb:computing:"
VERSION = "wb:dataver:"
UNAVAILABLE = (RedisError,)  # Redis not answering
EVERYONE = 0  # the version every answer reads too: prices, tariffs and other data no single organization owns
ANYONE = -1  # the version any organization's change increments too: for an answer over every organization


def versions(redis: Redis, organization_ids: Iterable[int]) -> list[int]:
    """The current version of each organization (0 before its first change), the shared one first."""
    ids = [EVERYONE, *organization_ids]
    return [int(v or 0) for v in redis.mget([f"{VERSION}{i}" for i in ids])]


def bump(redis: Redis, organization_ids: Iterable[int]) -> None:
    with redis.pipeline(transaction=False) as pipe:
        for org in {*organization_ids, ANYONE}:
            pipe.incr(f"{VERSION}{org}")
        pipe.execute()


def get(redis: Redis, key: str) -> bytes | None:
    value = redis.get(ANSWER + key)
    return value if isinstance(value, bytes) else None


def put(redis: Redis, key: str, value: bytes, ttl_s: int) -> None:
    redis.set(ANSWER + key, value, ex=ttl_s)


def claim(redis: Redis, key: str, ttl_s: int) -> bool:
    """Whether this caller is the one to compute ``key`` (the others wait for its answer): True for the first."""
    return bool(redis.set(COMPUTING + key, b"1", nx=True, ex=ttl_s))


def release(redis: Redis, key: str) -> None:
    redis.delete(COMPUTING + key)
