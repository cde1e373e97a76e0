"""The guided partner set-up (issue 21): an operator, not a developer, goes from a sample file to the first stored
reading, seeing what would be stored and refused (in Russian) before anything is saved."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from auth.inn import complete_inn
from data.clickhouse.readings import latest_timestamps
from data.relational import partners as partners_repo
from data.relational.meters import meter_by_code
from partners.sniff import file_kind
from tests.browser import by_id, choose, chrome, click, dash_id, sign_in, text_of
from tests.helpers import PASSWORD, make_org, make_user, wait_for

pytestmark = pytest.mark.browser

SAMPLE = (
    "Счётчик;Дата и время;Энергия, кВт·ч\n"
    "A-17;01.12.2026 00:00;1,50\n"
    "A-17;01.12.2026 00:30;1,75\n"
    "A-17;01.12.2026 01:00;1,60\n"
    "A-17;31.11.2026 01:30;1,60\n"  # no such day
    "B-99;01.12.2026 00:00;2,00\n"  # a meter nobody mapped
)


def test_the_sample_tells_the_mapping_the_set_up_proposes() -> None:
    kind = file_kind(SAMPLE.encode("cp1251"))
    assert kind.options["meter_column"] == "Счётчик" and kind.options["ts_column"] == "Дата и время"
    assert kind.options["value_column"] == "Энергия, кВт·ч" and kind.interval_s == 1800
    assert kind.columns == ("Счётчик", "Дата и время", "Энергия, кВт·ч") and kind.rows[0] == (
        "A-17",
        "01.12.2026 00:00",
        "1,50",
    )


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)  # the pages, not the store, are tested
def test_an_operator_sets_a_partner_up_from_a_sample_and_its_first_push_is_stored(
    services, live_app, running_consumer, tmp_path
) -> None:
    make_org(services.db, "775200000", "ООО «Мастер»", ["SP-1"])
    make_user(services.db, "ops@wattboard.ru", "operator")
    sample = tmp_path / "образец.csv"
    sample.write_bytes(SAMPLE.encode("cp1251"))
    with chrome() as driver:
        sign_in(driver, live_app.url, "ops@wattboard.ru", PASSWORD)
        driver.get(f"{live_app.url}/partners")
        wait_for(lambda: text_of(driver, "pw-card"), timeout=20)
        by_id(driver, "pw-slug").send_keys("master-askue")
        by_id(driver, "pw-name").send_keys("АСКУЭ «Мастер»")
        by_id(driver, "pw-sample").find_element("css selector", "input[type=file]").send_keys(str(sample))

        # The first rows as they are, and the columns Wattboard proposes to read.
        head = wait_for(lambda: text_of(driver, "pw-head-table"), timeout=20)
        assert "Счётчик" in head and "A-17" in head and "01.12.2026 00:30" in head
        proposed = text_of(driver, dash_id(name="ts_column", type="pw-opt"))
        assert "Дата и время" in proposed
        # Before a mapping, nothing would be stored: the partner's meter ids are not Wattboard's points.
        summary = wait_for(lambda: text_of(driver, "pw-preview-summary"), timeout=20)
        assert "будет принято 0, отклонено 5" in summary, summary

        choose(driver, "pw-org", "ООО «Мастер»")
        wait_for(lambda: by_id(driver, dash_id(meter="A-17", type="pw-map")), timeout=20)
        choose(driver, dash_id(meter="A-17", type="pw-map"), "SP-1")
        wait_for(lambda: "будет принято 3" in text_of(driver, "pw-preview-summary"), timeout=20)
        preview = text_of(driver, "pw-preview-table")
        assert "SP-1" in preview and "01.12.2026 00:30" in preview and "1,750" in preview  # Moscow time, as sent
        refused = text_of(driver, "pw-preview-rejected")
        assert "время «31.11.2026 01:30» не в формате ДД.ММ.ГГГГ ЧЧ:ММ" in refused
        assert "неизвестная точка учёта «B-99»" in refused
        assert "master-askue" not in text_of(driver, "partners-list")  # nothing saved yet

        click(driver, "pw-create")
        key = wait_for(lambda: text_of(driver, "pw-key"), timeout=20)
        assert key.startswith("wbp_")
        wait_for(lambda: "master-askue" in text_of(driver, "partners-list"), timeout=20)

    answer = requests.post(
        f"{live_app.url}/api/v1/ingest/master-askue",
        data=sample.read_bytes(),
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
    )
    assert answer.status_code == 202 and answer.json()["accepted"] == 3, answer.text
    stored = partners_repo.partner_by_slug(services.db, "master-askue")
    assert stored is not None and stored.config["organization_inn"] == complete_inn("775200000")
    assert stored.config["meter_map"] == {"A-17": "SP-1"} and stored.config["format_options"]["decimal_comma"] is True
    meter = meter_by_code(services.db, "SP-1")
    assert meter is not None
    newest = wait_for(lambda: latest_timestamps(services.store, [meter.id]).get(meter.id), timeout=60)
    assert newest.replace(tzinfo=dt.UTC) == dt.datetime(2026, 11, 30, 22, 0, tzinfo=dt.UTC)  # 01:00 in Moscow


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_a_sample_is_fetched_from_the_pull_address_as_a_poll_would_and_only_admins_reach_private_networks(
    services,
) -> None:
    from auth.principal import AccessDenied, Principal
    from partners.fetcher import FetchError
    from partners.setup import Choices, fetch_sample, preview
    from tests.partner_server import PartnerServer

    make_org(services.db, "775300000", "ООО «Опрос»", ["PL-7"])
    t0 = int(dt.datetime(2026, 12, 1, tzinfo=dt.UTC).timestamp())
    server = PartnerServer([[{"m": "PL-7", "t": t0 + i * 1800, "v": 0.5} for i in range(4)]])
    admin, operator = Principal(1, "root@w.ru", "admin", None), Principal(2, "ops@w.ru", "operator", None)
    url = server.url + "/readings?from={since}&to={until}"
    try:
        with pytest.raises(AccessDenied):
            fetch_sample(services, operator, url, "bearer", secret="s3cret", allow_private=True)
        with pytest.raises(FetchError) as refused:  # a loopback address, not allowed: refused before any request
            fetch_sample(services, admin, url, "bearer", secret="s3cret")
        assert "not a public address" in str(refused.value) and server.requests == []
        with pytest.raises(FetchError) as wrong:
            fetch_sample(services, admin, "ftp://example.ru/x", "bearer", secret="s3cret", allow_private=True)
        assert wrong.value.code == "url"
        sample = fetch_sample(services, admin, url, "bearer", secret="s3cret", allow_private=True)
        assert "from=" in server.requests[-1] and "to=" in server.requests[-1]  # the last day, as a poll asks
        kind = file_kind(sample)
        assert kind.format == "json" and kind.options["records_path"] == "items"
        assert (kind.options["ts_path"], kind.options["value_path"], kind.options["ts_format"]) == ("t", "v", "epoch")
        choices = Choices("json", dict(kind.options, meter_path="m"), organization_inn=complete_inn("775300000"))
        report = preview(services, operator, "opros", choices.config(), sample)
        assert (report.records, report.accepted, len(report.rejected)) == (4, 4, 0)
        assert report.preview[0]["meter"] == "PL-7"
        assert partners_repo.partner_by_slug(services.db, "opros") is None  # the preview saved nothing
    finally:
        server.stop()
