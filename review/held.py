"""Readings held as implausible: holding them at ingestion, and an operator's accept or reject.

Accepted readings are published to the readings topic like any partner batch (the ingestion consumer stores
them, with the version they arrived with); rejected ones go to the dead-letter topic with the operator's name.
Both decisions are audited. Only administrators and operators see or decide.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass

import numpy as np

from alerts.events import firing, publish
from auth.principal import AccessDenied, Principal
from caching.answers import everything_changed
from data.clickhouse.readings import hourly_p99
from data.messaging.broker import encode
from data.messaging.reading_batch import encode_columnar
from data.relational import audit
from data.relational import held_readings as repo
from data.relational.held_readings import HeldRow
from data.relational.meters import MeterInfo
from data.relational.meters import set_capacity as store_capacity
from data.relational.partners import PartnerRecord
from data.services import Services
from review.plausibility import Held, Limit, history_since, limits_from_history

log = logging.getLogger(__name__)
STAFF = ("admin", "operator")
LIMITS_TTL_S = 600.0  # a point's percentiles move slowly: recomputed at most every ten minutes


@dataclass
class _Cached:
    at: float
    limits: dict[tuple[str, int], Limit]


_cache: dict[int, _Cached] = {}
_cache_lock = threading.Lock()


def plausibility_limits(services: Services, meters: list[MeterInfo]) -> dict[tuple[str, int], Limit]:
    """The limits of these points from their own history (cached for ten minutes per point)."""
    now = time.monotonic()
    with _cache_lock:
        fresh = {m.id: _cache[m.id] for m in meters if m.id in _cache and now - _cache[m.id].at < LIMITS_TTL_S}
    missing = [m for m in meters if m.id not in fresh]
    if missing:
        settings = services.settings
        p99 = hourly_p99(services.store, [m.id for m in missing], history_since(dt.datetime.now(dt.UTC)))
        found = limits_from_history(missing, p99, settings.plausibility_factor, settings.plausibility_min_days)
        by_code: dict[str, dict[tuple[str, int], Limit]] = {}
        for key, limit in found.items():
            by_code.setdefault(key[0], {})[key] = limit
        with _cache_lock:
            for m in missing:
                fresh[m.id] = _cache[m.id] = _Cached(now, by_code.get(m.code, {}))
    return {key: limit for cached in fresh.values() for key, limit in cached.limits.items()}


def forget_limits() -> None:
    """Drop the cached limits (a test that rewrites history, or a capacity just changed)."""
    with _cache_lock:
        _cache.clear()


def hold_readings(
    services: Services, partner: PartnerRecord, batch_id: str, version: int, held: list[tuple[MeterInfo, Held]]
) -> None:
    """Keep implausible readings for an operator and ring the staff's bell once per batch."""
    repo.hold(
        services.db,
        partner.id,
        batch_id,
        version,
        [(m.id, h) for m, h in held],
    )
    codes = sorted({m.code for m, _ in held})
    event = firing(
        "held_readings",
        batch_id,
        partner.slug,
        link="/review",
        params={"count": len(held), "meters": ", ".join(codes[:5]) + (" …" if len(codes) > 5 else "")},
    )
    try:
        publish(services, [event])
    except Exception as exc:  # the readings are held either way; the review page lists them
        log.warning("the staff were not told of %d held readings (%s)", len(held), exc)


def _staff(principal: Principal) -> None:
    if principal.role not in STAFF:
        raise AccessDenied("only administrators and operators review held readings")


def held_for_review(
    services: Services, principal: Principal, organization_id: int | None, decided: bool = False
) -> list[HeldRow]:
    """Held readings (or, with ``decided``, the decided ones) of one organization or of all."""
    _staff(principal)
    states = ("accepted", "rejected") if decided else ("held",)
    return repo.list_held(services.db, [organization_id] if organization_id else None, states)


def accept(services: Services, principal: Principal, ids: list[int]) -> int:
    """Store these held readings after all; returns how many were accepted (already decided ones are skipped)."""
    _staff(principal)
    decided = repo.decide(services.db, ids, "accepted", principal.email)
    rows = repo.held_by_ids(services.db, decided)
    by_series: dict[tuple[str, int, str, str, int], list[HeldRow]] = {}
    for row in rows:
        by_series.setdefault((row.code, row.interval_s, row.partner, row.batch_id, row.version), []).append(row)
    for (code, interval, partner, batch, version), series in by_series.items():
        series.sort(key=lambda r: r.ts)
        services.producer.send(
            services.topics.readings,
            key=code.encode(),
            value=encode_columnar(
                code,
                partner,
                batch,
                version,
                interval,
                np.array([r.ts for r in series], dtype=np.int64),
                np.array([r.value for r in series], dtype=np.float64),
                np.array([r.status for r in series], dtype=np.int64),
            ),
        )
    services.producer.flush(timeout=30)
    _audit(services, principal, "review.accepted", rows)
    return len(rows)


def reject(services: Services, principal: Principal, ids: list[int]) -> int:
    """Refuse these held readings for good: they go to the dead-letter topic with who refused them."""
    _staff(principal)
    rows = repo.held_by_ids(services.db, repo.decide(services.db, ids, "rejected", principal.email))
    at = dt.datetime.now(dt.UTC).isoformat()
    for row in rows:
        letter = {
            "stage": "review",
            "reason": f"rejected by {principal.email} on review: {row.reason}",
            "partner": row.partner,
            "batch": row.batch_id,
            "record": {"meter": row.code, "ts": row.ts, "value": row.value, "interval_s": row.interval_s},
            "raw": None,
            "at": at,
        }
        services.producer.send(services.topics.readings_dlq, key=row.partner.encode(), value=encode(letter))
    services.producer.flush(timeout=30)
    _audit(services, principal, "review.rejected", rows)
    return len(rows)


def _audit(services: Services, principal: Principal, action: str, rows: list[HeldRow]) -> None:
    if not rows:
        return
    audit.log(
        services,
        principal.email,
        action,
        ", ".join(sorted({r.batch_id for r in rows})),
        details={"count": len(rows), "meters": sorted({r.code for r in rows}), "ids": [r.id for r in rows]},
    )


def set_capacity(services: Services, principal: Principal, code: str, max_power_kw: float | None) -> float | None:
    """A point's connection capacity in kW (None: unknown), above which a reading is held: staff only, audited.
    Returns the capacity it had; raises LookupError for an unknown point, ValueError for a capacity that is not one."""
    _staff(principal)
    before = store_capacity(services.db, code, max_power_kw)
    forget_limits()
    everything_changed(services)  # the capacity prices a business point's month
    audit.log(services, principal.email, "meters.capacity", target=code, details={"before": before, "kw": max_power_kw})
    return before
