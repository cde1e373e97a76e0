"""What runs on a schedule (registered with RQ's cron scheduler)."""

from __future__ import annotations

from rq.cron import CronScheduler

from workers import jobs


def register_jobs(scheduler: CronScheduler) -> None:
    scheduler.register(jobs.refresh_device_status, queue_name="default", interval=60)
    scheduler.register(jobs.poll_due_partners, queue_name="ingest", interval=30)
