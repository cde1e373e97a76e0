"""Every response carries the security headers, and the pages work under their Content-Security-Policy."""

from __future__ import annotations

import pytest
import requests

from tests.browser import chrome, csp_violations
from tests.helpers import login, make_user, wait_for

EXPECTED = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


def test_every_kind_of_response_carries_the_security_headers(services, live_app) -> None:
    make_user(services.db, "a@x.ru", "admin")
    session = login(live_app.url, "a@x.ru")
    for answer in (
        requests.get(f"{live_app.url}/login", timeout=10),
        requests.get(f"{live_app.url}/signup", timeout=10),
        session.get(f"{live_app.url}/", timeout=10),
        session.get(f"{live_app.url}/api/v1/meters", timeout=10),
        requests.get(f"{live_app.url}/api/v1/meters", timeout=10),  # a refusal too
    ):
        assert {k: answer.headers.get(k) for k in EXPECTED} == EXPECTED, answer.url
        csp = answer.headers["Content-Security-Policy"]
        assert (
            "frame-ancestors 'none'" in csp
            and "script-src 'self' 'sha256-" in csp
            and "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
        )
    assert "Strict-Transport-Security" not in requests.get(f"{live_app.url}/login", timeout=10).headers  # plain HTTP


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)  # a browser: once is enough
def test_the_sign_up_inn_check_runs_under_the_policy(services, live_app) -> None:
    with chrome() as driver:
        driver.get(f"{live_app.url}/signup")
        driver.find_element("id", "inn").send_keys("7707083894")
        wait_for(lambda: "контрольное число" in driver.find_element("id", "inn-check").text, timeout=20)
        assert csp_violations(driver) == []


def test_the_session_cookie_is_http_only_and_same_site(services, live_app) -> None:
    from tests.helpers import PASSWORD, login_form_token

    make_user(services.db, "c@x.ru", "admin")
    session = requests.Session()
    token = login_form_token(session, live_app.url)
    signed = session.post(
        f"{live_app.url}/login",
        data={"email": "c@x.ru", "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    cookie = signed.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP in the embedded mode; production (behind HTTPS) sets it
