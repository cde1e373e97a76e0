"""Login throttling and temporary lockout, and simple rate limits, kept in Redis.

Every failed login counts against the account and against the address it came from. At
``login_max_failures`` failures for the account (four times as many for an address, which many people may
share behind one NAT) further attempts are refused for ``lockout_minutes`` — even with the right password.
A success clears the account's count. If Redis is unreachable, failures are counted in the process instead
(and logged), so a Redis outage neither locks everyone out nor lets guessing run unlimited.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable

from redis import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
ADDRESS_FACTOR = 4


def _key(kind: str, value: str) -> str:
    return f"wb:login:{kind}:{hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]}"


class LocalCounters:
    """Counters with expiry in this process: where failures are counted while Redis does not answer, so that an
    attacker who can slow Redis down does not get unlimited guesses (each process counts on its own)."""

    def __init__(self) -> None:
        self._values: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def incr(self, key: str, ttl_s: int) -> int:
        with self._lock:
            count, until = self._live(key)
            self._values[key] = (count + 1, until or time.monotonic() + ttl_s)
            return count + 1

    def set(self, key: str, ttl_s: int) -> None:
        with self._lock:
            self._values[key] = (1, time.monotonic() + ttl_s)

    def ttl(self, key: str) -> int:
        with self._lock:
            _, until = self._live(key)
            return max(0, int(until - time.monotonic())) if until else 0

    def delete(self, key: str) -> None:
        with self._lock:
            self._values.pop(key, None)

    def _live(self, key: str) -> tuple[int, float]:
        count, until = self._values.get(key, (0, 0.0))
        if until and until <= time.monotonic():
            self._values.pop(key, None)
            return 0, 0.0
        return count, until


FALLBACK = LocalCounters()


class LoginThrottle:
    def __init__(self, redis: Redis, max_failures: int, lockout_s: int, fallback: LocalCounters = FALLBACK) -> None:
        self.redis = redis
        self.max_failures = max_failures
        self.lockout_s = lockout_s
        self.fallback = fallback

    def locked_for(self, email: str, address: str) -> int:
        """Seconds until the account or the address may try again; 0 if it may now."""
        keys = [_key("lock", email), _key("lock-ip", address)]
        local = max(self.fallback.ttl(k) for k in keys)
        try:
            return max(local, 0, *(self.redis.ttl(k) for k in keys))
        except RedisError as exc:
            log.warning("login throttle checks this process's counts only, Redis is unavailable: %s", exc)
            return local

    def failed(self, email: str, address: str) -> bool:
        """Count a failure; True when it locked the account or the address."""
        try:
            return self._failed(email, address, self._redis_count, self._redis_lock)
        except RedisError as exc:
            log.warning("login failures counted in this process, Redis is unavailable: %s", exc)
            return self._failed(
                email,
                address,
                lambda key: self.fallback.incr(key, self.lockout_s),
                lambda key: self.fallback.set(key, self.lockout_s),
            )

    def succeeded(self, email: str) -> None:
        self.fallback.delete(_key("fail", email))
        try:
            self.redis.delete(_key("fail", email))
        except RedisError as exc:
            log.warning("login throttle not cleared in Redis: %s", exc)

    def _failed(
        self, email: str, address: str, count: Callable[[str], int], lock: Callable[[str], object]
    ) -> bool:
        account, ip = count(_key("fail", email)), count(_key("fail-ip", address))
        locked = False
        if account >= self.max_failures:
            lock(_key("lock", email))
            locked = True
        if ip >= self.max_failures * ADDRESS_FACTOR:
            lock(_key("lock-ip", address))
            locked = True
        return locked

    def _redis_count(self, key: str) -> int:
        count = int(self.redis.incr(key))
        if count == 1:
            self.redis.expire(key, self.lockout_s)
        return count

    def _redis_lock(self, key: str) -> None:
        self.redis.set(key, 1, ex=self.lockout_s)


def within_rate(redis: Redis, name: str, who: str, limit: int, window_s: int) -> bool:
    """True while ``who`` has made at most ``limit`` calls of ``name`` in the current window."""
    key = f"wb:rate:{name}:{hashlib.sha256(who.encode()).hexdigest()[:24]}"
    try:
        count = int(redis.incr(key))
        if count == 1:
            redis.expire(key, window_s)
        return count <= limit
    except RedisError as exc:
        log.warning("rate limit counted in this process, Redis is unavailable: %s", exc)
        return FALLBACK.incr(key, window_s) <= limit
