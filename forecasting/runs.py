"""A forecast run over an organization: its points in chunks on the RQ ``forecast`` queue, then the organization
total, then the recommendations that read the new forecasts. Progress (points done / total) lives in Redis under
the run's key, and the organization's newest run can be found again after a page reload.

The job functions themselves are in ``workers.forecast_jobs``; they call :func:`forecast_points` and
:func:`finish_run` here. Jobs are enqueued by their dotted path.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from data.queue import enqueue, progress
from data.relational.meters import list_meters, list_organizations, meters_by_ids
from data.services import Services
from forecasting.service import forecast_subject, meter_subject, organization_subject

log = logging.getLogger(__name__)

CHUNK = 25  # points per job: small enough to spread over the workers, large enough to keep the queue short
JOB_TIMEOUT_S = 1200  # a chunk of 25 points fits in well under a minute; the workers' grace period covers this
QUIET_S = 120  # a backfill or a correction re-forecasts a point once its history has been still this long
POINTS_JOB = "workers.forecast_jobs.forecast_points"
FINISH_JOB = "workers.forecast_jobs.finish_run"
ADVICE_JOB = "workers.jobs.refresh_recommendations"


@dataclass(frozen=True)
class RunProgress:
    key: str
    organization_id: int
    total: int
    done: int
    failed: int
    reason: str
    finished: bool

    @property
    def share(self) -> float:
        return (self.done + self.failed) / self.total if self.total else 1.0


def scope(organization_id: int) -> str:
    return f"forecast:{organization_id}"


def start_run(
    services: Services, organization_id: int, meter_ids: list[int] | None = None, reason: str = "nightly"
) -> str:
    """Queue forecasts of the organization's points (all, or ``meter_ids``) and then its total; the run's key."""
    meters = list_meters(services.db, organization_id)
    if meter_ids is not None:
        wanted = set(meter_ids)
        meters = [m for m in meters if m.id in wanted]
    key = f"fc-{organization_id}-{uuid.uuid4().hex[:10]}"
    progress.start(
        services.redis,
        key,
        total=len(meters) + 1,
        scope=scope(organization_id),
        organization=organization_id,
        reason=reason,
    )
    ids = [m.id for m in meters]
    for i in range(0, len(ids), CHUNK):
        enqueue(
            services.redis, "forecast", POINTS_JOB, key, organization_id, ids[i : i + CHUNK], job_timeout=JOB_TIMEOUT_S
        )
    if not ids:
        enqueue(services.redis, "forecast", FINISH_JOB, key, organization_id, job_timeout=JOB_TIMEOUT_S)
    log.info("forecast run %s: %d points of organization %d (%s)", key, len(ids), organization_id, reason)
    return key


def forecast_points(services: Services, key: str, organization_id: int, meter_ids: list[int]) -> dict[str, float]:
    """Forecast each point, counting progress; the chunk that finishes the last point queues the total."""
    timing = {"points": 0, "fit_s": 0.0, "predict_s": 0.0, "fits": 0, "failed": 0}
    for meter in meters_by_ids(services.db, meter_ids):
        try:
            outcome = forecast_subject(services, meter_subject(meter))
            timing["points"] += 1
            timing["fit_s"] += outcome.fit_s
            timing["predict_s"] += outcome.predict_s
            timing["fits"] += outcome.fits
            done, failed, total = progress.advance(services.redis, key, done=1)
        except Exception:
            log.exception("forecast of %s failed", meter.code)
            timing["failed"] += 1
            done, failed, total = progress.advance(services.redis, key, failed=1)
        if done + failed == total - 1:
            enqueue(services.redis, "forecast", FINISH_JOB, key, organization_id, job_timeout=JOB_TIMEOUT_S)
    return timing


def finish_run(services: Services, key: str, organization_id: int) -> str:
    """The organization total, then the recommendations job."""
    subject = organization_subject(services, organization_id)
    status = "done"
    try:
        if subject is not None:
            forecast_subject(services, subject)
        progress.advance(services.redis, key, done=1)
    except Exception:
        log.exception("forecast of organization %d's total failed", organization_id)
        progress.advance(services.redis, key, failed=1)
        status = "failed"
    enqueue(services.redis, "forecast", ADVICE_JOB, organization_id, job_timeout=JOB_TIMEOUT_S)
    progress.finish(services.redis, key, status=status)
    return status


def nightly(services: Services) -> list[str]:
    """A run for every organization that has metering points."""
    return [
        start_run(services, org_id, reason="nightly")
        for org_id, _ in list_organizations(services.db)
        if list_meters(services.db, org_id)
    ]


def note_changed_history(services: Services, meter_ids: list[int]) -> None:
    """A backfill or a large correction changed these points' history: forecast them again once it settles."""
    progress.mark_changed(services.redis, "forecast", meter_ids)


def refresh_changed(services: Services) -> list[str]:
    """Runs for the points whose history changed and has been quiet for a while (one run per organization)."""
    ids = progress.take_quiet(services.redis, "forecast", QUIET_S)
    by_org: dict[int, list[int]] = {}
    for meter in meters_by_ids(services.db, ids):
        by_org.setdefault(meter.organization_id, []).append(meter.id)
    return [start_run(services, org_id, meter_ids, "history changed") for org_id, meter_ids in by_org.items()]


def run_progress(services: Services, organization_id: int) -> RunProgress | None:
    """The organization's newest run, or None."""
    key = progress.current(services.redis, scope(organization_id))
    if key is None:
        return None
    fields = progress.read(services.redis, key)
    if not fields:
        return None
    return RunProgress(
        key=key,
        organization_id=organization_id,
        total=int(fields.get("total", 0)),
        done=int(fields.get("done", 0)),
        failed=int(fields.get("failed", 0)),
        reason=fields.get("reason", ""),
        finished="finished" in fields,
    )
