"""What a browser on another site, a broken client and an oversized form get: refused with a clear answer, nothing
changed, no server error (issue 10, "Callback and form input")."""

from __future__ import annotations

import json
from typing import Any

import requests

from auth.inn import complete_inn
from data.relational import people
from tests.dash_client import DashClient
from tests.helpers import PASSWORD, login, login_form_token, make_org, make_user


def test_a_cross_site_callback_post_is_refused_and_changes_nothing(services, live_app) -> None:
    make_org(services.db, "773500000", "ООО «Цель»", ["T-1"])
    make_user(services.db, "root@w.ru", "admin")
    make_user(services.db, "c@cel.ru", "consumer", complete_inn("773500000"))
    target = people.list_users(services.db, "c@cel.ru")[0].id
    admin = DashClient(live_app.app, live_app.url, login(live_app.url, "root@w.ru"))
    block = ({"adm-pick.value": target, "adm-reason.value": "спам", "adm-block.n_clicks": 1}, "adm-block.n_clicks")
    admin.session.headers["Origin"] = "http://evil.example"
    refused = admin.call("adm-result.children", *block)
    assert refused.status_code == 403 and "evil.example" in refused.json()["error"]
    assert people.list_users(services.db, "c@cel.ru")[0].status == "active"  # not blocked
    del admin.session.headers["Origin"]
    admin.session.headers["Referer"] = "http://evil.example/page"
    assert admin.call("adm-result.children", *block).status_code == 403
    admin.session.headers["Referer"] = f"{live_app.url}/admin"  # from our own page it works
    assert "заблокирован" in str(admin.outputs("adm-result.children", *block))
    admin.session.headers["Origin"] = live_app.url
    assert admin.call("adm-users.children", {"adm-user-search.value": "cel"}).status_code == 200


def test_a_cross_site_login_form_is_refused(services, live_app) -> None:
    make_user(services.db, "a@x.ru", "admin")
    session = requests.Session()
    token = login_form_token(session, live_app.url)
    form = {"email": "a@x.ru", "password": PASSWORD, "csrf_token": token}
    evil = session.post(
        f"{live_app.url}/login", data=form, headers={"Origin": "https://evil.example"}, allow_redirects=False
    )
    assert evil.status_code == 403
    ours = session.post(f"{live_app.url}/login", data=form, headers={"Origin": live_app.url}, allow_redirects=False)
    assert ours.status_code == 302


def test_malformed_callback_bodies_are_answered_400_not_500(services, live_app) -> None:
    make_user(services.db, "a@x.ru", "admin")
    session = login(live_app.url, "a@x.ru")
    url = f"{live_app.url}/_dash-update-component"
    bodies: list[Any] = [
        {}, [], {"output": "no-such.children", "inputs": []}, {"output": "adm-users.children", "inputs": 1}
    ]
    for body in bodies:
        answer = session.post(url, json=body, timeout=10)
        assert answer.status_code == 400, (body, answer.status_code)
        assert answer.json()["error"]
    assert (
        session.post(url, data="not json", headers={"Content-Type": "application/json"}, timeout=10).status_code == 400
    )


def test_an_oversized_sign_up_is_refused_field_by_field(services, live_app) -> None:
    session = requests.Session()
    token = session.get(f"{live_app.url}/signup", timeout=10)
    csrf = token.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    form = {
        "email": "long@x.ru",
        "password": PASSWORD,
        "full_name": "Я" * 20_000,
        "inn": complete_inn("773600000"),
        "contract_number": "Д" * 61,
        "supplier": "ПАО «Мосэнергосбыт»",
        "contract_date": "2024-01-01",
        "csrf_token": csrf,
    }
    answer = session.post(f"{live_app.url}/signup", data=form, timeout=10)
    assert answer.status_code == 422
    assert "не длиннее 200 символов (сейчас 20000)" in answer.text and "не длиннее 60 символов" in answer.text
    assert people.list_users(services.db, "long@x.ru") == []  # nothing stored, on SQLite and PostgreSQL alike


def test_dates_out_of_range_or_of_the_wrong_type_answer_400_in_russian_everywhere(services, live_app) -> None:
    """Issue 16: tariffs from/to 0001/9999, exports with extreme ranges and the callbacks cons-archive, fc-title and
    rec-tariff-table answered 500."""
    make_org(services.db, "776100000", "Иванов (дом)", ["DT-1"], kind="household")
    make_user(services.db, "d@x.ru", "consumer", complete_inn("776100000"))
    session = login(live_app.url, "d@x.ru")
    for first, last in (("0001-01-01", "9999-12-31"), ("2026-01-01", "9999-12-31"), ("9999-12-31", "9999-12-31"),
                        ("2026-13-01", "2026-01-01"), ("2026-05-02", "2026-05-01")):
        api = session.get(f"{live_app.url}/api/v1/meters/DT-1/tariffs", params={"from": first, "to": last}, timeout=10)
        assert api.status_code == 400 and ("дат" in api.json()["error"] or "период" in api.json()["error"]), api.text
        for view in ("consumption", "tariffs", "months"):
            export = session.get(
                f"{live_app.url}/export/{view}.csv", params={"meter": "DT-1", "from": first, "to": last}, timeout=10
            )
            assert export.status_code in (200, 400, 404), (view, first, last)  # the months view takes no range
    dash = DashClient(live_app.app, live_app.url, session)
    odd_values = ("0001-01-01", "9999-12-31", 20260101, ["2026-01-01"], {"$gt": ""}, None)
    for value in odd_values:
        archive = dash.call(
            "cons-archive.figure",
            {"cons-meter.value": ["DT-1"], "cons-range.start_date": value, "cons-range.end_date": "9999-12-31",
             "cons-step.value": "day", "cons-compare.value": [], "org-switch.value": None},
        )
        assert archive.status_code in (200, 204, 400), (value, archive.status_code)
        tariffs = dash.call(
            "rec-tariff-table.children",
            {"rec-tariff-meter.value": "DT-1", "rec-tariff-range.start_date": value,
             "rec-tariff-range.end_date": "9999-12-31"},
        )
        assert tariffs.status_code in (200, 204, 400), (value, tariffs.status_code)
        if tariffs.status_code == 200:
            said = json.dumps(tariffs.json(), ensure_ascii=False)
            assert "дат" in said or "период" in said, said
        forecast = dash.call(
            "fc-title.children", {"fc-meter.value": value, "org-switch.value": value, "fc-run-finished.data": value}
        )
        assert forecast.status_code in (200, 204, 400), (value, forecast.status_code)
        if forecast.status_code == 400:
            assert forecast.json()["error"].startswith("Запрос не понят")
