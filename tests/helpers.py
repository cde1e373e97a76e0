"""Small helpers the tests share: a demo-like organization, logging in over HTTP, waiting."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable
from typing import Any

import requests

from auth.inn import complete_inn
from auth.passwords import hash_password
from data.relational import Database, users
from data.relational.models import MeteringPoint, Organization

PASSWORD = "correct horse battery"


def make_org(
    db: Database, inn_prefix: str, name: str, codes: list[str], tz: str = "Europe/Moscow", kind: str = "business"
) -> int:
    with db.session() as s:
        org = Organization(inn=complete_inn(inn_prefix), name=name, kind=kind)
        s.add(org)
        s.flush()
        for code in codes:
            s.add(MeteringPoint(code=code, name=f"Точка {code}", organization_id=org.id, timezone=tz))
        return org.id


def make_user(db: Database, email: str, role: str, org_inn: str | None = None) -> None:
    users.create_user(db, email, hash_password(PASSWORD), role, org_inn)


def login_form_token(session: requests.Session, base: str) -> str:
    """Open the login page in this session and return its CSRF token."""
    page = session.get(f"{base}/login", timeout=10)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def post_form(session: requests.Session, url: str, **data: str) -> requests.Response:
    """A form POST as a browser sends it: open the page at ``url``, take its CSRF token, post back."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', session.get(url, timeout=10).text).group(1)
    return session.post(url, data={"csrf_token": token, **data}, allow_redirects=False, timeout=10)


def login(base: str, email: str, password: str = PASSWORD) -> requests.Session:
    session = requests.Session()
    token = login_form_token(session, base)
    response = session.post(
        f"{base}/login",
        data={"email": email, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text
    return session


def wait_for(condition: Callable[[], Any], timeout: float = 30, interval: float = 0.25) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(interval)


def epoch(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return int(dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC).timestamp())


def answer_json(handler: Any, status: int, body: object) -> None:
    """A local stand-in server's JSON answer (``handler``: its ``BaseHTTPRequestHandler``)."""
    data = json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)
