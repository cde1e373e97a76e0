"""Progress of long work that several RQ jobs share (points done of total), kept in Redis so a page reload
finds it again: ``wb:progress:<key>`` is a hash, ``wb:progress:current:<scope>`` names the newest run of a scope."""

from __future__ import annotations

import time
from typing import Any

from redis import Redis

TTL_S = 3 * 86_400


def start(conn: Redis, key: str, total: int, scope: str, **fields: Any) -> None:
    hash_key = f"wb:progress:{key}"
    pipe = conn.pipeline()
    mapping: dict[str, Any] = {"total": total, "done": 0, "failed": 0, "started": time.time(), **fields}
    pipe.hset(hash_key, mapping=mapping)  # type: ignore[arg-type]  # redis-py's stubs want a union-typed key
    pipe.expire(hash_key, TTL_S)
    pipe.set(f"wb:progress:current:{scope}", key, ex=TTL_S)
    pipe.execute()


def advance(conn: Redis, key: str, done: int = 0, failed: int = 0) -> tuple[int, int, int]:
    """Count finished items; returns (done, failed, total) after the change."""
    hash_key = f"wb:progress:{key}"
    pipe = conn.pipeline()
    pipe.hincrby(hash_key, "done", done)
    pipe.hincrby(hash_key, "failed", failed)
    pipe.hget(hash_key, "total")
    new_done, new_failed, total = pipe.execute()
    return int(new_done), int(new_failed), int(total or 0)


def finish(conn: Redis, key: str, **fields: Any) -> None:
    mapping: dict[str, Any] = {"finished": time.time(), **fields}
    conn.hset(f"wb:progress:{key}", mapping=mapping)  # type: ignore[arg-type]  # as above


def read(conn: Redis, key: str) -> dict[str, str]:
    raw = conn.hgetall(f"wb:progress:{key}")
    return {_text(k): _text(v) for k, v in raw.items()}


def _text(value: object) -> str:
    """What Redis answered, as text (the connections here do not decode answers themselves)."""
    return value.decode() if isinstance(value, bytes) else str(value)


def current(conn: Redis, scope: str) -> str | None:
    value = conn.get(f"wb:progress:current:{scope}")
    return _text(value) if value else None


def mark_changed(conn: Redis, name: str, ids: list[int], at: float | None = None) -> None:
    """Note that these items changed now (a later mark moves the time on)."""
    if ids:
        moment = at if at is not None else time.time()
        conn.zadd(f"wb:changed:{name}", {str(i): moment for i in ids})


def take_quiet(conn: Redis, name: str, quiet_s: float, now: float | None = None) -> list[int]:
    """Items that changed and then stayed unchanged for ``quiet_s`` seconds; they are taken off the list."""
    key = f"wb:changed:{name}"
    cutoff = (now if now is not None else time.time()) - quiet_s
    items = [int(_text(i)) for i in conn.zrangebyscore(key, 0, cutoff)]
    if items:
        conn.zrem(key, *[str(i) for i in items])
    return items


def release(conn: Redis, key: str) -> None:
    conn.delete(f"wb:claim:{key}")


def sample(conn: Redis, name: str, value: float, now: float, window_s: float) -> float | None:
    """Remember ``value`` at ``now``; returns the oldest value remembered within ``window_s`` before (None at first)."""
    key = f"wb:samples:{name}"
    pipe = conn.pipeline()
    pipe.zadd(key, {f"{now}:{value}": now})
    pipe.zremrangebyscore(key, 0, now - 2 * window_s)
    pipe.zrangebyscore(key, now - window_s, now, start=0, num=1)
    pipe.expire(key, int(4 * window_s))
    oldest = pipe.execute()[2]
    if not oldest:
        return None
    return float(oldest[0].decode().split(":", 1)[1])


def claim(conn: Redis, key: str, ttl_s: int) -> bool:
    """True for the first caller until ``release`` or ``ttl_s`` seconds (a lock for single-flight jobs)."""
    return bool(conn.set(f"wb:claim:{key}", 1, nx=True, ex=ttl_s))
