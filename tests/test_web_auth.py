"""Login, CSRF, logout and the server-side guard in front of every Dash callback."""

from __future__ import annotations

import re

import requests

from tests.helpers import PASSWORD, login, login_form_token, make_user, post_form


def test_login_page_is_russian_with_a_csrf_token(services, live_app) -> None:
    page = requests.get(f"{live_app.url}/login", timeout=10)
    assert page.status_code == 200 and "Вход в Wattboard" in page.text
    assert re.search(r'name="csrf_token" value="[\w-]{20,}"', page.text)
    english = requests.Session()
    english.get(f"{live_app.url}/lang/en?next=/login", timeout=10)  # a link only asks
    assert "Вход в Wattboard" in english.get(f"{live_app.url}/login", timeout=10).text
    switched = post_form(english, f"{live_app.url}/lang/en?next=/login", next="/login")
    assert switched.status_code == 302 and switched.headers["Location"] == "/login"
    assert "Sign in to Wattboard" in english.get(f"{live_app.url}/login", timeout=10).text


def test_wrong_password_and_missing_csrf_are_refused(services, live_app) -> None:
    make_user(services.db, "a@x.ru", "admin")
    session = requests.Session()
    token = login_form_token(session, live_app.url)
    wrong = session.post(
        f"{live_app.url}/login", data={"email": "a@x.ru", "password": "nope", "csrf_token": token}, timeout=10
    )
    assert wrong.status_code == 401 and "Неверная почта или пароль" in wrong.text
    no_csrf = session.post(f"{live_app.url}/login", data={"email": "a@x.ru", "password": PASSWORD}, timeout=10)
    assert no_csrf.status_code == 400
    assert session.get(f"{live_app.url}/api/v1/meters", timeout=10).status_code == 401


def test_pages_redirect_to_login_and_logout_ends_the_session(services, live_app) -> None:
    make_user(services.db, "a@x.ru", "admin")
    anonymous = requests.get(f"{live_app.url}/consumption?meter=X", allow_redirects=False, timeout=10)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login?next=")
    session = login(live_app.url, "a@x.ru")
    assert session.get(f"{live_app.url}/consumption", timeout=10).status_code == 200
    asked = session.get(f"{live_app.url}/logout", timeout=10)  # what an image on another site would do: nothing
    assert asked.status_code == 200 and "confirm-submit" in asked.text
    assert session.get(f"{live_app.url}/api/v1/meters", timeout=10).status_code == 200
    forged = session.post(f"{live_app.url}/logout", allow_redirects=False, timeout=10)  # no token: refused
    assert forged.status_code == 400
    assert session.get(f"{live_app.url}/api/v1/meters", timeout=10).status_code == 200
    post_form(session, f"{live_app.url}/logout")
    assert session.get(f"{live_app.url}/api/v1/meters", timeout=10).status_code == 401


def test_public_routes_are_whole_routes_not_prefixes(services, live_app) -> None:
    """Issue 16: ``/loginfoo``, ``/ssoX`` and ``/health/../api/v1/meters`` answered without a session."""
    for path in ("/loginfoo", "/ssoX", "/signupX", "/readyz", "/health/../api/v1/meters", "/assets/../api/v1/meters"):
        answer = requests.get(f"{live_app.url}{path}", allow_redirects=False, timeout=10)
        assert answer.status_code in (302, 401), path
        assert "Location" not in answer.headers or answer.headers["Location"].startswith("/login"), path
    assert requests.get(f"{live_app.url}/login", timeout=10).status_code == 200


def test_open_redirects_are_refused(services, live_app) -> None:
    make_user(services.db, "a@x.ru", "admin")
    session = requests.Session()
    token = login_form_token(session, live_app.url)
    response = session.post(
        f"{live_app.url}/login",
        allow_redirects=False,
        timeout=10,
        data={"email": "a@x.ru", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/"},
    )
    assert response.headers["Location"] == "/"
