"""RQ worker and cron scheduler, either as their own processes or as threads of ``wattboard up``."""

from __future__ import annotations

import logging
import threading
from typing import Any

from redis import Redis
from rq import SimpleWorker, Worker
from rq.cron import CronScheduler
from rq.timeouts import TimerDeathPenalty

from data.queue import QUEUE_NAMES
from workers.schedule import register_jobs

log = logging.getLogger(__name__)
COMMANDS_POLL_S = 0.5  # how often a worker's listener for commands wakes up (RQ's own: 60 s)


class PromptTeardown:
    """A worker listens for commands (stop a job, shut down) on a Redis channel, in a thread that RQ lets wait up to
    60 s for a message; when the worker ends it leaves the channel and redis-py (≥ 7) joins that thread, which may
    have just begun such a wait on the channel it left. So a worker's end took up to a minute — every burst of the
    worker thread of ``wattboard up`` (4 bursts in 10 stalled 60 s each), a shutdown, every RQ job a test ran. Here
    the listener wakes every :data:`COMMANDS_POLL_S`."""

    def subscribe(self: Any) -> None:
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=COMMANDS_POLL_S, daemon=True, exception_handler=self._pubsub_exception_handler
        )


class InlineWorker(PromptTeardown, SimpleWorker):
    """Runs jobs in the calling process (a burst of whatever is queued, as the tests and one-off commands do)."""


class ThreadWorker(InlineWorker):
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


class ProcessWorker(PromptTeardown, Worker):
    """RQ's forking worker, for ``wattboard worker``."""


def run_worker_process(conn: Redis, queues: tuple[str, ...] = QUEUE_NAMES) -> None:
    ProcessWorker(list(queues), connection=conn).work(with_scheduler=False)


def run_scheduler_process(conn: Redis) -> None:
    scheduler = CronScheduler(connection=conn)
    register_jobs(scheduler)
    scheduler.start()
