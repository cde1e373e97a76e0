"""Compute once, share by key: the key is the answer's name, the organizations whose data it reads with their data
versions, and the arguments that shape it (the points, the range, the hour it was asked in)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import pickle
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from data.queue import answer_cache as store
from data.queue.answer_cache import ANYONE as ANYONE  # for answers over every organization
from data.relational.meters import MeterInfo, organizations_of
from data.services import Services

T = TypeVar("T")
COMPUTING_S = 30  # a request computing an answer holds its claim at most this long (it may have died)
WAIT_S = 10.0  # how long a request waits for an answer another one is computing, before computing it itself
POLL_S = 0.05
log = logging.getLogger(__name__)


def cached(
    services: Services,
    name: str,
    organizations: Iterable[int],
    args: object,
    compute: Callable[[], T],
    keep_s: int | None = None,
) -> T:
    """``compute()``'s answer, or the one computed before for the same ``args`` at the organizations' current data
    versions (:data:`ANYONE` among them: at every organization's). ``args`` must name everything the answer depends
    on besides the data (points, range, hour, language when it holds words) by a stable ``repr``. It is kept
    ``keep_s`` seconds at most (``WATTBOARD_ANSWER_CACHE_S``, or less: an answer keyed by the minute is of no use
    after it)."""
    if not _on(services):
        return compute()
    ttl = min(services.settings.answer_cache_s, keep_s or services.settings.answer_cache_s)
    orgs = sorted(set(organizations))
    try:
        redis = services.redis
        versions = store.versions(redis, orgs)
        key = f"{name}:{hashlib.sha256(repr((code_fingerprint(), orgs, versions, args)).encode()).hexdigest()[:32]}"
        hit = store.get(redis, key)
    except store.UNAVAILABLE as exc:  # no cache today: the figures are still right, only slower
        log.debug("answer cache unavailable: %s", exc)
        return compute()
    if hit is not None:
        return _loaded(hit)
    try:
        first = store.claim(redis, key, COMPUTING_S)
    except store.UNAVAILABLE:
        first = True
    if not first:  # another request is computing the same answer (users arriving together): wait for it
        hit = _wait(redis, key)
        if hit is not None:
            return _loaded(hit)
    try:
        value = compute()
        with contextlib.suppress(*store.UNAVAILABLE):  # not kept: the next request computes it again
            store.put(redis, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), ttl)
    finally:
        if first:  # the waiting requests compute it themselves if this one failed
            with contextlib.suppress(*store.UNAVAILABLE):
                store.release(redis, key)
    return value


def _on(services: Services) -> bool:
    """Whether there is a cache: it is not turned off, and this process has a Redis (a benchmark or a one-off command
    may have none)."""
    return services.settings.answer_cache_s > 0 and bool(services.redis_url)


@functools.cache
def code_fingerprint() -> str:
    """A digest of the running code: answers are pickled objects, and a release that changes their classes must not
    read the ones an older release kept (nor an older one a newer one's, while both run during a rollout)."""
    root = Path(__file__).resolve().parent.parent
    packages = [d for d in root.iterdir() if (d / "__init__.py").exists() and d.name not in ("tests", "bench")]
    digest = hashlib.sha256()
    for path in sorted(p for package in packages for p in package.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _loaded(raw: bytes) -> Any:
    return pickle.loads(raw)  # noqa: S301 — written by our own workers under our own key


def _wait(redis: Any, key: str) -> bytes | None:
    """The answer another request is computing, once it is there (None after :data:`WAIT_S`: compute it too)."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        time.sleep(POLL_S)
        try:
            hit = store.get(redis, key)
        except store.UNAVAILABLE:
            return None
        if hit is not None:
            return hit
    return None


def cached_for_points(
    services: Services, name: str, meters: Sequence[MeterInfo], args: object, compute: Callable[[], T]
) -> T:
    """:func:`cached` for an answer computed from these points (already checked as the caller's to see): keyed by the
    points with their settings (a changed plan, region or category is another answer) and their organizations."""
    return cached(services, name, {m.organization_id for m in meters}, (tuple(meters), args), compute)


def changed(services: Services, organization_ids: Iterable[int]) -> None:
    """The data of these organizations changed: answers computed before are not used again. Never raises: without
    Redis there is no cache to keep fresh."""
    ids = set(organization_ids)
    if not ids or not _on(services):
        return
    try:
        store.bump(services.redis, ids)
    except store.UNAVAILABLE as exc:
        log.warning("could not mark organizations %s as changed: %s", sorted(ids), exc)


def changed_points(services: Services, meter_ids: Iterable[int]) -> None:
    """The readings of these points changed."""
    ids = list(set(meter_ids))
    if ids and _on(services):
        changed(services, organizations_of(services.db, ids))


def everything_changed(services: Services) -> None:
    """Data every answer reads changed (prices, tariffs): no answer computed before is used again."""
    changed(services, [store.EVERYONE])
