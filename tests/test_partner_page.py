"""The partners page in a real browser: create a partner, import a file, see the batch; consumers are kept out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys

from auth.inn import complete_inn
from tests.browser import choose, chrome, click, sign_in, text_of
from tests.helpers import PASSWORD, make_org, make_user, wait_for
from tests.samples import xml80020

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)  # the pages, not the store, are tested
def test_an_administrator_creates_a_partner_from_raw_json_and_an_operator_imports_an_80020_file(
    services, live_app, running_consumer, tmp_path: Path
) -> None:
    make_org(services.db, "775000000", "ООО «Страница»", ["0101"])
    make_user(services.db, "ops@wattboard.ru", "operator")
    make_user(services.db, "root@wattboard.ru", "admin")
    config = {
        "format": "80020",
        "timezone": "Europe/Moscow",
        "units": "Wh",
        "organization_inn": complete_inn("775000000"),
    }
    sample = tmp_path / "80020_day.xml"
    sample.write_bytes(
        xml80020(
            points={"0101": {"01": [("0000", "0030", "1500"), ("0030", "0100", "1700")], "02": [("0000", "0030", "5")]}}
        )
    )
    with chrome() as driver:
        # Operators set partners up with the guided card; the raw configuration is the administrators' (folded).
        sign_in(driver, live_app.url, "ops@wattboard.ru", PASSWORD)
        driver.get(f"{live_app.url}/partners")
        wait_for(lambda: text_of(driver, "partners-table"), timeout=20)
        assert driver.find_elements("id", "pw-card") and not driver.find_elements("id", "partner-new-config")
        driver.delete_all_cookies()
        sign_in(driver, live_app.url, "root@wattboard.ru", PASSWORD)
        driver.get(f"{live_app.url}/partners")
        wait_for(lambda: text_of(driver, "partners-table"), timeout=20)
        click(driver, "partner-advanced-open")
        driver.find_element("id", "partner-new-slug").send_keys("ats-ural")
        driver.find_element("id", "partner-new-name").send_keys("АТС Урал")
        area = driver.find_element("id", "partner-new-config")
        area.send_keys(Keys.CONTROL, "a")
        area.send_keys(Keys.DELETE)
        area.send_keys(json.dumps(config))
        click(driver, "partner-create")
        wait_for(lambda: text_of(driver, "partner-create-result"), timeout=20)
        key = text_of(driver, "partner-new-key")
        assert key, text_of(driver, "partner-create-result")
        assert key.startswith("wbp_")
        wait_for(lambda: "ats-ural" in text_of(driver, "partners-list"), timeout=20)

        driver.delete_all_cookies()
        sign_in(driver, live_app.url, "ops@wattboard.ru", PASSWORD)
        driver.get(f"{live_app.url}/partners")
        wait_for(lambda: "ats-ural" in text_of(driver, "partners-list"), timeout=20)
        choose(driver, "partner-pick", "ats-ural")
        driver.find_element("css selector", "#partner-upload input[type=file]").send_keys(str(sample))
        summary = wait_for(lambda: text_of(driver, "partner-upload-summary"), timeout=30)
        assert "Записей 3" in summary and "Принято 2" in summary and "Отклонено 1" in summary
        # The reason in the reader's words (the push API and the dead-letter topic keep the English).
        assert "неизвестная точка учёта «0101:02»: сопоставьте её" in text_of(driver, "partner-rejections")
        wait_for(lambda: "80020_day.xml" in text_of(driver, "partner-batches-table"), timeout=20)
        # The same refusal waits in the partner's dead-letter list on the page, with its batch.
        letters = wait_for(lambda: text_of(driver, "partner-letters-table"), timeout=30)
        assert "неизвестная точка учёта «0101:02»" in letters and "ats-ural-" in letters


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_consumers_do_not_see_the_partners_page(services, live_app) -> None:
    make_org(services.db, "775100000", "ООО «Потребитель»", [])
    make_user(services.db, "user@client.ru", "consumer", complete_inn("775100000"))
    with chrome() as driver:
        sign_in(driver, live_app.url, "user@client.ru", PASSWORD)
        assert not driver.find_elements("id", "nav-partners")
        driver.get(f"{live_app.url}/partners")
        assert "администраторам и операторам" in wait_for(lambda: text_of(driver, "partners-denied"), timeout=20)


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_the_partner_forms_answer_in_russian(services, live_app) -> None:
    """Bad JSON, a configuration that is not an object, a taken code and testing a push-only partner: each answer is
    Russian, with where the JSON broke; the batches table names its zone."""
    from tests.dash_client import DashClient
    from tests.helpers import login

    make_user(services.db, "ops@wattboard.ru", "operator")
    dash = DashClient(live_app.app, live_app.url, login(live_app.url, "ops@wattboard.ru"))

    def create(slug: str, config: str) -> str:
        values = {
            "partner-create.n_clicks": 1,
            "partner-new-slug.value": slug,
            "partner-new-name.value": "Тест",
            "partner-new-config.value": config,
        }
        return str(dash.outputs("partner-create-result.children", values, "partner-create.n_clicks"))

    assert "Конфигурация — не JSON: ошибка в строке 1, позиции 18" in create("testcsv", '{"format": "csv" "x": 1}')
    assert "Конфигурация должна быть объектом JSON" in create("testcsv", "[1, 2]")
    assert "wbp_" in create("testcsv", json.dumps({"format": "csv", "timezone": "Europe/Moscow"}))
    assert "Партнёр с кодом «testcsv» уже есть." in create("testcsv", json.dumps({"format": "csv"}))
    assert "Код партнёра — от 3 до 60 строчных латинских букв" in create("A", json.dumps({"format": "csv"}))
    tested = dash.outputs(
        "partner-test-result.children",
        {"partner-test.n_clicks": 1, "partner-pick.value": "testcsv"},
        "partner-test.n_clicks",
    )
    assert "не настроен адрес для опроса" in str(tested) and "no pull endpoint" not in str(tested)
    listed = str(dash.outputs("partners-table.children", {}))
    assert "Последний опрос, Москва (UTC+3)" in listed
