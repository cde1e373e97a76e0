"""RQ jobs. A job process binds its :class:`Services` once (``bind``); jobs use them from there."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from data.queue import queue
from data.services import Services

log = logging.getLogger(__name__)

_services: Services | None = None

STALE_AFTER = dt.timedelta(minutes=15)
OFFLINE_AFTER = dt.timedelta(hours=6)


def bind(services: Services) -> None:
    global _services
    _services = services


def services() -> Services:
    if _services is None:
        raise RuntimeError("workers.jobs.bind(services) was not called in this process")
    return _services


def refresh_device_status() -> dict[str, int]:
    """Devices not heard from turn stale after 15 minutes and offline after 6 hours (an alert)."""
    from detection.scan import mark_silent_devices

    counts = mark_silent_devices(services(), dt.datetime.now(dt.UTC), STALE_AFTER, OFFLINE_AFTER)
    if any(counts.values()):
        log.info("device status: %s", counts)
    return counts


def pull_weather() -> dict[str, object]:
    """Hourly temperatures of every place with a metering point: the last days observed, the days ahead forecast."""
    from weather.pull import pull_weather as pull

    summary = pull(services())
    if summary.failed:
        log.warning("weather: %d places fetched, failed: %s", summary.places, summary.failed)
    return {"places": summary.places, "hours": summary.hours, "failed": summary.failed}


def send_monthly_reports() -> list[int]:
    """In the first days of a month: queue last month's letter of every organization with readers who opted in
    (each reader gets it once; a later run sends only what an earlier one could not)."""
    from reports.monthly import due_organizations

    due = due_organizations(services(), dt.datetime.now(dt.UTC))
    delivery = queue(services().redis, "delivery")
    for org in due:
        delivery.enqueue(send_monthly_report, org, job_timeout=300)
    return due


def send_monthly_report(
    organization_id: int, month: str | None = None, user_id: int | None = None
) -> dict[str, object]:
    """One organization's letter: to its readers, or (asked for on the overview) to ``user_id`` again."""
    from reports.monthly import SYSTEM, send_monthly

    summary = send_monthly(
        services(),
        SYSTEM,
        organization_id,
        dt.date.fromisoformat(month) if month else None,
        only_user=user_id,
        again=user_id is not None,
    )
    return {"month": summary.month.isoformat(), "sent": summary.sent, "failed": summary.failed}


def poll_telegram() -> dict[str, object]:
    """Link the chats whose messages to the bot carry a valid code (nothing to do without a bot token)."""
    from telegram.actions import poll

    summary = poll(services())
    return {"read": summary.read, "linked": summary.linked, "refused": summary.refused, "error": summary.error}


def poll_due_partners() -> list[str]:
    """Enqueue a poll for every partner whose interval or cron schedule is due."""
    from partners.polling import due_partners

    now = dt.datetime.now(dt.UTC)
    due = due_partners(services(), now)
    ingest = queue(services().redis, "ingest")
    for slug in due:
        job_id = f"poll-{slug}-{int(now.timestamp()) // 30}"
        ingest.enqueue(poll_partner, slug, job_id=job_id, job_timeout=POLL_TIMEOUT_S)
    return due


def poll_partner(slug: str) -> dict[str, object]:
    from partners.polling import poll_now

    summary = poll_now(services(), slug)
    return {
        "pages": summary.pages,
        "accepted": summary.accepted,
        "rejected": summary.rejected,
        "errors": summary.errors,
    }


def backfill_partner(slug: str, start: str, end: str) -> dict[str, object]:
    """Backfill ``[start, end)`` a day at a time; progress goes to the job's meta for the page to show."""
    from rq import get_current_job

    from partners.polling import backfill_by_slug

    job = get_current_job()

    def progress(share: float, summary: Any) -> None:  # partners.polling's summary so far
        if job is not None:
            job.meta.update(progress=round(share, 4), accepted=summary.accepted, rejected=summary.rejected)
            job.save_meta()

    begin, until = dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end)
    summary = backfill_by_slug(services(), slug, begin, until, progress)
    return {
        "pages": summary.pages,
        "accepted": summary.accepted,
        "rejected": summary.rejected,
        "errors": summary.errors[:20],
    }


POLL_TIMEOUT_S = 600
BACKFILL_TIMEOUT_S = 6 * 3600  # a year of a large partner's history; the ingest workers' grace period covers it


def enqueue_backfill(svc: Services, slug: str, start: dt.datetime, end: dt.datetime) -> str:
    job = queue(svc.redis, "ingest").enqueue(
        backfill_partner,
        slug,
        start.isoformat(),
        end.isoformat(),
        job_timeout=BACKFILL_TIMEOUT_S,
        result_ttl=86_400,
        meta={"progress": 0.0, "slug": slug},
    )
    return job.id


def job_progress(svc: Services, job_id: str) -> dict[str, object]:
    """Status, share done and the result or error of an RQ job, for a progress bar."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        job = Job.fetch(job_id, connection=svc.redis)
    except NoSuchJobError:
        return {"status": "missing", "progress": 0.0}
    status = job.get_status(refresh=True)
    info: dict[str, object] = {
        "status": str(getattr(status, "value", status)),
        "progress": job.meta.get("progress", 0.0),
        "accepted": job.meta.get("accepted", 0),
        "rejected": job.meta.get("rejected", 0),
    }
    if job.is_finished:
        info["result"] = job.return_value()
        info["progress"] = 1.0
    if job.is_failed:
        result = job.latest_result()
        info["error"] = (result.exc_string or "").strip().splitlines()[-1] if result and result.exc_string else "failed"
    return info


# A pending sign-up is retried with growing pauses (about 2 days in all), then left to an admin.
VERIFY_RETRY_INTERVALS = [30, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 24 * 3600]


def verify_signup(user_id: int) -> str:
    """Check a pending sign-up against the registries again; raises while they cannot answer, so RQ retries."""
    from auth.signup import recheck_signup

    return recheck_signup(services(), user_id)


def enqueue_verification(svc: Services, user_id: int) -> str:
    from rq import Retry

    job = queue(svc.redis, "default").enqueue(
        verify_signup,
        user_id,
        retry=Retry(max=len(VERIFY_RETRY_INTERVALS), interval=VERIFY_RETRY_INTERVALS),
        job_id=f"verify-signup-{user_id}",
        result_ttl=7 * 86_400,
        failure_ttl=30 * 86_400,
    )
    return job.id


def refresh_recommendations(organization_id: int) -> dict[str, int]:
    """After a forecast run: the organization's recommendations from its fresh data and forecasts."""
    from advice.service import refresh

    return refresh(services(), organization_id)


def warm_answers() -> dict[str, float]:
    """What readers open first, computed where new readings, a new hour or a new release left it uncomputed."""
    from warming.overview import warm

    return warm(services())
