"""Implausible partner data is held for an operator instead of stored, the push answer tells the truth about it, and
a large correction raises an event, keeps what it replaced and can be rolled back (issue 10)."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest
import requests

from alerts import lifecycle
from alerts.actions import latest
from auth.inn import complete_inn
from auth.principal import AccessDenied, Principal
from data.clickhouse.readings import day_totals, readings_frame, readings_since, write_readings
from data.relational.meters import meter_by_code, set_capacity
from data.relational.models import User
from partners import admin
from partners.dead_letters import read_letters
from partners.ingest import ingest_payload
from review import corrections, held
from tests.browser import chrome, sign_in, text_of
from tests.helpers import PASSWORD, make_org, make_user, wait_for

HALF_HOUR = 1800
JSON_OPTIONS = {"records_path": "items", "meter_path": "m", "ts_path": "t", "value_path": "v", "ts_format": "epoch"}


def usual(ts: np.ndarray) -> np.ndarray:
    """About 4 kWh a half-hour, more by day than by night: an office."""
    hours = (ts % 86_400) / 3600
    return 4.0 + 2.0 * np.sin(hours / 24 * 2 * math.pi)


def seed_history(services, code: str, days: int, end: int) -> np.ndarray:
    """``days`` of half-hours ending at ``end`` (epoch s), as an earlier partner batch stored them."""
    meter = meter_by_code(services.db, code)
    ts = np.arange(end - days * 86_400, end, HALF_HOUR, dtype=np.int64)
    n = len(ts)
    write_readings(
        services.store,
        readings_frame(
            {
                "meter_id": np.full(n, meter.id),
                "ts": ts,
                "value": usual(ts),
                "interval_s": np.full(n, HALF_HOUR),
                "status": np.zeros(n),
                "version": np.full(n, 1),
                "utc_offset": np.full(n, meter.utc_offset),
                "partner": ["history"] * n,
                "batch_id": ["history-0"] * n,
            }
        ),
    )
    held.forget_limits()
    return ts


def json_partner(services, slug: str, inn_prefix: str):
    """A JSON partner serving the organization with this INN prefix: (partner, push key)."""
    config = {"format": "json", "format_options": JSON_OPTIONS, "timezone": "UTC"}
    return admin.create(
        services.db, services.settings, slug, slug, {**config, "organization_inn": complete_inn(inn_prefix)}
    )


def push(url: str, slug: str, key: str, items: list[dict]) -> dict:
    answer = requests.post(
        f"{url}/api/v1/ingest/{slug}",
        data=json.dumps({"items": items}),
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
    )
    assert answer.status_code == 202, answer.text
    return answer.json()


def stored(services, code: str, since: int) -> dict[int, float]:
    """The stored values of a point from ``since`` on, by epoch second."""
    start = dt.datetime.fromtimestamp(since - 1, dt.UTC)
    frame = readings_since(services.store, meter_by_code(services.db, code).id, start)
    return {int(pd.Timestamp(t).timestamp()): float(v) for t, v in zip(frame["ts"], frame["value"], strict=True)}


def test_an_implausible_value_is_held_for_an_operator_and_the_answer_says_so(
    services, live_app, running_consumer
) -> None:
    org = make_org(services.db, "775100000", "ООО «Проверка»", ["RV-1", "RV-NEW"])
    now = int(dt.datetime.now(dt.UTC).timestamp()) // HALF_HOUR * HALF_HOUR
    seed_history(services, "RV-1", days=20, end=now - 6 * HALF_HOUR)
    _, key = json_partner(services, "meterco", "775100000")
    t1, t2, t3, t4 = (now - k * HALF_HOUR for k in (5, 4, 3, 2))
    report = push(
        live_app.url,
        "meterco",
        key,
        [
            {"m": "RV-1", "t": t1, "v": 4.2},
            {"m": "RV-1", "t": t1, "v": 4.2},  # an exact repeat: collapsed, counted apart
            {"m": "RV-1", "t": t2, "v": 1250.0},  # some 300 times this hour's usual: held
            {"m": "RV-1", "t": t3, "v": 1e12},  # no meter measures this: rejected outright
            {"m": "RV-1", "t": t4, "v": 3.9},
        ],
    )
    assert {k: report[k] for k in ("records", "accepted", "held", "rejected", "duplicates")} == {
        "records": 5,
        "accepted": 2,
        "held": 1,
        "rejected": 1,
        "duplicates": 1,
    }
    assert (
        report["held_readings"][0]["meter"] == "RV-1"
        and "far above this point's history" in (report["held_readings"][0]["reason"])
    )
    assert "kWh per interval" in report["errors"][0]["reason"]
    wait_for(lambda: set(stored(services, "RV-1", t1)) == {t1, t4})  # the held value is not in the readings

    operator = Principal(0, "ops@w.ru", "operator", None)
    owner = Principal(0, "owner@p.ru", "consumer", org)
    with pytest.raises(AccessDenied):
        held.held_for_review(services, owner, org)
    waiting = held.held_for_review(services, operator, org)
    assert [(h.code, h.ts, h.value, h.partner) for h in waiting] == [("RV-1", t2, 1250.0, "meterco")]
    assert waiting[0].limit_kwh < 1250.0

    # A point with no history yet is judged by its connection's capacity: 10 kW is at most 5 kWh a half-hour.
    set_capacity(services.db, "RV-NEW", 10.0)
    held.forget_limits()
    second = push(
        live_app.url, "meterco", key, [{"m": "RV-NEW", "t": t1, "v": 2.0}, {"m": "RV-NEW", "t": t2, "v": 7.5}]
    )
    assert (second["accepted"], second["held"]) == (1, 1)
    assert "capacity" in second["held_readings"][0]["reason"]

    waiting = held.held_for_review(services, operator, None)
    by_code = {h.code: h.id for h in waiting}
    assert held.accept(services, operator, [by_code["RV-1"]]) == 1
    assert held.accept(services, operator, [by_code["RV-1"]]) == 0  # a second click changes nothing
    wait_for(lambda: stored(services, "RV-1", t1).get(t2) == 1250.0)
    assert held.reject(services, operator, [by_code["RV-NEW"]]) == 1
    assert held.held_for_review(services, operator, None) == []
    decided = {h.code: (h.state, h.decided_by) for h in held.held_for_review(services, operator, None, decided=True)}
    assert decided == {"RV-1": ("accepted", "ops@w.ru"), "RV-NEW": ("rejected", "ops@w.ru")}
    letters = wait_for(
        lambda: [letter for _, letter in read_letters(services) if letter.get("stage") == "review"], timeout=20
    )
    assert "rejected by ops@w.ru on review" in letters[0]["reason"] and letters[0]["record"]["value"] == 7.5
    assert t2 not in stored(services, "RV-NEW", t1)

    # The staff's bell says readings wait for review.
    make_user(services.db, "admin@w.ru", "admin")
    lifecycle.consume(services)
    with services.db.session() as s:
        admin_id = s.query(User).filter_by(email="admin@w.ru").one().id
    titles = [n.title for n in latest(services, Principal(admin_id, "admin@w.ru", "admin", None), limit=20)]
    assert "Партнёр meterco: показания на проверке" in titles


@pytest.mark.parametrize("relational_url", ["postgresql"], indirect=True)  # the browser test below runs on SQLite
def test_a_large_correction_is_announced_kept_and_rolled_back(services, live_app, running_consumer) -> None:
    org = make_org(services.db, "775200000", "ООО «Исправление»", ["CR-1"], tz="UTC")
    make_user(services.db, "owner@cr.ru", "consumer", complete_inn("775200000"))
    with services.db.session() as s:
        owner_user = s.query(User).filter_by(email="owner@cr.ru").one()
        owner_user.is_owner = True
        owner_id = owner_user.id
    today = int(dt.datetime.now(dt.UTC).timestamp()) // 86_400 * 86_400
    seed_history(services, "CR-1", days=20, end=today)
    day = today - 3 * 86_400
    original = stored(services, "CR-1", day)
    _, key = json_partner(services, "fixer", "775200000")
    halves = [{"m": "CR-1", "t": t, "v": round(original[t] / 2, 6)} for t in range(day, day + 86_400, HALF_HOUR)]
    report = push(live_app.url, "fixer", key, halves)
    assert (report["accepted"], report["held"]) == (48, 0)  # smaller values are never implausible
    wait_for(lambda: stored(services, "CR-1", day)[day] == halves[0]["v"])
    meter_id, local_day = meter_by_code(services.db, "CR-1").id, dt.datetime.fromtimestamp(day, dt.UTC).date()
    halved = sum(h["v"] for h in halves)
    # The daily rollup follows the raw rows a moment later (the after-write step); the page reads it then.
    wait_for(
        lambda: (
            abs(day_totals(services.store, [meter_id], local_day, local_day).get((meter_id, local_day), 0) - halved)
            < 1e-3
        )
    )

    operator = Principal(0, "ops@w.ru", "operator", None)
    found = wait_for(lambda: corrections.recent_corrections(services, operator, org))
    assert [(c.batch, c.code, c.day, c.rows) for c in found] == [
        (report["batch"], "CR-1", dt.datetime.fromtimestamp(day, dt.UTC).date(), 48)
    ]
    assert found[0].share == pytest.approx(0.5, abs=0.01)
    assert found[0].old_kwh == pytest.approx(sum(original[t] for t in range(day, day + 86_400, HALF_HOUR)))

    lifecycle.consume(services)  # the organization hears of it
    owner = Principal(owner_id, "owner@cr.ru", "consumer", org)
    notes = latest(services, owner)
    assert notes and notes[0].title == "Крупное исправление данных точки CR-1"
    assert "заменил 50 % потребления" in notes[0].body and "Прежние значения сохранены" in notes[0].body

    with pytest.raises(AccessDenied):
        corrections.rollback(services, owner, report["batch"])
    assert corrections.rollback(services, operator, report["batch"]) == 48
    wait_for(lambda: stored(services, "CR-1", day)[day] == original[day])
    after = stored(services, "CR-1", day)
    assert all(after[t] == pytest.approx(original[t]) for t in range(day, day + 86_400, HALF_HOUR))
    # The rollback is a correction of its own, listed too, so it can be undone in turn.
    batches = wait_for(
        lambda: {c.batch for c in corrections.recent_corrections(services, operator, org)} - {report["batch"]}
    )
    assert next(iter(batches)).startswith("rollback-")


@pytest.mark.slow
@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_an_operator_accepts_a_held_reading_and_rolls_a_correction_back_in_the_browser(
    services, live_app, running_consumer
) -> None:
    make_org(services.db, "775300000", "ООО «Браузерная проверка»", ["BR-1"], tz="Europe/Moscow")
    make_user(services.db, "ops@w.ru", "operator")
    today = int(dt.datetime.now(dt.UTC).timestamp()) // 86_400 * 86_400
    seed_history(services, "BR-1", days=20, end=today)
    day = today - 2 * 86_400
    original = stored(services, "BR-1", day)
    _, key = json_partner(services, "feed", "775300000")
    spike = push(live_app.url, "feed", key, [{"m": "BR-1", "t": today + HALF_HOUR, "v": 5000.0}])
    assert spike["held"] == 1
    halves = [{"m": "BR-1", "t": t, "v": original[t] / 2} for t in range(day, day + 86_400, HALF_HOUR)]
    correction = push(live_app.url, "feed", key, halves)["batch"]
    wait_for(lambda: corrections.recent_corrections(services, Principal(0, "o", "operator", None), None))

    with chrome() as driver:
        sign_in(driver, live_app.url, "ops@w.ru", PASSWORD)
        driver.get(f"{live_app.url}/review")
        wait_for(lambda: "BR-1" in text_of(driver, "review-held-table"), timeout=30)
        assert "далеко за пределами истории точки" in text_of(driver, "review-held-table")
        assert "(Москва, UTC+3)" in text_of(driver, "review-held-table")
        button = driver.find_element("xpath", "//*[@id='review-held-table']//button[normalize-space()='Принять']")
        driver.execute_script("arguments[0].click();", button)
        wait_for(lambda: "Принято показаний: 1" in text_of(driver, "review-result"), timeout=20)
        wait_for(lambda: "Нет показаний, ожидающих проверки" in text_of(driver, "review-held"), timeout=20)
        wait_for(lambda: stored(services, "BR-1", today).get(today + HALF_HOUR) == 5000.0)

        wait_for(lambda: correction in text_of(driver, "review-corrections-table"), timeout=20)
        table = text_of(driver, "review-corrections-table")  # a UTC day is two local days in Moscow: 42 + 6
        assert " 42 " in table and " 6 " in table and "−" in table
        button = driver.find_element(
            "xpath", "//*[@id='review-corrections-table']//button[normalize-space()='Откатить']"
        )
        driver.execute_script("arguments[0].click();", button)
        wait_for(lambda: "Восстановлено показаний: 48" in text_of(driver, "review-rollback-result"), timeout=20)
    wait_for(lambda: stored(services, "BR-1", day)[day] == pytest.approx(original[day]))


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_the_review_commands(services, running_consumer) -> None:
    from tests.test_partner_cli import cli

    make_org(services.db, "775400000", "ООО «Консоль»", ["RC-1"])
    now = int(dt.datetime.now(dt.UTC).timestamp()) // HALF_HOUR * HALF_HOUR
    seed_history(services, "RC-1", days=20, end=now - 4 * HALF_HOUR)
    partner, _ = json_partner(services, "cli-feed", "775400000")
    payload = json.dumps({"items": [{"m": "RC-1", "t": now - HALF_HOUR, "v": 9999.0}]}).encode()
    assert len(ingest_payload(services, partner, payload, "import").held) == 1

    listed = cli(services, "review", "list")
    assert listed.returncode == 0, listed.stderr
    line = next(row for row in listed.stdout.splitlines() if "\tRC-1\t" in row)
    assert "9999.000" in line and "cli-feed" in line and listed.stdout.strip().endswith("1 held")
    rejected = cli(services, "review", "reject", line.split("\t")[0])
    assert rejected.stdout.strip() == "rejected 1 of 1", rejected.stderr
    assert "rejected by cli:" in cli(services, "review", "list", "--decided").stdout

    assert cli(services, "meters", "set-capacity", "RC-1", "15").stdout.strip() == "RC-1: capacity unknown → 15.0 kW"
    missing = cli(services, "meters", "set-capacity", "NOPE", "15")
    assert missing.returncode == 1 and "no metering point NOPE" in missing.stderr
