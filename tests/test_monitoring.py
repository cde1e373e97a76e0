"""Prometheus watching Wattboard: the alerting rules pass promtool's checks and unit tests, the metrics that matter
are served on the metrics address (not the public port), and Alertmanager's generated configuration passes amtool."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import requests

from alerts import am_config
from alerts.actions import set_slack
from auth.principal import Principal
from runtime.embedded import free_port
from runtime.metrics import serve
from tests.helpers import make_org, make_user, wait_for

MONITORING = Path(__file__).resolve().parent.parent / "k8s" / "base" / "monitoring"


def test_the_alerting_rules_pass_promtool() -> None:
    check = subprocess.run(
        ["promtool", "check", "rules", str(MONITORING / "rules.yml")], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "SUCCESS: 8 rules found" in check.stdout
    unit = subprocess.run(
        ["promtool", "test", "rules", "rules_test.yml"], capture_output=True, text=True, cwd=MONITORING
    )
    assert unit.returncode == 0, unit.stdout + unit.stderr


def test_the_metrics_that_matter_are_served_on_their_own_address(services, running_consumer, live_app) -> None:
    from data.messaging.reading_batch import encode_batch

    make_org(services.db, "771800000", "ООО «Метрика»", ["M-1"])
    address = f"127.0.0.1:{free_port()}"
    assert serve(address, queues=services.redis)
    start = int(dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp())
    rows = [[start + 1800 * i, 1.0, 0] for i in range(48)]
    services.producer.send(services.topics.readings, key=b"M-1", value=encode_batch("M-1", "t", "b1", 1, 1800, rows))
    services.producer.send(services.topics.readings, key=b"X", value=encode_batch("NOPE", "t", "b2", 1, 1800, rows))
    services.producer.flush(timeout=10)
    requests.get(f"{live_app.url}/login", timeout=10)

    def scraped() -> str | None:
        text = requests.get(f"http://{address}/metrics", timeout=5).text
        return text if "wattboard_ingest_lag{" in text and 'reason="unknown metering point"' in text else None

    text = wait_for(scraped, timeout=60)
    for name in (
        "wattboard_readings_ingested_total",
        "wattboard_ingest_flush_seconds_count",
        "wattboard_rollup_seconds_count",
        'wattboard_queue_depth{queue="forecast"}',
        'wattboard_jobs_failed{queue="alerts"}',
    ):  # HTTP latency by route: tests/test_web_command.py, under gunicorn with three workers
        assert name in text, name
    public = requests.get(f"{live_app.url}/metrics", timeout=10, allow_redirects=False)
    assert public.status_code != 200 and "wattboard_" not in public.text  # not on the public port


def test_the_generated_alertmanager_configuration_passes_amtool(services, tmp_path) -> None:
    make_org(services.db, "771900000", "ООО «Слак»", [])
    make_user(services.db, "admin@w.ru", "admin")
    from auth.inn import complete_inn

    make_user(services.db, "owner@slack.ru", "consumer", complete_inn("771900000"))
    from data.relational.meters import organization_by_inn

    org = organization_by_inn(services.db, complete_inn("771900000"))
    assert org is not None
    set_slack(services, Principal(0, "admin@w.ru", "admin", None), org, "http://127.0.0.1:9/hook", allow_private=True)
    path, changed = am_config.write(services.settings, services, tmp_path)
    assert changed and oct(path.stat().st_mode)[-3:] == "600"
    config = json.loads(path.read_text())
    names = {r["name"] for r in config["receivers"]}
    assert {"user-1", "user-2", f"slack-org-{org}", "staff"} <= names
    assert config["inhibit_rules"][0]["equal"] == ["meter", "recipient"]
    am_config.check(path)  # amtool check-config: raises on a bad configuration
    assert am_config.write(services.settings, services, tmp_path) == (path, False)  # unchanged: not rewritten
