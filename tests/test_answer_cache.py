"""The figures shared between web workers through Redis: one organization never receives another's cached answer,
and readings that land through the ingestion consumer — a correction, a late backfill — show on the very next
request, while a request without new data is answered from the cache."""

from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from analytics.series import opening_days
from auth.inn import complete_inn
from caching.answers import cached, changed
from data.messaging.reading_batch import encode_columnar
from data.queue import answer_cache, progress, queue
from data.services import Services
from runtime.rq_runner import InlineWorker
from tests.dash_client import DashClient
from tests.helpers import login, make_user, wait_for
from tests.pages_world import GAP_DAY, MSK, PER_HOUR, World, seed
from warming.overview import LOCK, warm
from workers import jobs


@pytest.fixture
def world(services) -> World:
    return seed(services)


def _kwh(value: float) -> str:
    return f"{value:,.1f} кВт·ч".replace(",", " ").replace(".", ",")


def _month(dash: DashClient, org: int | None = None) -> str:
    out = dash.outputs("ov-month.children", {"org-switch.value": org})
    return str(out["ov-month.children"])


def _total_of(dash: DashClient, code: str, first: dt.date, last: dt.date) -> float:
    """The consumption page's «Итого за период» for one point and the local days [first, last], in kWh."""
    out = dash.outputs(
        "cons-archive.figure",
        {
            "cons-meter.value": [code],
            "cons-range.start_date": first.isoformat(),
            "cons-range.end_date": last.isoformat(),
            "cons-step.value": "day",
            "cons-compare.value": [],
            "org-switch.value": None,
        },
    )
    text = str(out["cons-total.children"]).split(":")[1]
    return float(text.replace("кВт·ч", "").replace("\u00a0", "").replace(" ", "").replace(",", "."))


def _cached_answers(services) -> int:
    """The figures kept (not the callbacks' whole answers built from them: dashboard.shared_answer)."""
    return sum(1 for key in services.redis.scan_iter(f"{answer_cache.ANSWER}*") if b":callback:" not in key)


def _callback_answers(services) -> int:
    return sum(1 for _ in services.redis.scan_iter(f"{answer_cache.ANSWER}callback:*"))


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_one_organization_never_receives_anothers_cached_answer(services, live_app, world) -> None:
    alfa, beta = (DashClient(live_app.app, live_app.url, login(live_app.url, e)) for e in ("a@alfa.ru", "b@beta.ru"))
    admin = DashClient(live_app.app, live_app.url, login(live_app.url, "admin@w.ru"))
    hours_this_month = _month_hours(world)
    alfa_month = _kwh(hours_this_month * (PER_HOUR["A-1"] + PER_HOUR["A-2"]))
    beta_month = _kwh(hours_this_month * PER_HOUR["B-1"])
    assert _month(alfa) == alfa_month
    cached = _cached_answers(services)
    assert cached >= 1  # Alfa's figures are in Redis now …
    assert _month(beta) == beta_month  # … and Beta gets its own, computed for it
    assert _month(beta, org=world.org_ids["A"]) == beta_month  # asking for Alfa's organization changes nothing
    assert _month(admin, org=world.org_ids["A"]) == alfa_month and _month(admin, org=world.org_ids["B"]) == beta_month
    assert _month(alfa) == alfa_month
    # Beta's answers to the same questions and nothing more. The administrator asking for an organization's points
    # gets the answer computed for those very points (what they may see was checked before the cache was asked).
    assert _cached_answers(services) == 2 * cached


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_a_pages_whole_answer_is_shared_only_by_readers_with_the_same_rights(services, live_app, world) -> None:
    make_user(services.db, "a2@alfa.ru", "consumer", complete_inn("771111111"))  # a colleague at Alfa
    first, colleague, beta, admin = (
        DashClient(live_app.app, live_app.url, login(live_app.url, e))
        for e in ("a@alfa.ru", "a2@alfa.ru", "b@beta.ru", "admin@w.ru")
    )
    week = (world.today - dt.timedelta(days=7), world.today - dt.timedelta(days=1))
    alfa_week = _total_of(first, "A-2", *week)
    assert alfa_week == pytest.approx(7 * 24 * PER_HOUR["A-2"])
    kept = _callback_answers(services)
    assert kept >= 1
    assert _total_of(colleague, "A-2", *week) == alfa_week and _callback_answers(services) == kept  # one answer, shared
    # Beta sends the very same values: an answer of its own (the point is not Beta's to see), never Alfa's
    values = {
        "cons-meter.value": ["A-2"],
        "cons-range.start_date": week[0].isoformat(),
        "cons-range.end_date": week[1].isoformat(),
        "cons-step.value": "day",
        "cons-compare.value": [],
        "org-switch.value": None,
    }
    refused = beta.outputs("cons-archive.figure", values)
    assert refused["cons-message.children"] == "Точка учёта не найдена или недоступна"
    assert refused["cons-total.children"] == "" and _callback_answers(services) == kept + 1
    assert _total_of(admin, "A-2", *week) == alfa_week and _callback_answers(services) == kept + 2  # the staff's own
    # keyed by the minute they were asked in, whole answers are kept two minutes, not the figures' hour
    lives = [services.redis.ttl(key) for key in services.redis.scan_iter(f"{answer_cache.ANSWER}callback:*")]
    assert lives and all(0 < life <= 120 for life in lives)


def _month_hours(world: World) -> int:
    """Whole hours of readings this month up to the last full hour (the world writes up to the current hour)."""
    return _hours_until_now(world, world.today.replace(day=1).isoformat())


def _hours_until_now(world: World, day: str) -> int:
    """Whole hours of readings from the start of a local day up to the last full hour."""
    start = max(dt.date.fromisoformat(day), world.first_day)
    now_hour = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    return int((now_hour - dt.datetime.combine(start, dt.time(0), MSK)).total_seconds() // 3600)


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_a_correction_and_a_late_backfill_show_on_the_next_request(services, live_app, world, running_consumer) -> None:
    beta = DashClient(live_app.app, live_app.url, login(live_app.url, "b@beta.ru"))
    alfa = DashClient(live_app.app, live_app.url, login(live_app.url, "a@alfa.ru"))
    week = (world.today - dt.timedelta(days=7), world.today - dt.timedelta(days=1))
    before = _total_of(beta, "B-1", *week)
    assert before == 7 * 24 * PER_HOUR["B-1"] and _total_of(beta, "B-1", *week) == before  # the second from the cache

    # A partner corrects yesterday's noon hour of B-1 from 5 to 50 kWh (a later version of the same reading).
    noon = dt.datetime.combine(week[1], dt.time(12), MSK)
    _publish_and_wait(services, world.org_ids["B"], "B-1", [int(noon.timestamp())], 50.0, version=2)
    assert _total_of(beta, "B-1", *week) == pytest.approx(before + 45.0)

    # History that never came arrives late: A-1's missing day, 24 hours of it, weeks after the fact.
    gap = world.first_day + dt.timedelta(days=GAP_DAY)
    around = (gap - dt.timedelta(days=1), gap + dt.timedelta(days=1))
    with_gap = _total_of(alfa, "A-1", *around)
    assert with_gap == pytest.approx(2 * 24 * PER_HOUR["A-1"])
    start = int(dt.datetime.combine(gap, dt.time(0), MSK).timestamp())
    _publish_and_wait(services, world.org_ids["A"], "A-1", [start + 3600 * h for h in range(24)], 3.0, version=1)
    assert _total_of(alfa, "A-1", *around) == pytest.approx(with_gap + 24 * 3.0)


def test_the_live_chart_shows_a_reading_on_the_first_tick_after_it_lands(services, live_app, world, running_consumer):
    beta = DashClient(live_app.app, live_app.url, login(live_app.url, "b@beta.ru"))

    def live(tick: int | None, cursor: object) -> dict:
        values = {"cons-meter.value": ["B-1"], "cons-live-tick.n_intervals": tick, "cons-live-cursor.data": cursor}
        return beta.outputs("cons-live.figure", values, "cons-live-tick.n_intervals" if tick else "cons-meter.value")

    opened = live(None, None)  # hourly readings only: none in the last 15 minutes, the chart says when the last was
    assert "Последнее:" in str(opened["cons-live.figure"]) and opened["cons-live-cursor.data"] is None
    assert live(None, None) == opened  # the next reader opening it: from the cache

    minute = int(time.time()) // 60 * 60
    _publish_and_wait(services, world.org_ids["B"], "B-1", [minute - 180], 0.05, version=1, interval=60)
    drawn = live(1, None)  # the tick after it landed draws it
    assert drawn["cons-live.figure"]["data"][0]["y"] == [3.0]  # 0.05 kWh in a minute: 3 kW
    cursor = drawn["cons-live-cursor.data"]
    assert live(2, cursor) == {}  # nothing newer: the page keeps its chart

    _publish_and_wait(services, world.org_ids["B"], "B-1", [minute - 120], 0.1, version=1, interval=60)
    appended = live(3, cursor)
    assert appended["cons-live-cursor.data"]["ts"] > cursor["ts"] and "6" in appended["cons-live-last.children"]


def _publish_and_wait(
    services, org: int, code: str, ts: list[int], value: float, version: int, interval: int = 3600
) -> None:
    """Send readings as a partner would, through the readings topic, and wait until the consumer has written them
    (its after-write step bumps the organization's data version)."""
    versions = answer_cache.versions(services.redis, [org])
    stamps = np.array(ts, dtype=np.int64)
    batch, values, statuses = f"fix-{version}-{ts[0]}", np.full(len(ts), value), np.zeros(len(ts), "u1")
    payload = encode_columnar(code, "test", batch, version, interval, stamps, values, statuses)
    services.producer.send(services.topics.readings, key=code.encode(), value=payload)
    services.producer.flush(timeout=30)
    wait_for(lambda: answer_cache.versions(services.redis, [org]) != versions, timeout=30)


def test_requests_arriving_together_compute_an_answer_once_and_no_redis_means_no_cache(services) -> None:
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        time.sleep(0.5)  # the overview of a large organization under load
        return 42

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: cached(services, "test", [1], ("same",), slow), range(4)))
    assert answers == [42] * 4 and len(calls) == 1  # three waited for the first one's answer

    unreachable = Services(services.settings, redis_url="redis://127.0.0.1:9/0")  # nothing listens there
    assert cached(unreachable, "test", [1], ("same",), lambda: 7) == 7  # computed, not refused
    changed(unreachable, [1])  # and a change to mark is not an error either


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_the_warming_job_computes_what_readers_open_first_before_they_ask(services, live_app, world) -> None:
    """The job every minute computes each organization's overview and forecast page (and the administrators' overview
    of all of them) and each point's consumption and analysis pages as they open, under the very key their readers ask
    with: after it, none of them is computed again — until new readings change an organization, and then the next run
    computes only what they changed."""
    jobs.bind(services)

    def run_the_job() -> None:
        queue(services.redis, "default").enqueue("workers.jobs.warm_answers")
        InlineWorker(["default"], connection=services.redis).work(burst=True, logging_level="WARNING")

    progress.claim(services.redis, LOCK, 60)  # a run still going (a world larger than a minute's work) …
    assert warm(services) == {"busy": 1} and _cached_answers(services) == 0  # … and the next leaves the work to it
    progress.release(services.redis, LOCK)
    run_the_job()
    warmed = _cached_answers(services)
    # two organizations' overviews (and whether each has data), devices, projections and forecasts; the
    # administrators' devices (their overview is the organizations', summed); three points' pages
    assert warmed >= 2 * 5 + 1 + 3 * 4
    alfa, beta = (DashClient(live_app.app, live_app.url, login(live_app.url, e)) for e in ("a@alfa.ru", "b@beta.ru"))
    admin = DashClient(live_app.app, live_app.url, login(live_app.url, "admin@w.ru"))
    hours = _month_hours(world)
    alfa_month, beta_month = _kwh(hours * (PER_HOUR["A-1"] + PER_HOUR["A-2"])), _kwh(hours * PER_HOUR["B-1"])
    assert _month(alfa) == alfa_month and _month(beta) == beta_month  # each its own organization's figures …
    assert _month(admin, org=world.org_ids["B"]) == beta_month and _month(admin) != alfa_month
    forecast = {"fc-meter.value": None, "org-switch.value": None, "fc-run-finished.data": None}
    assert beta.outputs("fc-chart.figure", forecast)["fc-chart.figure"]  # Beta's forecast page opens …
    assert beta.outputs("dev-table.children", {"dev-filter.value": "all", "org-switch.value": None})  # … its devices
    first, last = opening_days("consumption", dt.datetime.now(MSK).date())  # a point's pages as they open …
    chart = alfa.outputs("cons-archive.figure", {"cons-meter.value": ["A-2"], "cons-range.start_date": first,
                                                 "cons-range.end_date": last, "cons-step.value": "hour",
                                                 "cons-compare.value": [], "org-switch.value": None})  # fmt: skip
    assert chart["cons-total.children"] == f"Итого за период: {_kwh(_hours_until_now(world, first) * PER_HOUR['A-2'])}"
    first, last = opening_days("analysis", dt.datetime.now(MSK).date())
    analysis = {"ana-meter.value": ["B-1"], "ana-range.start_date": first, "ana-range.end_date": last,
                "org-switch.value": None}  # fmt: skip
    opened = beta.outputs("ana-heatmap.figure", analysis)  # the analysis page's charts and weather chart …
    assert opened["ana-heatmap.figure"]["data"] and opened["ana-weather.figure"]  # (no weather where B-1 is)
    assert beta.outputs("ana-months.children", {"ana-meter.value": ["B-1"], "org-switch.value": None})  # … months
    assert _cached_answers(services) == warmed  # … and every one of them was there before it was asked for

    changed(services, [world.org_ids["B"]])  # what the consumer's after-write step says of new readings of B-1
    run_the_job()
    # Beta's overview (and whether it has data), devices, projection and forecast page and the administrators'
    # devices (they hold B-1) again; Alfa's are still good, and so is the administrators' overview of Alfa's points
    # (theirs is each organization's, summed).
    assert _cached_answers(services) == warmed + 6 + 4  # and B-1's pages
    assert _month(beta) == beta_month and _cached_answers(services) == warmed + 6 + 4
