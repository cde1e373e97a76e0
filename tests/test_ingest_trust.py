"""Nothing a partner sends can stop ingestion or reach another organization (issue 16): poison records are set aside
with their reason while everything else lands, also after a restart; device reports are checked field by field and
confined like readings; codes are compared without case and a partner's own points live in a space of their own."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
import requests

from auth.inn import complete_inn
from data.clickhouse.readings import count_readings
from data.messaging.device_report import BadReport, check_report
from data.messaging.reading_batch import encode_batch
from data.relational.meters import meter_by_code
from data.relational.models import Device
from partners import admin
from partners.dead_letters import read_letters
from partners.ingest import ingest_payload
from runtime.ingestion import ingest_consumer
from tests.conftest import RELATIONAL_BACKENDS
from tests.helpers import epoch, make_org, wait_for

T0 = epoch(2026, 11, 20)
NOW = epoch(2026, 12, 3)
JSON_OPTIONS = {"records_path": "items", "meter_path": "m", "ts_path": "t", "value_path": "v", "ts_format": "epoch"}
ONE_BACKEND = pytest.mark.parametrize("relational_url", RELATIONAL_BACKENDS[-1:], indirect=True)


# -- the device report's fields, checked at the door and again by the consumer --------------------------------------
@pytest.mark.parametrize(
    ("report", "problem"),
    [
        ({"device": "SN-1", "ts": 1_000_000_000_000}, "milliseconds? send seconds"),
        ({"device": "SN-1", "ts": 900_000_000}, "from 2000-01-01 to tomorrow"),
        ({"device": "SN-1", "ts": NOW + 2 * 86_400}, "from 2000-01-01 to tomorrow"),
        ({"device": "SN-1", "ts": True}, "whole number of seconds"),
        ({"device": "SN-1", "ts": "1764700000"}, "whole number of seconds"),
        ({"device": "SN-1", "ts": NOW, "battery": 101}, "'battery' must be from 0 to 100 %"),
        ({"device": "SN-1", "ts": NOW, "battery": float("nan")}, "'battery' must be a finite number"),
        ({"device": "SN-1", "ts": NOW, "signal": 12}, "'signal' must be from -150 to 0 dBm"),
        ({"device": "SN-1", "ts": NOW, "error_code": '=HYPERLINK("http://evil.example/x")'}, "'error_code' must be"),
        ({"device": "SN-1", "ts": NOW, "error_code": "<img src=x>"}, "'error_code' must be"),
        ({"device": "SN-1", "ts": NOW, "online": "yes"}, "'online' must be true/false or 0/1"),
        ({"device": "../../admin", "ts": NOW}, "'device' must be a serial"),
        ({"ts": NOW}, "'device' must be a serial"),
        ([1, 2], "a report is a JSON object"),
    ],
)
def test_a_device_report_is_refused_with_the_reason(report: object, problem: str) -> None:
    with pytest.raises(BadReport) as refused:
        check_report(report, "p", now=NOW)
    assert problem in str(refused.value)


def test_a_sound_device_report_passes_with_its_values() -> None:
    ok = check_report(
        {"device": "SN-EKB-FC-001", "ts": float(NOW), "online": 0, "battery": 1, "signal": -71.5, "error_code": "E-42"},
        "factory",
        now=NOW,
    )
    assert (ok.ts, ok.online, ok.battery, ok.signal, ok.error_code, ok.partner) == (
        NOW, False, 1.0, -71.5, "E-42", "factory"
    )


# -- the consumer: a poison record holds back nobody ----------------------------------------------------------------
def _publish(services, topic: str, value: bytes, key: bytes = b"k") -> None:
    services.producer.send(topic, key=key, value=value)
    services.producer.flush(10)


def _letters_about(services, needle: str) -> list[dict]:
    return [letter for _, letter in read_letters(services) if needle in json.dumps(letter, ensure_ascii=False)]


def _start(services, group: str):
    consumer = ingest_consumer(services, max_wait_s=0.3, group=group)
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    assert consumer.ready.wait(30), "consumer did not join its group"
    return stop, thread


@ONE_BACKEND
def test_a_poison_device_report_holds_back_no_reading_and_does_not_come_back_after_a_restart(services) -> None:
    """The issue's attack, on the topic itself (as from a producer that skipped the door's checks): a report with a
    timestamp in milliseconds used to stop every organization's readings, forever, also across restarts."""
    make_org(services.db, "775100000", "ООО «Завод»", ["FC-1"])
    make_org(services.db, "775200000", "ООО «Офис»", ["OF-1"])
    with services.db.session() as s:
        s.add(Device(serial="SN-FC-1", model="M", metering_point_id=meter_by_code(services.db, "FC-1").id))
    group = f"restart-{services.topics.prefix}"
    stop, thread = _start(services, group)
    try:
        poison = json.dumps({"device": "SN-FC-1", "ts": 1_000_000_000_000, "online": 1, "partner": "factory"})
        _publish(services, services.topics.device_state, poison.encode())
        for code, value in (("FC-1", 2.0), ("OF-1", 3.0)):
            _publish(services, services.topics.readings, encode_batch(code, "feed", "b1", 1, 1800, [[T0, value, 0]]))
        for code in ("FC-1", "OF-1"):
            wait_for(lambda c=code: count_readings(services.store, [meter_by_code(services.db, c).id]) == 1)
        letters = wait_for(lambda: _letters_about(services, "1000000000000"))
        assert "milliseconds" in letters[0]["reason"] and letters[0]["topic"] == services.topics.device_state
    finally:
        stop.set()
        thread.join(30)
    stop, thread = _start(services, group)  # a restart reads from the committed offsets: the poison is behind them
    try:
        _publish(services, services.topics.readings, encode_batch("OF-1", "feed", "b2", 1, 1800, [[T0 + 1800, 1.0, 0]]))
        wait_for(lambda: count_readings(services.store, [meter_by_code(services.db, "OF-1").id]) == 2)
        assert len(_letters_about(services, "1000000000000")) == 1  # set aside once, not again
    finally:
        stop.set()
        thread.join(30)


@ONE_BACKEND
def test_a_record_the_store_refuses_is_set_aside_and_the_rest_of_its_batch_lands(services, running_consumer) -> None:
    """A data error only the store finds (here a CHECK constraint of ClickHouse refuses one point's rows): the batch
    is cut in halves until that message is alone; it goes to the dead-letter topic, every other message is stored."""
    make_org(services.db, "775300000", "ООО «Разные»", [f"MX-{n}" for n in range(6)])
    refused = meter_by_code(services.db, "MX-3").id
    services.store.command(f"ALTER TABLE readings ADD CONSTRAINT poison CHECK meter_id != {refused}")
    try:
        for n in range(6):
            rows = [[T0 + i * 1800, 1.0, 0] for i in range(4)]
            batch = encode_batch(f"MX-{n}", "f", "b", 1, 1800, rows)
            services.producer.send(services.topics.readings, key=b"one", value=batch)
        services.producer.flush(10)
        for n in (0, 1, 2, 4, 5):
            wait_for(lambda n=n: count_readings(services.store, [meter_by_code(services.db, f"MX-{n}").id]) == 4)
        letters = wait_for(lambda: _letters_about(services, "VIOLATED_CONSTRAINT"))
        assert json.loads(letters[0]["raw"])["meter"] == "MX-3" and letters[0]["reason"].startswith("not written:")
        assert count_readings(services.store, [refused]) == 0
    finally:
        services.store.command("ALTER TABLE readings DROP CONSTRAINT poison")


# -- the door: device reports checked and confined ------------------------------------------------------------------
@ONE_BACKEND
def test_a_partner_reports_only_its_own_devices_and_only_sound_reports(services, live_app, running_consumer) -> None:
    factory = make_org(services.db, "775400000", "ООО «Завод»", ["EKB-1"])
    make_org(services.db, "775500000", "ООО «Офис»", ["SPB-3"])
    with services.db.session() as s:
        s.add(Device(serial="SN-EKB-1", model="M", metering_point_id=meter_by_code(services.db, "EKB-1").id))
        s.add(Device(serial="SN-SPB-3", model="M", metering_point_id=meter_by_code(services.db, "SPB-3").id,
                     battery=80.0, status="online"))
    config = {"format": "json", "format_options": JSON_OPTIONS, "organization_inn": complete_inn("775400000")}
    _, key = admin.create(services.db, services.settings, "factory-feed", "Завод", config)
    body: list[Any] = [
        {"device": "SN-EKB-1", "ts": 1_000_000_000_000, "online": 1},
        {"device": "SN-SPB-3", "ts": NOW, "online": 0, "battery": 1, "error_code": "E1"},
        {"device": "SN-SPB-3", "ts": NOW, "error_code": '=HYPERLINK("http://evil.example/x","x")'},
        {"device": "SN-NONE", "ts": NOW},
        {"device": "SN-EKB-1", "ts": NOW - 60, "online": 1, "battery": 77},
    ]
    answer = requests.post(
        f"{live_app.url}/api/v1/ingest/factory-feed/devices",
        json=body,
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
    )
    report = answer.json()
    assert answer.status_code == 202 and (report["records"], report["accepted"], report["rejected"]) == (5, 1, 4)
    reasons = [e["reason"] for e in report["errors"]]
    assert "milliseconds" in reasons[0] and "'error_code' must be" in reasons[1]
    assert "device 'SN-SPB-3' is not on a metering point this partner serves" in reasons
    assert "unknown device 'SN-NONE'" in reasons
    from data.relational.devices import device_by_serial

    wait_for(lambda: device_by_serial(services.db, "SN-EKB-1").battery == 77.0)
    office = device_by_serial(services.db, "SN-SPB-3")
    assert (office.status, office.battery, office.error_code) == ("online", 80.0, None)  # untouched
    assert factory  # the factory's own device took the one sound report


# -- codes a partner chooses ----------------------------------------------------------------------------------------
@ONE_BACKEND
def test_codes_are_compared_without_case_and_created_points_live_in_the_partners_own_space(
    services, running_consumer
) -> None:
    make_org(services.db, "775600000", "ООО «Завод»", [])
    make_org(services.db, "775700000", "ООО «Офис»", ["SPB-OF-001"])
    creator, _ = admin.create(
        services.db,
        services.settings,
        "factory-auto",
        "Завод",
        {"format": "json", "format_options": JSON_OPTIONS, "auto_create_meters": True,
         "organization_inn": complete_inn("775600000")},
    )
    items = [
        {"m": "SPB-OF-009", "t": T0, "v": 1.0},
        {"m": "spb-of-001", "t": T0, "v": 1.0},
        {"m": '=HYPERLINK("http://evil.example")', "t": T0, "v": 1.0},
        {"m": "../../admin", "t": T0, "v": 1.0},
        {"m": "BIG-1", "t": T0, "v": 90_000.0},
    ]
    report = ingest_payload(services, creator, json.dumps({"items": items}).encode(), "push")
    assert report.accepted == 2 and len(report.held) == 1 and len(report.rejected) == 2
    assert all("is not a metering-point code" in r["reason"] for r in report.rejected)
    assert "new point without history" in report.held[0]["reason"]  # no history, no capacity: held for review
    own = meter_by_code(services.db, "factory-auto:SPB-OF-009")
    assert own is not None and own.name == "SPB-OF-009"
    assert meter_by_code(services.db, "SPB-OF-009") is None  # the office's naming stays free
    assert meter_by_code(services.db, "factory-auto:spb-of-001") is not None  # a look-alike lands in its own space
    office_point = meter_by_code(services.db, "SPB-OF-001").id
    # The office's own partner writes to its point whatever the case it uses.
    office, _ = admin.create(
        services.db,
        services.settings,
        "office-feed",
        "Офис",
        {"format": "json", "format_options": JSON_OPTIONS, "organization_inn": complete_inn("775700000")},
    )
    lower_case = json.dumps({"items": [{"m": "spb-of-001", "t": T0, "v": 2.5}]}).encode()
    mine = ingest_payload(services, office, lower_case, "push")
    assert mine.accepted == 1
    wait_for(lambda: count_readings(services.store, [office_point]) == 1)


# -- private networks and what a connection test shows --------------------------------------------------------------
class InternalService:
    """A real HTTP server standing for an internal one (Alertmanager's status, a metrics port): it speaks no partner
    format and holds what must never be echoed."""

    BODY = (
        "# HELP wattboard_up 1\nsmtp_auth_password: 'hunter2'\nreceivers: [\"slack\": \"https://hooks.internal/T/S\"]\n"
        "meter,ts,kwh\n'hunter2',2026-12-01T00:00,abc\n"
    )

    def __init__(self) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        body = self.BODY.encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the standard library's name
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()


@ONE_BACKEND
def test_only_administrators_open_private_networks_and_a_test_never_echoes_a_foreign_body(services) -> None:
    import datetime as dt

    from auth.principal import AccessDenied, Principal
    from partners.polling import connection_preview

    operator = Principal(1, "ops@wattboard.ru", "operator", None)
    administrator = Principal(2, "admin@wattboard.ru", "admin", None)
    internal = InternalService()
    try:
        config = {
            "format": "csv",
            "format_options": {"meter_column": "meter", "ts_column": "ts", "value_column": "kwh", "ts_format": "iso"},
            "allow_private_network": True,
            "pull": {"url_template": internal.url + "/api/v2/status"},
        }
        with pytest.raises(AccessDenied, match="only administrators"):
            admin.create_partner(services, operator, "peek", "Подглядывающий", config)
        admin.create_partner(services, administrator, "internal-feed", "Внутренний", config)
        summary = connection_preview(services, operator, "internal-feed", dt.datetime.now(dt.UTC))
        shown = json.dumps([summary.errors, summary.rejected_examples, summary.preview], ensure_ascii=False)
        assert summary.errors and summary.preview == []  # told that it failed, not what the host holds
        assert "hunter2" not in shown and "hooks.internal" not in shown and "smtp" not in shown
    finally:
        internal.stop()
