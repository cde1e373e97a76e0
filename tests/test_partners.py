"""Partners end to end on real components: push, import, pull, dead letters, backfill."""

from __future__ import annotations

import datetime as dt
import json
import socket
from typing import Any

import pytest
import requests
from rq import Queue

from auth.inn import complete_inn
from data.clickhouse.readings import count_readings, series
from data.relational import partners as partners_repo
from data.relational.meters import meter_by_code
from partners import admin
from partners.config import PullConfig
from partners.dead_letters import read_letters, replay
from partners.fetcher import fetch
from partners.ingest import ingest_payload
from partners.polling import poll_window
from runtime.rq_runner import InlineWorker
from security.outbound import BlockedAddress, FetchError, PinnedAdapter, check_address, pinned
from tests.helpers import epoch, make_org, wait_for
from tests.partner_server import PartnerServer
from tests.samples import xml80020
from workers import jobs

T0 = epoch(2026, 1, 15)
JSON_OPTIONS = {"records_path": "items", "meter_path": "m", "ts_path": "t", "value_path": "v", "ts_format": "epoch"}


def utc(s: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(s, dt.UTC)


def hourly_total(services, code: str) -> float:
    meter = meter_by_code(services.db, code)
    return float(series(services.store, meter.id, utc(T0 - 86400), utc(T0 + 5 * 86400), "hour")["value"].sum())


def json_partner(services, slug: str = "acme", **config):
    return admin.create(
        services.db,
        services.settings,
        slug,
        "ACME",
        {"format": "json", "format_options": JSON_OPTIONS, "timezone": "UTC", **config},
        secret="s3cret",
    )


def test_push_accepts_good_records_and_explains_bad_ones(services, live_app, running_consumer) -> None:
    make_org(services.db, "772000000", "ООО «Пуш»", ["PU-1"])
    _, key = json_partner(services, organization_inn=complete_inn("772000000"))
    body = {
        "items": [
            {"m": "PU-1", "t": T0, "v": 1.5},
            {"m": "PU-1", "t": T0 + 1800, "v": 2.5},
            {"m": "PU-1", "t": T0 + 3600, "v": -3},
            {"m": "PU-1", "t": "later", "v": 1},
        ]
    }
    url = f"{live_app.url}/api/v1/ingest/acme"
    response = requests.post(url, data=json.dumps(body), headers={"Authorization": f"Bearer {key}"}, timeout=30)
    assert response.status_code == 202
    report = response.json()
    assert (report["records"], report["accepted"], report["rejected"]) == (4, 2, 2)
    assert sorted(e["reason"] for e in report["errors"]) == [
        "negative consumption",
        "timestamp 'later' is not a number",
    ]
    wait_for(lambda: hourly_total(services, "PU-1") == 4.0)
    assert requests.post(url, data=b"{}", headers={"Authorization": "Bearer wrong"}, timeout=10).status_code == 401
    bad = requests.post(url, data=b"not json", headers={"Authorization": f"Bearer {key}"}, timeout=10)
    assert bad.status_code == 422 and bad.json()["error"].startswith("not JSON")


def test_importing_the_same_80020_file_twice_changes_nothing(services, running_consumer) -> None:
    make_org(services.db, "772100000", "ООО «Импорт»", ["0101"])
    partner, _ = admin.create(
        services.db,
        services.settings,
        "ats",
        "АТС",
        {"format": "80020", "timezone": "Europe/Moscow", "units": "Wh", "organization_inn": complete_inn("772100000")},
    )
    payload = xml80020(points={"0101": {"01": [(f"{h:02d}00", f"{h:02d}30", str(1000 + h)) for h in range(10)]}})
    first = ingest_payload(services, partner, payload, "import", file_name="day.xml")
    assert (first.records, first.accepted, len(first.rejected)) == (10, 10, 0)
    wait_for(lambda: hourly_total(services, "0101") == pytest.approx(sum(1000 + h for h in range(10)) / 1000))
    before = series(services.store, meter_by_code(services.db, "0101").id, utc(T0 - 86400), utc(T0 + 86400), "raw")
    second = ingest_payload(services, partner, payload, "import", file_name="day.xml")
    assert second.accepted == 10
    wait_for(lambda: len(partners_repo.batches(services.db, partner.id)) == 2)
    after = series(services.store, meter_by_code(services.db, "0101").id, utc(T0 - 86400), utc(T0 + 86400), "raw")
    assert after[["ts", "value"]].equals(before[["ts", "value"]])
    assert count_readings(services.store, [meter_by_code(services.db, "0101").id]) == 10
    assert before["ts"].iloc[0] == dt.datetime(2026, 1, 14, 21, 0, tzinfo=dt.UTC)  # 00:00 in Moscow
    hashes = {b.payload_sha256 for b in partners_repo.batches(services.db, partner.id)}
    assert len(hashes) == 1


def test_meters_are_created_on_first_sight_when_the_partner_allows(services, running_consumer) -> None:
    make_org(services.db, "772200000", "ООО «Новые»", [])
    partner, _ = json_partner(services, "fresh", auto_create_meters=True, organization_inn=complete_inn("772200000"))
    payload = json.dumps({"items": [{"m": "NEW-1", "t": T0, "v": 1.0}, {"m": "NEW-2", "t": T0, "v": 2.0}]}).encode()
    assert ingest_payload(services, partner, payload, "push").accepted == 2
    # Created in the partner's own space of codes (issue 16), named as the partner calls them.
    assert meter_by_code(services.db, "fresh:NEW-1").name == "NEW-1"
    assert meter_by_code(services.db, "fresh:NEW-2") is not None and meter_by_code(services.db, "NEW-2") is None
    wait_for(lambda: hourly_total(services, "fresh:NEW-2") == 2.0)
    assert ingest_payload(services, partner, payload, "push").accepted == 2  # the same ids find the same points


def test_unknown_meters_wait_in_the_dead_letter_topic_until_mapped(services, running_consumer) -> None:
    make_org(services.db, "772300000", "ООО «Карта»", ["OURS-1"])
    partner, _ = json_partner(services, "mapper")
    payload = json.dumps({"items": [{"m": "THEIRS-1", "t": T0 + i * 1800, "v": 1.0} for i in range(3)]}).encode()
    report = ingest_payload(services, partner, payload, "push")
    assert report.accepted == 0 and len(report.rejected) == 3
    letters = [letter for _, letter in read_letters(services)]
    assert {letter["partner"] for letter in letters} == {"mapper"}
    assert all(letter["reason"].startswith("unknown meter 'THEIRS-1'") for letter in letters)
    admin.update_config(services.db, "mapper", {**partner.config, "meter_map": {"THEIRS-1": "OURS-1"}})
    assert replay(services).replayed == 3
    wait_for(lambda: hourly_total(services, "OURS-1") == 3.0)
    assert replay(services).replayed == 0  # already replayed


def test_pull_follows_next_links_with_bearer_auth_and_retries(services, running_consumer) -> None:
    make_org(services.db, "772400000", "ООО «Тянем»", ["PL-1"])
    pages = [[{"m": "PL-1", "t": T0 + (p * 4 + i) * 1800, "v": 0.5} for i in range(4)] for p in range(3)]
    server = PartnerServer(pages, failures=2)
    try:
        json_partner(
            services,
            "puller",
            organization_inn=complete_inn("772400000"),
            allow_private_network=True,
            format_options={**JSON_OPTIONS, "next_link_path": "next"},
            pull={
                "url_template": server.url + "/readings?from={since}&to={until}",
                "auth": "bearer",
                "pagination": "next_link",
                "retries": 3,
            },
        )
        partner = partners_repo.partner_by_slug(services.db, "puller")
        assert partner is not None
        preview = poll_window(services, partner, utc(T0), utc(T0 + 86400), dry_run=True)
        assert preview.records == 4 and len(preview.preview) == 4 and preview.preview[0]["meter"] == "PL-1"
        assert count_readings(services.store, [meter_by_code(services.db, "PL-1").id]) == 0
        assert partners_repo.batches(services.db, partner.id) == []  # the test fetch stored nothing
        summary = poll_window(services, partner, utc(T0), utc(T0 + 86400))
        assert (summary.pages, summary.accepted) == (3, 12)
        wait_for(lambda: hourly_total(services, "PL-1") == 6.0)
        assert "from=2026-01-15T00%3A00%3A00%2B00%3A00" in server.requests[-3]
    finally:
        server.stop()


def test_the_ssrf_guard_refuses_local_addresses_unless_allowed(services) -> None:
    server = PartnerServer([[]])
    try:
        json_partner(services, "sneaky", pull={"url_template": server.url + "/readings", "auth": "bearer"})
        partner = partners_repo.partner_by_slug(services.db, "sneaky")
        assert partner is not None
        with pytest.raises(BlockedAddress, match="127.0.0.1, which is not a public address"):
            poll_window(services, partner, utc(T0), utc(T0 + 3600))
        assert server.requests == []
    finally:
        server.stop()


def test_backfill_runs_as_an_rq_job_with_progress(services, running_consumer) -> None:
    make_org(services.db, "772500000", "ООО «Бэкфилл»", ["BF-1"])
    pages = [[{"m": "BF-1", "t": T0 + i * 1800, "v": 1.0} for i in range(2)]]
    server = PartnerServer(pages)
    try:
        json_partner(
            services,
            "filler",
            organization_inn=complete_inn("772500000"),
            allow_private_network=True,
            pull={"url_template": server.url + "/readings?from={since}", "auth": "bearer"},
        )
        jobs.bind(services)
        queue = Queue("ingest", connection=services.redis)
        job = queue.enqueue(jobs.backfill_partner, "filler", utc(T0).isoformat(), utc(T0 + 3 * 86400).isoformat())
        InlineWorker([queue], connection=services.redis).work(burst=True)
        job.refresh()
        assert job.is_finished, job.latest_result()
        assert job.meta["progress"] == 1.0
        assert job.return_value()["accepted"] == 6  # three daily windows, two readings each time
        assert len(server.requests) == 3
        wait_for(lambda: hourly_total(services, "BF-1") == 2.0)
    finally:
        server.stop()


def test_partner_device_state_reaches_the_device(services, live_app, running_consumer) -> None:
    from data.relational.models import Device

    make_org(services.db, "772600000", "ООО «Приборы»", ["DV-1"])
    with services.db.session() as s:
        s.add(Device(serial="SN-DV-1", model="Меркурий", metering_point_id=meter_by_code(services.db, "DV-1").id))
    _, key = json_partner(services, "devices", organization_inn=complete_inn("772600000"))  # its own devices only
    body: list[Any] = [
        {"device": "SN-DV-1", "ts": T0, "battery": 12.5, "signal": -90, "error_code": "LOW_BAT", "tamper": 1},
        {"ts": T0},
    ]
    response = requests.post(
        f"{live_app.url}/api/v1/ingest/devices/devices",
        json=body,
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
    )
    assert response.status_code == 202 and response.json()["accepted"] == 1 and response.json()["rejected"] == 1

    def updated() -> bool:
        with services.db.session() as s:
            device = s.query(Device).filter_by(serial="SN-DV-1").one()
            return device.error_code == "LOW_BAT" and device.battery == 12.5

    wait_for(updated)


@pytest.mark.parametrize("address", ["100.64.0.1", "10.1.2.3", "169.254.169.254", "192.0.2.7", "::1", "fd00::1"])
def test_only_public_addresses_pass_the_guard(address: str) -> None:
    """``is_global``, not ``is_private``: the shared space 100.64.0.0/10 and documentation ranges are not public."""

    def resolve(host: str, port: int) -> list:
        return [(None, None, None, "", (address, port))]

    with pytest.raises(BlockedAddress, match="which is not a public address"):
        check_address("https://partner.example/x", False, resolve)
    assert check_address("https://partner.example/x", True, resolve) is None  # allowed by an administrator


def test_a_dns_answer_that_changes_after_the_check_cannot_reach_a_local_service() -> None:
    """DNS rebinding: the guard is told a public address, the connection would be told 127.0.0.1. The request goes
    to the address that was checked, so the local service never sees it."""
    server = PartnerServer([[]])
    port = int(server.url.rsplit(":", 1)[1])
    checked: list[str] = []

    def rebinding_dns(host: str, port: int, *args: object, **kwargs: object) -> list[tuple]:
        checked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("1.1.1.1", port))]  # public, when the guard asks

    pull = PullConfig(url_template="http://localhost/readings", timeout_s=1, retries=0, auth="bearer")
    try:
        with pytest.raises(FetchError):  # 1.1.1.1 is not reachable from here; "localhost" would have been
            fetch(f"http://localhost:{port}/readings", pull, "s3cret", False, resolve=rebinding_dns)
        assert checked == ["localhost"] and server.requests == []
    finally:
        server.stop()


def test_a_pinned_request_names_the_host_it_was_meant_for() -> None:
    session = requests.Session()
    url, headers = pinned(session, "https://meters.example.ru:8443/v1/data?page=2", "203.0.113.7")
    assert url == "https://203.0.113.7:8443/v1/data?page=2" and headers == {"Host": "meters.example.ru:8443"}
    adapter = session.get_adapter(url)
    assert isinstance(adapter, PinnedAdapter) and adapter.hostname == "meters.example.ru"  # TLS checks this name
    assert pinned(session, "http://[2001:db8::1]/x", None) == ("http://[2001:db8::1]/x", {})  # private allowed
    assert pinned(session, "http://meters.example.ru/x", "2001:db8::5")[0] == "http://[2001:db8::5]/x"
