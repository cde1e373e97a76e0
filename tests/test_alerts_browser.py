"""The bell in headless Chromium: it counts a new alert without a reload, lists it, and the notification centre
acknowledges it; the profile page saves a user's channels."""

from __future__ import annotations

import pytest

from alerts import lifecycle
from alerts.events import firing
from tests.alert_world import seed
from tests.browser import chrome, click, sign_in, text_of
from tests.helpers import PASSWORD, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)]


def test_the_bell_rings_without_a_reload_and_the_alert_is_acknowledged(services, live_app) -> None:
    world = seed(services)
    with chrome() as driver:
        sign_in(driver, live_app.url, "owner@a.ru", PASSWORD)
        wait_for(lambda: driver.find_elements("id", "bell"), timeout=30)
        assert not driver.find_element("id", "bell-count").is_displayed()
        params = {"meter": "A-1", "meter_name": "Цех A-1", "tz": "Asia/Yekaterinburg"}
        event = firing(
            "device_offline",
            "SN-A1",
            "SN-A1",
            organization_id=world.org_a,
            meter="A-1",
            link="/devices/SN-A1",
            params=params,
        )
        lifecycle.apply(services, event)
        wait_for(lambda: text_of(driver, "bell-count") == "1", timeout=30)  # the page was not reloaded
        driver.find_element("css selector", "#bell .dropdown-toggle").click()
        wait_for(lambda: "Прибор SN-A1 не на связи" in text_of(driver, "bell"), timeout=10)
        assert driver.find_element("link text", "Все уведомления →").get_attribute("href").endswith("/notifications")

        driver.get(f"{live_app.url}/notifications")
        wait_for(lambda: "Прибор SN-A1 не на связи" in text_of(driver, "notif-list"), timeout=30)
        item = driver.find_element("xpath", "//*[starts-with(@id, 'alert-')]")
        button = item.find_element("xpath", ".//button[normalize-space()='Подтвердить']")
        driver.execute_script("arguments[0].click();", button)
        wait_for(lambda: "подтверждено: owner@a.ru" in text_of(driver, "notif-list"), timeout=20)
        # The bell follows at once, not at its next refresh (every 10 s).
        wait_for(lambda: not driver.find_element("id", "bell-count").is_displayed(), timeout=3)

        driver.get(f"{live_app.url}/profile")
        wait_for(lambda: "Прибор не на связи" in text_of(driver, "pref-table"), timeout=30)
        email = driver.find_element(
            "xpath",
            "//*[@id='pref-table']//tr[td[normalize-space()='Прибор не на связи']]//label[normalize-space()='Почта']",
        )
        driver.execute_script("arguments[0].click();", email)
        click(driver, "pref-save")
        wait_for(lambda: "Сохранено" in text_of(driver, "pref-result"), timeout=20)
    from alerts.actions import profile
    from auth.principal import Principal

    mine = profile(services, Principal(world.owner, "owner@a.ru", "consumer", world.org_a, is_owner=True))
    offline = next(p for p in mine.matrix if p.kind == "device_offline")
    assert offline.bell and not offline.email  # the owner had email by default and switched it off
