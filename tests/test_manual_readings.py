"""Register readings entered by hand over the REST API, as a household reports them each month: an owner adds a
two-zone point read by eye, enters readings, and gets each period's kWh per zone priced by the plan; readings a
person should look at again are refused in Russian; a replaced meter starts again; nobody else can write there."""

from __future__ import annotations

import datetime as dt

import pytest
import requests
from sqlalchemy import update

from auth.inn import complete_inn
from data import tokens, users
from data.models import User
from manual.registers import Reading, ReadingRefused, check, periods
from pricing.book import price_book
from tests.conftest import RELATIONAL_BACKENDS
from tests.dash_client import DashClient
from tests.helpers import login, make_org, make_user

NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


def test_periods_by_zone_and_the_checks_a_reading_must_pass() -> None:
    t = [dt.datetime(2026, m, 25, 7, tzinfo=dt.UTC) for m in (8, 9, 10, 11)]
    readings = [Reading(t[0], {"t1": 1000, "t2": 500}), Reading(t[1], {"t1": 1150, "t2": 560})]
    assert [p.kwh for p in periods("two_zone", readings)] == [{"day": 150, "night": 60}]
    three = periods(
        "three_zone", [Reading(t[0], {"t1": 1, "t2": 2, "t3": 3}), Reading(t[1], {"t1": 4, "t2": 6, "t3": 8})]
    )
    assert three[0].kwh == {"peak": 3, "night": 4, "half_peak": 5}
    refusals = {
        "registers": Reading(t[2], {"t1": 1200}),
        "below": Reading(t[2], {"t1": 1100, "t2": 600}),
        "order": Reading(t[0], {"t1": 1200, "t2": 600}),
        "future": Reading(NOW + dt.timedelta(days=2), {"t1": 1200, "t2": 600}),
        "value": Reading(t[2], {"t1": float("nan"), "t2": 600}),
    }
    for code, reading in refusals.items():
        with pytest.raises(ReadingRefused) as refused:
            check("two_zone", reading, readings, NOW)
        assert refused.value.code == code
    check("two_zone", Reading(t[2], {"t1": 3, "t2": 1}, replacement=True), readings, NOW)  # a new meter: fine
    longer = [*readings, Reading(t[2], {"t1": 1300, "t2": 620})]
    with pytest.raises(ReadingRefused) as refused:  # 30 000 kWh in a month where 150–210 was usual: a typo
        check("two_zone", Reading(t[3], {"t1": 31300, "t2": 680}), longer, NOW)
    assert refused.value.code == "implausible"


def _bearer(services, email: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    user = users.user_by_email(services.db, email)
    return {"Authorization": f"Bearer {tokens.issue_token(services.db, user.id)}"}


@pytest.mark.parametrize("relational_url", RELATIONAL_BACKENDS[-1:], indirect=True)
def test_a_household_reports_its_meter_by_hand_and_sees_each_period_priced(services, live_app) -> None:
    make_org(services.db, "771100000", "Семья Петровых", [], kind="household")
    make_org(services.db, "771200000", "Соседи", [], kind="household")
    make_user(services.db, "owner@own.ru", "consumer", complete_inn("771100000"))
    make_user(services.db, "son@own.ru", "consumer", complete_inn("771100000"))
    make_user(services.db, "owner@other.ru", "consumer", complete_inn("771200000"))
    with services.db.session() as s:
        s.execute(update(User).where(User.email.in_(["owner@own.ru", "owner@other.ru"])).values(is_owner=True))
    owner, son, stranger = (_bearer(services, e) for e in ("owner@own.ru", "son@own.ru", "owner@other.ru"))
    api = f"{live_app.url}/api/v1"
    point = {"code": "KV-1", "name": "Квартира", "tariff_plan": "two_zone", "reading": "manual"}

    assert requests.post(f"{api}/meters", json=point, headers=son, timeout=10).status_code == 403  # not the owner
    created = requests.post(f"{api}/meters", json=point, headers=owner, timeout=10)
    assert created.status_code == 201 and created.json()["tariff_plan"] == "two_zone"
    again = requests.post(f"{api}/meters", json=point, headers=owner, timeout=10)
    assert again.status_code == 400 and again.json()["error"] == "Точка с кодом «KV-1» уже есть."

    url = f"{api}/meters/KV-1/register-readings"

    def send(who: dict[str, str], ts: str, replacement: bool = False, **registers: float) -> requests.Response:
        body = {"ts": ts, "registers": registers, "replacement": replacement}
        return requests.post(url, json=body, headers=who, timeout=10)

    first = send(son, "2026-09-25", t1=1000, t2=500)  # a member reports too
    assert first.status_code == 201 and first.json()["period"] is None
    second = send(owner, "2026-10-25", t1=1150, t2=560)
    period = second.json()["period"]
    assert second.status_code == 201 and period["kwh"] == {"day": 150.0, "night": 60.0} and period["total_kwh"] == 210
    prices = price_book(services.db).prices_on(None, dt.date(2026, 10, 25))["two_zone"]
    assert period["rub"] == pytest.approx(150 * prices["day"] + 60 * prices["night"], abs=0.01)

    below = send(owner, "2026-11-25", t1=1100, t2=600)
    assert below.status_code == 400 and below.json()["code"] == "below"
    assert below.json()["error"] == "Показание T1 меньше прошлого (1150). Если счётчик заменили, отметьте замену."
    wrong = send(owner, "2026-11-25", t1=1300)
    assert wrong.status_code == 400 and "регистры T1, T2" in wrong.json()["error"]
    assert send(owner, "позавчера", t1=1, t2=1).json()["error"].startswith("Дата показания — ГГГГ-ММ-ДД")
    assert send(stranger, "2026-11-25", t1=1300, t2=600).status_code == 404  # another organization's point

    replaced = send(owner, "2026-11-10", replacement=True, t1=3, t2=1)  # a new meter from the 10th
    assert replaced.status_code == 201 and replaced.json()["period"] is None
    after = send(owner, "2026-11-25", t1=83, t2=31)
    assert after.json()["period"]["kwh"] == {"day": 80.0, "night": 30.0}

    listed = requests.get(url, headers=owner, timeout=10).json()
    assert [p["total_kwh"] for p in listed["periods"]] == [210.0, 110.0]  # no period across the replacement
    assert len(listed["readings"]) == 4 and listed["readings"][2]["replacement"] is True
    assert requests.get(url, headers=stranger, timeout=10).status_code == 404

    page = DashClient(live_app.app, live_app.url, login(live_app.url, "owner@own.ru"))
    shown = str(page.outputs("cons-manual.children", {"cons-meter.value": ["KV-1"]}))
    assert "KV-1: показания, введённые вручную" in shown and "День (07–23)" in shown and "Ночь (23–07)" in shown
    assert "25.09.2026 – 25.10.2026" in shown and "10.11.2026 – 25.11.2026" in shown
    assert "По часам он не раскладывается" in shown
