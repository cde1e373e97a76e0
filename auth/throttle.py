"""Login throttling and temporary lockout, and simple rate limits, kept in Redis.

Every failed login counts against the account and against the address it came from. At
``login_max_failures`` failures for the account (four times as many for an address, which many people may
share behind one NAT) further attempts are refused for ``lockout_minutes`` — even with the right password.
A success clears the account's count. If Redis is unreachable the check is skipped and logged: a Redis
outage must not lock every user out.
"""

from __future__ import annotations

import hashlib
import logging

from redis import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
ADDRESS_FACTOR = 4


def _key(kind: str, value: str) -> str:
    return f"wb:login:{kind}:{hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]}"


class LoginThrottle:
    def __init__(self, redis: Redis, max_failures: int, lockout_s: int) -> None:
        self.redis = redis
        self.max_failures = max_failures
        self.lockout_s = lockout_s

    def locked_for(self, email: str, address: str) -> int:
        """Seconds until the account or the address may try again; 0 if it may now."""
        try:
            ttls = [self.redis.ttl(_key("lock", email)), self.redis.ttl(_key("lock-ip", address))]
        except RedisError as exc:
            log.warning("login throttle skipped: %s", exc)
            return 0
        return max(0, *ttls)

    def failed(self, email: str, address: str) -> bool:
        """Count a failure; True when it locked the account or the address."""
        try:
            account = self._count(_key("fail", email))
            ip = self._count(_key("fail-ip", address))
            locked = False
            if account >= self.max_failures:
                self.redis.set(_key("lock", email), 1, ex=self.lockout_s)
                locked = True
            if ip >= self.max_failures * ADDRESS_FACTOR:
                self.redis.set(_key("lock-ip", address), 1, ex=self.lockout_s)
                locked = True
            return locked
        except RedisError as exc:
            log.warning("login throttle skipped: %s", exc)
            return False

    def succeeded(self, email: str) -> None:
        try:
            self.redis.delete(_key("fail", email))
        except RedisError as exc:
            log.warning("login throttle skipped: %s", exc)

    def _count(self, key: str) -> int:
        count = int(self.redis.incr(key))
        if count == 1:
            self.redis.expire(key, self.lockout_s)
        return count


def within_rate(redis: Redis, name: str, who: str, limit: int, window_s: int) -> bool:
    """True while ``who`` has made at most ``limit`` calls of ``name`` in the current window."""
    key = f"wb:rate:{name}:{hashlib.sha256(who.encode()).hexdigest()[:24]}"
    try:
        count = int(redis.incr(key))
        if count == 1:
            redis.expire(key, window_s)
        return count <= limit
    except RedisError as exc:
        log.warning("rate limit skipped: %s", exc)
        return True
