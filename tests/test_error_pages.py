"""Errors speak the user's language: Dash's page for an unknown address, and the server's own error pages."""

from __future__ import annotations

import pytest
import requests

from tests.browser import chrome, sign_in, text_of
from tests.helpers import PASSWORD, login, make_user, wait_for


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)  # a browser: once is enough
def test_an_unknown_address_shows_a_russian_page_with_a_way_back(services, live_app) -> None:
    make_user(services.db, "a@x.ru", "admin")
    with chrome() as driver:
        sign_in(driver, live_app.url, "a@x.ru", PASSWORD)
        driver.get(f"{live_app.url}/no-such-page")
        assert wait_for(lambda: text_of(driver, "not-found-title"), timeout=20) == "Страница не найдена"
        assert "404 - Page not found" not in driver.page_source


def test_server_errors_are_russian_pages_for_browsers_and_json_for_the_api(services, live_app) -> None:
    make_user(services.db, "a@x.ru", "admin")
    session = login(live_app.url, "a@x.ru")
    missing = session.get(f"{live_app.url}/assets/no-such-file.css", timeout=10)
    assert missing.status_code == 404 and "Страница не найдена" in missing.text and "Not Found" not in missing.text
    method = requests.put(f"{live_app.url}/login", timeout=10)
    assert method.status_code == 405 and "Так к этой странице обратиться нельзя" in method.text
    api = session.get(f"{live_app.url}/api/v1/no-such-endpoint", timeout=10)
    assert api.status_code == 404 and "error" in api.json()
