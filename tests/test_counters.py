"""A web request reads the data versions' counters once, at its first look, and afresh after a commit of its own: it
works with the values of its start, and what it keeps under them is never older than they say."""

from __future__ import annotations

from data.queue.versions import POINTS, PRICES, one_reading


def test_a_request_reads_the_counters_of_its_start_and_afresh_after_its_own_commit(services) -> None:
    redis = services.redis
    with one_reading():
        points, prices = POINTS.current(redis), PRICES.current(redis)
        assert isinstance(points, int) and isinstance(prices, int)
        redis.incr(POINTS.key)  # another process's commit, after this request looked
        assert POINTS.current(redis) == points  # the request goes on with the values of its start
        PRICES.bump(redis)  # a commit of its own: every counter is read again
        assert PRICES.current(redis) == prices + 1 and POINTS.current(redis) == points + 1
        redis.incr(PRICES.key)
        assert PRICES.current(redis) == prices + 1
    assert PRICES.current(redis) == prices + 2  # outside a request: the value now, at every look
    with one_reading():  # the next request: the values now
        assert PRICES.current(redis) == prices + 2 and POINTS.current(redis) == points + 1
