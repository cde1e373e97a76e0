"""Sign-up, login, lockout and logout in headless Chromium, against the registry stand-ins."""

from __future__ import annotations

import pytest

from demo.registries import SIGNUP_CONTRACT, SIGNUP_INN
from tests.browser import chrome, click, sign_in, text_of
from tests.helpers import PASSWORD, make_user, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)]
NUMBER, SUPPLIER, SIGNED = SIGNUP_CONTRACT


def fill_signup(driver, base: str, email: str, inn: str) -> None:
    driver.get(f"{base}/signup")
    for name, value in (
        ("email", email),
        ("password", PASSWORD),
        ("full_name", "Пётр Булочкин"),
        ("contract_number", NUMBER),
        ("supplier", SUPPLIER),
    ):
        driver.find_element("id", name).send_keys(value)
    driver.execute_script(f"document.getElementById('contract_date').value = '{SIGNED}';")
    driver.find_element("id", "inn").send_keys(inn)


def follow_the_letter(driver, base: str, smtp, email: str) -> None:
    """Open the confirmation link of the letter sent to ``email`` and press its button."""
    import re

    body = smtp.body(smtp.letters_to(email)[-1])
    path = re.search(r"http://wattboard\.test(/signup/confirm/\S+)", body).group(1)
    driver.get(f"{base}{path}")
    driver.find_element("id", "signup-confirm").click()


def test_sign_up_in_the_browser(services, live_app, registries, smtp) -> None:
    fns, _ = registries
    with chrome() as driver:
        fill_signup(driver, live_app.url, "typo@pekarnya.ru", SIGNUP_INN[:-1] + str((int(SIGNUP_INN[-1]) + 1) % 10))
        wait_for(lambda: "контрольное число" in text_of(driver, "inn-check"), timeout=10)
        assert fns.requests == 0  # the checksum is checked before any registry call
        driver.find_element("id", "signup-submit").click()
        wait_for(lambda: "контрольное число ИНН не сходится" in text_of(driver, "inn-check"), timeout=10)

        fill_signup(driver, live_app.url, "baker@pekarnya.ru", SIGNUP_INN)
        wait_for(lambda: "ООО «Новая пекарня»" in text_of(driver, "inn-check"), timeout=10)
        assert "ОГРН 1257800012345" in text_of(driver, "inn-check")
        driver.find_element("id", "signup-submit").click()
        wait_for(lambda: "/signup/sent" in driver.current_url, timeout=20)
        assert "baker@pekarnya.ru" in text_of(driver, "signup-sent")
        follow_the_letter(driver, live_app.url, smtp, "baker@pekarnya.ru")
        wait_for(lambda: driver.current_url.rstrip("/") == live_app.url, timeout=20)
        wait_for(lambda: "baker@pekarnya.ru" in text_of(driver, "user-menu"), timeout=20)

    fns.fail = "down"
    with chrome() as driver:
        fill_signup(driver, live_app.url, "second@pekarnya.ru", SIGNUP_INN)
        wait_for(lambda: "не отвечает" in text_of(driver, "inn-check"), timeout=10)
        driver.find_element("id", "signup-submit").click()
        wait_for(lambda: "уже зарегистрирована" in driver.page_source, timeout=10)  # one organization, one sign-up


def test_a_registry_outage_leaves_the_browser_on_the_waiting_page(services, live_app, registries, smtp) -> None:
    registries[0].fail = "down"
    with chrome() as driver:
        fill_signup(driver, live_app.url, "baker@pekarnya.ru", SIGNUP_INN)
        driver.find_element("id", "signup-submit").click()
        wait_for(lambda: "/signup/sent" in driver.current_url, timeout=20)
        follow_the_letter(driver, live_app.url, smtp, "baker@pekarnya.ru")
        wait_for(lambda: "/signup/status" in driver.current_url, timeout=20)
        assert "Реестр пока не ответил" in text_of(driver, "signup-state")
        assert "HTTP 503" in text_of(driver, "signup-reason")
        driver.get(f"{live_app.url}/")
        assert "/login" in driver.current_url  # a pending account sees no data


def test_login_lockout_and_logout_in_the_browser(services, live_app) -> None:
    make_user(services.db, "a@x.ru", "admin")

    def attempt(driver, password: str) -> None:
        sign_in(driver, live_app.url, "a@x.ru", password)

    with chrome() as driver:
        attempt(driver, PASSWORD)
        wait_for(lambda: "a@x.ru" in text_of(driver, "user-menu"), timeout=20)
        click(driver, "logout-link")  # the menu's "Выйти" is a form that POSTs with the CSRF token
        wait_for(lambda: "/login" in driver.current_url, timeout=20)
        driver.get(f"{live_app.url}/consumption")
        assert "/login" in driver.current_url
        for _ in range(5):
            attempt(driver, "wrong password")
        assert "Вход временно закрыт" in text_of(driver, "form-error")
        attempt(driver, PASSWORD)
        assert "Вход временно закрыт" in text_of(driver, "form-error")
