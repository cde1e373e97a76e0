"""The RQ worker of ``wattboard up`` (a thread that runs a burst of whatever is queued, every second) and the one
tests and commands run in place: a queued job is done within seconds, every time, and a burst ends at once."""

from __future__ import annotations

import operator
import threading
import time

from redis import Redis
from rq import Queue

from runtime.rq_runner import InlineWorker, run_worker_thread
from tests.helpers import wait_for


def test_jobs_queued_one_after_another_are_each_done_within_seconds(redis_url: str) -> None:
    """A worker's end used to wait up to a minute for its listener of commands (RQ waits 60 s on a channel it has
    just left): the worker thread of ``wattboard up`` then left queued jobs waiting — about one burst in three."""
    conn = Redis.from_url(redis_url)
    queue = Queue("test-runner", connection=conn)
    stop = threading.Event()
    thread = threading.Thread(target=run_worker_thread, args=(conn, stop, 0.1, ("test-runner",)), daemon=True)
    thread.start()
    try:
        for n in range(8):
            job = queue.enqueue(operator.add, n, 1)
            wait_for(lambda job=job: job.get_status(refresh=True) == "finished", timeout=10, interval=0.05)
            assert job.return_value() == n + 1
    finally:
        stop.set()
        thread.join(15)
    assert not thread.is_alive()

    for n in range(5):  # as the tests and one-off commands run queued jobs: the burst returns when the queue is empty
        queue.enqueue(operator.add, n, 1)
        began = time.monotonic()
        InlineWorker([queue], connection=conn).work(burst=True, logging_level="WARNING")
        assert time.monotonic() - began < 10 and queue.count == 0
