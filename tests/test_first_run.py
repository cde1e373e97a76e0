"""A new organization's first run (issue 21): from an empty overview to a first point and its data, each of the three
ways — readings by hand, a file its supplier exported, a request the staff hear of — in a real browser."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select, update

from alerts.actions import latest
from auth.inn import complete_inn
from auth.principal import Principal
from data.relational.models import User
from onboarding.actions import connection_requests
from partners.formats import PARSERS
from partners.sniff import UnknownFile, file_kind
from tests.alert_world import pump
from tests.browser import by_id, choose, chrome, click, dash_id, sign_in, text_of
from tests.dash_client import DashClient
from tests.helpers import PASSWORD, login, make_org, make_user, wait_for
from tests.samples import espi, xml80020


def test_a_file_tells_its_format_columns_time_and_decimal_mark() -> None:
    russian = "Дата и время;Потребление, кВт·ч\n01.12.2026 00:00;1,5\n01.12.2026 00:30;1,25\n".encode("cp1251")
    kind = file_kind(russian)
    assert kind.format == "csv" and kind.units == "kWh" and kind.interval_s == 1800
    assert kind.options == {
        "delimiter": ";",
        "ts_column": "Дата и время",
        "value_column": "Потребление, кВт·ч",
        "ts_format": "%d.%m.%Y %H:%M",
        "decimal_comma": True,
    }
    values = [r.value for r in PARSERS["csv"].parse(russian, {**kind.options, "meter": "P"}).readings]
    assert values == [1.5, 1.25]
    english = b"meter,time,Wh\nX,2026-12-01T00:00:00+03:00,1500\nX,2026-12-01T01:00:00+03:00,1400\n"
    kind = file_kind(english)
    assert (kind.options["ts_column"], kind.options["value_column"], kind.options["ts_format"], kind.units) == (
        "time",
        "Wh",
        "iso",
        "Wh",
    )
    assert kind.interval_s == 3600  # the file's own step: hourly rows are hours
    assert file_kind(xml80020()).format == "80020" and file_kind(espi()).format == "espi"
    for payload, code in (
        (b"<html><body>no</body></html>", "xml"),
        (b"PK\x03\x04\x00\x00binary\xff\xfe", "binary"),
        (b"time;kwh\n", "empty"),
        (b"just one column\nvalue\n", "columns"),
        (b"when;kwh\nyesterday;1\n", "time"),
    ):
        with pytest.raises(UnknownFile) as refused:
            file_kind(payload)
        assert refused.value.code == code, payload


def _owner(services, inn_prefix: str, name: str, email: str, kind: str) -> None:
    make_org(services.db, inn_prefix, name, [], kind=kind)
    make_user(services.db, email, "consumer", complete_inn(inn_prefix))
    with services.db.session() as s:
        s.execute(update(User).where(User.email == email).values(is_owner=True))


def _fill(driver, element_id: str, text: str) -> None:
    field = by_id(driver, element_id)
    field.clear()
    field.send_keys(text)


def _add_point(driver, code: str, name: str, plan: str, way: str) -> None:
    wait_for(lambda: "Начнём" in text_of(driver, "fr-card"), timeout=30)
    _fill(driver, "fr-code", code)
    _fill(driver, "fr-name", name)
    _fill(driver, "fr-address", "Москва, ул. Ленина, 1")
    choose(driver, "fr-plan", plan)
    label = driver.find_element("xpath", f"//*[@id='fr-way']//label[starts-with(normalize-space(), '{way}')]")
    driver.execute_script("arguments[0].click();", label)  # the plan's list may still cover it
    click(driver, "fr-add")
    wait_for(lambda: f"Шаг 2. Показания точки {code}" in text_of(driver, "fr-card"), timeout=20)


def _reading(driver, code: str, date: str, registers: dict[str, str]) -> str:
    _fill(driver, dash_id(code=code, type="reading-date"), date)
    for register, value in registers.items():
        _fill(driver, dash_id(code=code, reg=register, type="reading-reg"), value)
    result = dash_id(code=code, type="reading-result")
    before = text_of(driver, result)
    click(driver, dash_id(code=code, type="reading-submit"))
    return wait_for(lambda: (text := text_of(driver, result)) != before and text, timeout=20)


@pytest.mark.browser
@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)  # the pages, not the store, are tested
def test_a_new_household_adds_its_meter_and_two_readings_by_hand_and_sees_the_period_priced(
    services, live_app
) -> None:
    _owner(services, "771900000", "Петров Пётр Петрович", "petrov@mail.ru", "household")
    with chrome() as driver:
        sign_in(driver, live_app.url, "petrov@mail.ru", PASSWORD)
        driver.get(f"{live_app.url}/")
        intro = wait_for(lambda: text_of(driver, "fr-card"), timeout=30)
        assert "Данных вашей организации в Wattboard пока нет" in intro and "Буду вводить показания сам" in intro
        time.sleep(1)  # the card is redrawn as the page settles: no answer before anything is pressed
        assert text_of(driver, "fr-add-result") == ""
        _add_point(driver, "EL-100", "Квартира", "Двухзонный", "Буду вводить")
        card = text_of(driver, "fr-card")
        assert "Т1 — День (07–23)" in card and "Т2 — Ночь (23–07)" in card

        first = _reading(driver, "EL-100", "01.11.2026", {"t1": "10 000,5", "t2": "4000"})
        assert first.startswith("Показание записано. Введите следующее"), first
        lower = _reading(driver, "EL-100", "01.12.2026", {"t1": "9000", "t2": "4100"})
        assert lower.startswith("Показание t1 меньше прошлого") or "меньше прошлого" in lower, lower  # look again
        period = _reading(driver, "EL-100", "01.12.2026", {"t1": "10 150,5", "t2": "4060"})
        assert period.startswith("Показание записано. С 01.11.2026 по 01.12.2026: 210,0 кВт·ч ≈ "), period
        assert period.rstrip(".").endswith("₽"), period

        # With a priced period the organization has data: the overview is the ordinary one from now on.
        driver.get(f"{live_app.url}/")
        wait_for(lambda: text_of(driver, "overview-meters"), timeout=30)
        assert not driver.find_elements("id", "fr-card")
        # …where the point counts by its periods: the last reading, the last period, its kWh and roubles.
        manual = wait_for(lambda: text_of(driver, "ov-manual-table"), timeout=30)
        assert "EL-100 — Квартира" in manual and "01.11 – 01.12.2026" in manual and "210,0 кВт·ч" in manual, manual
        assert "₽" in manual
        # The point's page takes the next readings with the same form.
        driver.get(f"{live_app.url}/consumption?meter=EL-100")
        table = wait_for(lambda: text_of(driver, "cons-manual-EL-100"), timeout=30)
        assert "210" in table
        # (the card is drawn again once the picker has chosen the point: wait for the form, do not catch it mid-redraw)
        submit = wait_for(lambda: text_of(driver, dash_id(code="EL-100", type="reading-submit")), timeout=30)
        assert submit == "Передать показания", submit


@pytest.mark.browser
@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_a_new_business_uploads_its_suppliers_file_and_asks_for_a_feed_the_staff_hear_of(
    services, live_app, running_consumer, tmp_path
) -> None:
    _owner(services, "771800000", "ООО «Новый клиент»", "boss@new.ru", "business")
    make_user(services.db, "ops@wattboard.ru", "operator")
    sample = tmp_path / "выгрузка.csv"
    rows = ["01.11.2026 09:00;1,9", "01.11.2026 10:00;2,0", "02.11.2026 09:00;1,9", "02.11.2026 10:00;2,0"]
    sample.write_text("Дата и время;Расход, кВт·ч\n" + "\n".join(rows) + "\n32.11.2026 10:00;1,0\n", encoding="cp1251")
    with chrome() as driver:
        sign_in(driver, live_app.url, "boss@new.ru", PASSWORD)
        driver.get(f"{live_app.url}/")
        _add_point(driver, "NK-1", "Офис", "Одноставочный", "Загружу файл")
        upload = dash_id(code="NK-1", type="fr-upload")
        by_id(driver, upload).find_element("css selector", "input[type=file]").send_keys(str(sample))
        summary = wait_for(lambda: text_of(driver, "fr-upload-summary"), timeout=30)
        assert summary == "выгрузка.csv: принято 4 из 5, отклонено 1.", summary
        result = text_of(driver, dash_id(code="NK-1", type="fr-upload-result"))
        assert "строка 6: время «32.11.2026 10:00» не в формате ДД.ММ.ГГГГ ЧЧ:ММ" in result

        _fill(driver, dash_id(code="NK-1", type="fr-supplier"), "АО «Мосэнергосбыт»")
        _fill(driver, dash_id(code="NK-1", type="fr-contact"), "+7 900 000-00-00")
        click(driver, dash_id(code="NK-1", type="fr-ask"))
        assert "сотрудники Wattboard увидят его" in wait_for(lambda: text_of(driver, "fr-ask-sent"), timeout=20)

    # The file's readings are the point's, in its zone; nobody else's point was touched.
    session = login(live_app.url, "boss@new.ru")
    url = f"{live_app.url}/api/v1/meters/NK-1/readings"

    def stored() -> list:
        found = session.get(url, params={"granularity": "raw", "from": "2026-11-01"}, timeout=10).json()["readings"]
        return found if len(found) == 4 else []

    readings = wait_for(stored, timeout=60)
    assert readings[0]["ts"].startswith("2026-11-01T06:00") and readings[0]["value_kwh"] == pytest.approx(1.9)

    # With its data in, the overview (one answer for the whole page) no longer shows the first steps: whether the
    # organization has data is kept by its data version, which the readings just moved.
    overview = DashClient(live_app.app, live_app.url, session)
    opened = {"org-switch.value": None, "fr-added.data": None}

    def past_first_run() -> dict:
        out = overview.outputs("ov-org.children", opened)
        return out if out["ov-first-run.children"] is None else {}

    page = wait_for(past_first_run, timeout=30)
    assert page["ov-org.children"] == "ООО «Новый клиент»" and "NK-1" in str(page["overview-meters.children"])

    # The staff hear of the request in their bell and find it on /partners.
    with services.db.session() as s:
        operator_id = s.scalar(select(User.id).where(User.email == "ops@wattboard.ru"))
    operator = Principal(operator_id, "ops@wattboard.ru", "operator", None)
    (request,) = connection_requests(services, operator)
    assert (request.point, request.organization) == ("NK-1", "ООО «Новый клиент»")
    assert request.supplier == "АО «Мосэнергосбыт»"

    def rang() -> list:
        pump(services)
        return [n for n in latest(services, operator) if n.kind == "connection_request"]

    (bell,) = wait_for(rang, timeout=60)
    assert bell.title == "ООО «Новый клиент»: просят подключить точку NK-1" and bell.link == "/partners"
    with chrome() as driver:
        sign_in(driver, live_app.url, "ops@wattboard.ru", PASSWORD)
        driver.get(f"{live_app.url}/partners")
        listed = wait_for(lambda: text_of(driver, "partner-requests-table"), timeout=30)
        assert "NK-1" in listed and "АО «Мосэнергосбыт»" in listed and "+7 900 000-00-00" in listed


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_an_80020_file_is_read_for_the_chosen_point_and_a_file_of_several_points_is_refused(services) -> None:
    from onboarding.actions import add_point, upload_file

    _owner(services, "771700000", "ООО «Один счётчик»", "one@meter.ru", "business")
    with services.db.session() as s:
        user = s.scalars(select(User).where(User.email == "one@meter.ru")).one()
        owner = Principal(user.id, user.email, "consumer", user.organization_id, is_owner=True)
    add_point(services, owner, "OM-1", "Цех", "single", None, "file")
    channels = {"01": [("0000", "0030", "1500"), ("0030", "0100", "1700")], "02": [("0000", "0030", "5")]}
    report = upload_file(services, owner, "OM-1", xml80020(points={"0101": channels}), "80020.xml")
    # The active channel is the chosen point's; the reactive channel is refused on its own, with its reason.
    assert (report.records, report.accepted, len(report.rejected), len(report.held)) == (3, 2, 1, 0)  # Wh, not kWh
    assert report.rejected[0]["reason"].startswith("unknown meter '0101:02'")
    several = xml80020(points={"0101": {"01": [("0000", "0030", "1")]}, "0202": {"01": [("0000", "0030", "2")]}})
    with pytest.raises(UnknownFile) as refused:
        upload_file(services, owner, "OM-1", several, "два счётчика.xml")
    assert refused.value.code == "several" and refused.value.params == {"count": 2}
