"""The README's run command, end to end: `wattboard up --demo` in a subprocess, then HTTP and a browser.

Runs in file order: the last test stops the product with SIGTERM and checks nothing was lost.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from data.messaging.broker import make_producer
from data.messaging.reading_batch import encode_batch
from tests.helpers import login, wait_for
from tests.product import RunningProduct

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def product(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProduct]:
    running = RunningProduct(tmp_path_factory.mktemp("product"))
    running.wait_healthy(120)
    yield running
    running.stop()


def test_health_within_two_minutes_and_every_store_ready(product: RunningProduct) -> None:
    assert time.monotonic() - product.started < 120
    ready = wait_for(lambda: requests.get(f"{product.url}/ready", timeout=5), timeout=30)
    assert ready.json() == {
        "status": "ok",
        "checks": {"relational": "ok", "clickhouse": "ok", "kafka": "ok", "redis": "ok"},
    }
    text = wait_for(lambda: "Demo logins" in product.log() and product.log(), timeout=30)
    assert f"Wattboard is running at {product.url}/" in text
    for email in (
        "admin@demo.wattboard.ru",
        "household@demo.wattboard.ru",
        "office@demo.wattboard.ru",
        "factory@demo.wattboard.ru",
    ):
        assert email in text


def test_demo_consumer_sees_history_and_new_readings(product: RunningProduct) -> None:
    email = "office@demo.wattboard.ru"
    session = login(product.url, email, product.logins()[email])
    meters = session.get(f"{product.url}/api/v1/meters", timeout=10).json()["meters"]
    assert len(meters) == 8 and all(m["code"].startswith("SPB-OF-") for m in meters)

    url = f"{product.url}/api/v1/meters/SPB-OF-001/readings"
    year_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(days=380)).date().isoformat()

    def history() -> list:
        days = session.get(url, params={"granularity": "day", "from": year_ago}, timeout=30).json()["readings"]
        return [d for d in days if d["value_kwh"]]

    days = wait_for(lambda: len(history()) > 360 and history(), timeout=90)
    # An office uses less on Sundays than on Wednesdays.
    by_weekday: dict[int, list[float]] = {}
    for d in days:
        by_weekday.setdefault(dt.date.fromisoformat(d["ts"]).weekday(), []).append(d["value_kwh"])
    assert sum(by_weekday[6]) / len(by_weekday[6]) < 0.6 * sum(by_weekday[2]) / len(by_weekday[2])

    def latest() -> str:
        since = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)).isoformat()
        raw = session.get(url, params={"granularity": "raw", "from": since}, timeout=10).json()["readings"]
        return raw[-1]["ts"] if raw else ""

    first = wait_for(latest, timeout=30)
    newer = wait_for(lambda: (ts := latest()) > first and ts, timeout=30)
    assert newer > first

    other = session.get(f"{product.url}/api/v1/meters/EKB-FC-001/readings", timeout=10)
    assert other.status_code == 404


def test_browser_login_chart_and_live_update(product: RunningProduct, tmp_path: Path) -> None:
    from tests.browser import chrome, text_of

    email = "factory@demo.wattboard.ru"
    with chrome() as driver:
        driver.get(f"{product.url}/consumption")
        assert "/login" in driver.current_url
        driver.find_element("id", "email").send_keys(email)
        driver.find_element("id", "password").send_keys(product.logins()[email])
        driver.find_element("id", "login-submit").click()
        total = wait_for(lambda: text_of(driver, "cons-total"), timeout=30)
        assert "meter=EKB-FC-001" in driver.current_url
        wait_for(lambda: driver.find_elements("css selector", "#cons-archive .scatterlayer .trace path"), timeout=15)
        assert total.startswith("Итого за период:") and "кВт·ч" in total
        first = wait_for(lambda: text_of(driver, "cons-live-last"), timeout=30)
        assert ", Екатеринбург (UTC+5)" in first and re.search(r"\d+,\d\d кВт$", first), first  # zone named, comma
        wait_for(lambda: text_of(driver, "cons-live-last") not in ("", first), timeout=30)
        driver.save_screenshot(str(tmp_path / "consumption.png"))
        # A point its metering system delivers every 15 minutes has no live readings: the chart says when the last was.
        driver.get(f"{product.url}/consumption?meter=EKB-FC-011")
        live = wait_for(lambda: "Последнее:" in (text := text_of(driver, "cons-live")) and text, timeout=30)
        assert "Нет показаний за последние 15 минут" in live and "(Екатеринбург, UTC+5)" in live, live
        driver.get(f"{product.url}/consumption?meter=SPB-OF-001")
        wait_for(lambda: "не найдена" in text_of(driver, "cons-message"), timeout=20)


def test_demo_partners_deliver_the_last_day_and_the_partner_page_shows_their_batches_and_refusals(
    product: RunningProduct,
) -> None:
    from tests.browser import choose, chrome, text_of

    now = dt.datetime.now(dt.UTC)
    since = (now - dt.timedelta(hours=20)).isoformat()

    def delivered(email: str, code: str) -> list:
        session = login(product.url, email, product.logins()[email])
        url = f"{product.url}/api/v1/meters/{code}/readings"
        rows = session.get(url, params={"granularity": "raw", "from": since}, timeout=10).json()["readings"]
        return rows if len(rows) >= 38 else []

    # The demo feed stops these points' history at the start of yesterday: the last day is the partners' delivery,
    # the office's operator pushing a CSV, the factory's АСКУЭ polled on its stand-in by the schedule.
    for email, code in (("office@demo.wattboard.ru", "SPB-OF-007"), ("factory@demo.wattboard.ru", "EKB-FC-011")):
        rows = wait_for(lambda email=email, code=code: delivered(email, code), timeout=90)
        stamps = [dt.datetime.fromisoformat(r["ts"]) for r in rows]
        assert now - stamps[-1] < dt.timedelta(hours=1, minutes=5), (code, rows[-1])
        assert all(t.minute in (0, 30) and t.second == 0 for t in stamps), code  # the partners' half-hours

    email = "admin@demo.wattboard.ru"
    with chrome() as driver:
        driver.get(f"{product.url}/login")
        driver.find_element("id", "email").send_keys(email)
        driver.find_element("id", "password").send_keys(product.logins()[email])
        driver.find_element("id", "login-submit").click()
        wait_for(lambda: "/login" not in driver.current_url, timeout=20)
        driver.get(f"{product.url}/partners")
        listed = wait_for(lambda: text_of(driver, "partners-table"), timeout=20)
        assert "spb-uchet" in listed and "ekb-askue" in listed
        choose(driver, "partner-pick", "spb-uchet")
        batches = wait_for(lambda: "uchet-" in (text := text_of(driver, "partner-batches")) and text, timeout=20)
        assert "push" in batches
        letters = wait_for(lambda: text_of(driver, "partner-letters-table"), timeout=30)
        # The operator's first file carried a day that does not exist and another organization's point: both
        # refused with their reason in Russian, the good rows of the same file stored.
        assert "не в формате ДД.ММ.ГГГГ ЧЧ:ММ" in letters and "«EKB-FC-001» этот партнёр не обслуживает" in letters
        choose(driver, "partner-pick", "ekb-askue")
        wait_for(lambda: "poll" in text_of(driver, "partner-batches"), timeout=20)

        # A week of device-state history from the first minute: the weak battery drained over it.
        driver.get(f"{product.url}/devices/SN-SPB-OF-006")
        script = (
            "const g = document.querySelector('#device-timeline .js-plotly-plot');"
            "return g && g.data ? g.data.map(t => [t.name, (t.y || []).filter(v => v !== null)]) : null;"
        )
        traces = wait_for(lambda: driver.execute_script(script), timeout=30)
        battery = next(values for name, values in traces if name == "Батарея")
        assert len(battery) >= 6 * 24, len(battery)
        assert battery[0] > 20 > battery[-1], (battery[0], battery[-1])


def test_cli_works_while_up_runs(product: RunningProduct) -> None:
    import subprocess
    import sys

    env = {**os.environ, "WATTBOARD_HOME": str(product.home / "var")}
    created = subprocess.run(
        [
            sys.executable,
            "-m",
            "runtime.cli",
            "users",
            "create",
            "ops@example.ru",
            "--password",
            "long enough pass",
            "--role",
            "operator",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert created.returncode == 0, created.stderr
    token = subprocess.run(
        [sys.executable, "-m", "runtime.cli", "tokens", "create", "ops@example.ru"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()
    response = requests.get(f"{product.url}/api/v1/meters", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert response.status_code == 200 and len(response.json()["meters"]) == 22


def test_a_second_up_on_the_same_data_directory_says_who_holds_it(product: RunningProduct) -> None:
    from runtime.embedded import free_port
    from tests.test_cli_errors import one_line_error

    env = {k: v for k, v in os.environ.items() if not k.startswith("WATTBOARD_")}
    second = subprocess.run(
        [sys.executable, "-m", "runtime.cli", "up", "--port", str(free_port())],
        env={**env, "WATTBOARD_HOME": str(product.home / "var"), "WATTBOARD_METRICS_ADDRESS": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = one_line_error(second)
    assert f"another `wattboard up` (pid {product.proc.pid})" in line and "WATTBOARD_HOME" in line


def test_sigterm_drains_accepted_readings_and_leaves_no_process(product: RunningProduct, tmp_path: Path) -> None:
    children = product.children()
    assert len(children) == 3  # the broker, Valkey and Alertmanager
    # Accept readings into the broker, then stop at once: they must all be in the store afterwards.
    producer = make_producer(product.broker_bootstrap())
    t0 = int(dt.datetime(2020, 1, 1, tzinfo=dt.UTC).timestamp())
    for chunk in range(20):
        rows = [[t0 + (chunk * 500 + i) * 1800, 1.0, 0] for i in range(500)]
        producer.send(
            "wattboard.readings",
            key=b"MSK-HH-002",
            value=encode_batch("MSK-HH-002", "test", f"drain-{chunk}", 1, 1800, rows),
        )
    producer.flush(30)
    producer.close()
    assert product.stop() == 0
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()], "a child outlived wattboard up"

    again = RunningProduct(product.home, demo=False)
    try:
        again.wait_healthy(120)
        email = "household@demo.wattboard.ru"
        session = login(again.url, email, product.logins()[email])
        params = {"granularity": "day", "from": "2019-12-31", "to": "2020-09-01"}
        days = session.get(f"{again.url}/api/v1/meters/MSK-HH-002/readings", params=params, timeout=30).json()
        assert sum(d["value_kwh"] or 0 for d in days["readings"]) == pytest.approx(10_000.0)
    finally:
        again.stop()
