"""RQ worker and cron scheduler, either as their own processes or as threads of ``wattboard up``."""

from __future__ import annotations

import logging
import threading

from redis import Redis
from rq import SimpleWorker, Worker
from rq.cron import CronScheduler
from rq.timeouts import TimerDeathPenalty

from data.queue import QUEUE_NAMES
from workers.schedule import register_jobs

log = logging.getLogger(__name__)


class ThreadWorker(SimpleWorker):
    """Runs jobs in this process without touching signal handlers (it lives in a thread)."""

    death_penalty_class = TimerDeathPenalty  # SIGALRM works only in the main thread

    def _install_signal_handlers(self) -> None:
        pass


def run_worker_thread(
    conn: Redis, stop: threading.Event, poll_s: float = 1.0, queues: tuple[str, ...] = QUEUE_NAMES
) -> None:
    worker = ThreadWorker(list(queues), connection=conn)
    while not stop.is_set():
        try:
            worker.work(burst=True, logging_level="WARNING")
        except Exception as exc:
            log.warning("RQ worker: %s; retrying", exc)
        stop.wait(poll_s)


def run_scheduler_thread(conn: Redis, stop: threading.Event) -> None:
    scheduler = CronScheduler(connection=conn, logging_level="WARNING")
    register_jobs(scheduler)
    while not stop.is_set():
        try:
            scheduler.enqueue_jobs()
        except Exception as exc:
            log.warning("RQ scheduler: %s; retrying", exc)
        stop.wait(1.0)


def run_worker_process(conn: Redis, queues: tuple[str, ...] = QUEUE_NAMES) -> None:
    Worker(list(queues), connection=conn).work(with_scheduler=False)


def run_scheduler_process(conn: Redis) -> None:
    scheduler = CronScheduler(connection=conn)
    register_jobs(scheduler)
    scheduler.start()
