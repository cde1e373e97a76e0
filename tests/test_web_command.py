"""`wattboard web` serves the WSGI app (web.wsgi:server) under gunicorn, and several workers behave as one."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
from pathlib import Path

import requests

from runtime.embedded import free_port, port_in_use
from tests.helpers import wait_for


def start_web(log: Path | None = None, **settings: str) -> subprocess.Popen:
    """`wattboard web --workers 3` with these settings and nothing of the caller's WATTBOARD_ environment (its access
    log into ``log``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATTBOARD_")}
    return subprocess.Popen(
        [sys.executable, "-m", "runtime.cli", "web", "--workers", "3"],
        env={**env, **settings},
        stdout=log.open("w") if log else subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=Path(__file__).resolve().parent.parent,
    )


def quiet_port() -> int:
    """A free port outside the kernel's ephemeral range, where the ports other tests running beside this one take
    (``free_port``) and their clients' connections come from: a port it hands out twice went to two servers at once,
    and the metrics were read from another test's process."""
    low, _high = (int(n) for n in Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    rng = random.Random()
    while True:
        candidate = rng.randint(20000, min(low, 32768) - 1)
        if not port_in_use("127.0.0.1", candidate):
            return candidate


def test_gunicorn_serves_health_the_login_page_and_the_metrics_of_all_its_workers(tmp_path: Path) -> None:
    port, metrics = free_port(), f"127.0.0.1:{quiet_port()}"
    proc = start_web(
        tmp_path / "access.log",
        WATTBOARD_ACCESS_LOG="true",
        WATTBOARD_HOME=str(tmp_path),
        WATTBOARD_PORT=str(port),
        WATTBOARD_SECRET_KEY="k" * 40,
        WATTBOARD_METRICS_ADDRESS=metrics,
    )
    try:

        def health() -> bool:
            try:
                return requests.get(f"http://127.0.0.1:{port}/health", timeout=1).json() == {"status": "ok"}
            except requests.RequestException:
                return False

        wait_for(health, timeout=60)
        came_from = {"Referer": f"http://127.0.0.1:{port}/signup", "User-Agent": "Probe/1.0 (test)"}
        login = requests.get(f"http://127.0.0.1:{port}/login?next=%2Fdevices", headers=came_from, timeout=5)
        assert login.status_code == 200 and "Вход в Wattboard" in login.text
        # the access line in gunicorn's default format: who, when, what, the answer and its size, where from, by what
        line = wait_for(
            lambda: next((r for r in (tmp_path / "access.log").read_text().splitlines() if "/login?next" in r), None)
        )
        assert re.fullmatch(
            rf'127\.0\.0\.1 - - \[[^]]+\] "GET /login\?next=%2Fdevices HTTP/1\.1" 200 \d+ '
            rf'"http://127\.0\.0\.1:{port}/signup" "Probe/1\.0 \(test\)"',
            line,
        ), line
        for _ in range(29):  # spread over the three workers by the kernel
            requests.get(f"http://127.0.0.1:{port}/login", timeout=5)

        def logins_counted() -> float | None:
            text = requests.get(f"http://{metrics}/metrics", timeout=5).text
            line = next(
                (
                    row
                    for row in text.splitlines()
                    if row.startswith("wattboard_http_request_duration_seconds_count") and 'url_rule="/login"' in row
                ),
                None,
            )
            return float(line.rsplit(" ", 1)[1]) if line else None

        # the master adds up what every worker counted (a worker counts a request as its answer leaves)
        wait_for(lambda: logins_counted() == 30.0, timeout=10)
        assert requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5, allow_redirects=False).status_code != 200
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


def fresh(method: str, url: str, session: requests.Session, **kwargs):
    """A request on a new connection, so that the kernel may hand it to any of gunicorn's workers."""
    headers = {"Connection": "close", **kwargs.pop("headers", {})}
    return session.request(method, url, headers=headers, timeout=10, **kwargs)


def test_sessions_csrf_and_the_organization_switch_hold_across_gunicorn_workers(
    services, clickhouse_http, tmp_path: Path
) -> None:
    from data.relational.meters import list_organizations
    from tests.dash_client import DashClient
    from tests.helpers import PASSWORD, make_org, make_user
    from web import create_app

    make_org(services.db, "773300000", "ООО «Север»", ["N-1", "N-2"])
    make_org(services.db, "773400000", "ООО «Юг»", ["S-1"])
    orgs = {name: org_id for org_id, name in list_organizations(services.db)}
    make_user(services.db, "ops@w.ru", "admin")
    settings = services.settings
    port = free_port()
    proc = start_web(
        tmp_path / "web.out",  # no access line: off unless WATTBOARD_ACCESS_LOG says so
        WATTBOARD_HOME=str(tmp_path),
        WATTBOARD_PORT=str(port),
        WATTBOARD_DATABASE_URL=settings.relational_url,
        WATTBOARD_REDIS_URL=settings.redis_url or "",
        WATTBOARD_KAFKA_BOOTSTRAP=settings.kafka_bootstrap or "",
        WATTBOARD_TOPIC_PREFIX=settings.topic_prefix,
        WATTBOARD_CLICKHOUSE_URL=clickhouse_http.url,
        WATTBOARD_METRICS_ADDRESS="",
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(f"{base}/health"), timeout=60)
        for _ in range(6):  # a CSRF token from one worker's login page is good at whichever worker takes the form
            browser = requests.Session()
            page = fresh("GET", f"{base}/login", browser)
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            signed = fresh(
                "POST",
                f"{base}/login",
                browser,
                allow_redirects=False,
                data={"email": "ops@w.ru", "password": PASSWORD, "csrf_token": token},
            )
            assert signed.status_code == 302, signed.text[:300]
        forged = fresh(
            "POST",
            f"{base}/login",
            requests.Session(),
            data={"email": "ops@w.ru", "password": PASSWORD, "csrf_token": "forged"},
        )
        assert forged.status_code == 400
        for _ in range(24):  # the session works at every worker
            page = fresh("GET", f"{base}/consumption", browser, allow_redirects=False)
            assert page.status_code == 200, page.status_code
        client = DashClient(create_app(settings, services), base, browser)
        browser.headers["Connection"] = "close"
        for name, codes in (("ООО «Север»", {"N-1", "N-2"}), ("ООО «Юг»", {"S-1"}), ("ООО «Север»", {"N-1", "N-2"})):
            for _ in range(3):
                out = client.outputs(
                    "cons-meter.options",
                    {"cons-url.pathname": "/consumption", "org-switch.value": orgs[name]},
                    changed="org-switch.value",
                )
                assert {o["value"] for o in out["cons-meter.options"]} == codes
        asked = fresh("GET", f"{base}/logout", browser, allow_redirects=False)  # the form, with its CSRF token
        token = re.search(r'name="csrf_token" value="([^"]+)"', asked.text).group(1)
        out = fresh("POST", f"{base}/logout", browser, data={"csrf_token": token}, allow_redirects=False)
        assert out.status_code == 302
        for _ in range(9):  # logged out everywhere, not just at the worker that took the logout
            assert "/login" in fresh("GET", f"{base}/consumption", browser, allow_redirects=False).headers["Location"]
        written = (tmp_path / "web.out").read_text()
        assert '"GET /' not in written and '"POST /' not in written
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False
