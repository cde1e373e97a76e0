"""Register readings entered by hand over the REST API, as a household reports them each month: an owner adds a
two-zone point read by eye, enters readings, and gets each period's kWh per zone priced by the plan; readings a
person should look at again are refused in Russian; a replaced meter starts again; nobody else can write there."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from sqlalchemy import update

from analytics.coarse import CoarseUse, month_estimate, share
from auth.inn import complete_inn
from auth.principal import Principal
from data.relational import budgets, tokens, users
from data.relational.models import MeteringPoint, User
from forecasting.actions import organization_projection, projection_of
from manual.actions import create_manual_point, submit_reading
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


def test_a_period_counts_in_a_month_by_the_share_of_its_days_and_carries_its_rate_to_the_months_end() -> None:
    d = [dt.datetime(2026, 10, 1, tzinfo=dt.UTC) + dt.timedelta(days=n) for n in (0, 31, 41)]  # 1.10, 1.11, 11.11
    # 10 kWh a day in October, then 5 kWh a day to 11 November, at 5 ₽ per kWh.
    uses = [CoarseUse(1, d[0], d[1], 310.0, 1550.0), CoarseUse(1, d[1], d[2], 50.0, 250.0)]
    november = (d[1], dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    assert share(uses, *november).kwh == pytest.approx(50.0)  # only the second period lies in November
    assert share(uses, d[0], d[0] + dt.timedelta(days=3)).kwh == pytest.approx(30.0)  # 3 of October's 31 days
    month = month_estimate(uses, *november)
    assert month is not None and (month.so_far_kwh, month.so_far_rub) == pytest.approx((50.0, 250.0))
    # The 20 days after the last reading at the last period's 5 kWh a day; the range spans the recent rates (5…10).
    assert (month.kwh, month.kwh_low, month.kwh_high) == pytest.approx((150.0, 150.0, 250.0))
    assert (month.rub, month.rub_high) == pytest.approx((750.0, 1250.0))
    alone = month_estimate([CoarseUse(2, d[1], d[2], 50.0, None)], *november)  # one period: ±25 % on its rate
    assert alone is not None and (alone.kwh, alone.kwh_low, alone.kwh_high) == pytest.approx((150.0, 125.0, 175.0))
    assert alone.rub == 0.0  # no price known: no roubles invented
    assert month_estimate([], *november) is None


def _bearer(services, email: str) -> dict[str, str]:
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
        body: dict[str, Any] = {"ts": ts, "registers": registers, "replacement": replacement}
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


def test_the_reminder_comes_two_days_before_the_suppliers_window_and_ends_with_a_reading() -> None:
    from alerts.detectors import reading_due
    from data.relational.meters import MeterInfo

    point = MeterInfo(1, "KV-9", "Квартира", 1, "Семья", "Asia/Yekaterinburg", "single", None, 18_000)
    opened: set[str] = set()

    def due(now: dt.datetime, last: dt.datetime | None = None, days: tuple[int, int] = (15, 25)) -> list[str]:
        events = reading_due(point, last, days, now, lambda key: key in opened)
        for e in events:
            (opened.add if e.state == "firing" else opened.discard)(e.key)
        return [f"{e.state} {e.key}" for e in events]

    utc = dt.UTC
    assert due(dt.datetime(2026, 12, 12, 18, 0, tzinfo=utc)) == []  # the 12th, 23:00 in Yekaterinburg
    assert due(dt.datetime(2026, 12, 12, 19, 0, tzinfo=utc)) == ["firing reading_due:KV-9:2026-12"]  # the 13th there
    assert due(dt.datetime(2026, 12, 14, 9, 0, tzinfo=utc)) == []  # already ringing
    taken = dt.datetime(2026, 12, 16, 5, 0, tzinfo=utc)
    assert due(dt.datetime(2026, 12, 16, 9, 0, tzinfo=utc), taken) == ["resolved reading_due:KV-9:2026-12"]
    assert due(dt.datetime(2026, 12, 20, 9, 0, tzinfo=utc), taken) == []  # done for the month
    # Nobody entered one in January: the window closes and so does the reminder; February's last day stands in for
    # a window that runs to the 31st.
    assert due(dt.datetime(2027, 1, 14, 9, 0, tzinfo=utc), taken) == ["firing reading_due:KV-9:2027-01"]
    assert due(dt.datetime(2027, 1, 26, 9, 0, tzinfo=utc), taken) == ["resolved reading_due:KV-9:2027-01"]
    assert due(dt.datetime(2027, 2, 27, 9, 0, tzinfo=utc), taken, (29, 31)) == ["firing reading_due:KV-9:2027-02"]
    # A month later the old one is closed as the new one opens.
    assert due(dt.datetime(2027, 3, 27, 9, 0, tzinfo=utc), taken, (29, 31)) == [
        "resolved reading_due:KV-9:2027-02",
        "firing reading_due:KV-9:2027-03",
    ]


@pytest.mark.parametrize("relational_url", RELATIONAL_BACKENDS[-1:], indirect=True)
def test_an_owner_is_reminded_in_the_bell_and_a_manual_point_is_never_called_silent(services) -> None:
    from alerts.actions import latest
    from auth.principal import Principal
    from detection.scan import evaluate
    from manual.actions import create_manual_point, submit_reading
    from tests.alert_world import pump

    make_org(services.db, "771300000", "Семья Ивановых", [], kind="household")
    make_user(services.db, "ivanov@own.ru", "consumer", complete_inn("771300000"))
    with services.db.session() as s:
        s.execute(update(User).where(User.email == "ivanov@own.ru").values(is_owner=True))
    user = users.user_by_email(services.db, "ivanov@own.ru")
    owner = Principal(user.id, user.email, "consumer", user.organization_id, is_owner=True)
    create_manual_point(services, owner, "KV-7", "Квартира", "single", timezone="Europe/Moscow")
    with services.db.session() as s:  # a point made long ago: the silence check would have judged it by now
        s.execute(update(MeteringPoint).values(created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))

    thirteenth = dt.datetime(2026, 12, 13, 9, 0, tzinfo=dt.UTC)
    counts = evaluate(services, thirteenth)
    assert counts["reading_due"] == 1 and counts["no_readings"] == 0
    pump(services)
    (bell,) = [n for n in latest(services, owner) if n.kind == "reading_due"]
    assert bell.title == "Пора передать показания точки KV-7" and bell.link == "/consumption?meter=KV-7"
    assert bell.body.startswith("Поставщик принимает показания с 15.12 по 25.12.")

    submit_reading(services, owner, "KV-7", dt.datetime(2026, 12, 13, 12, 0), {"t1": 4321.0}, now=thirteenth)
    assert evaluate(services, thirteenth)["reading_due"] == 1  # the resolution
    pump(services)
    assert latest(services, owner)[0].title == "Показания точки KV-7 переданы"


@pytest.mark.parametrize("relational_url", RELATIONAL_BACKENDS[-1:], indirect=True)
def test_a_point_read_by_hand_counts_in_the_month_the_projection_and_the_budget(services, live_app) -> None:
    """A household that reads its meter by eye: the overview's month counts the part of the period inside it, the
    month-end projection carries the last period's rate to the month's end, and the budget judges that projection."""
    org = make_org(services.db, "771400000", "Семья Ивановых", [], kind="household")
    make_user(services.db, "ivanov@own.ru", "consumer", complete_inn("771400000"))
    with services.db.session() as s:
        s.execute(update(User).where(User.email == "ivanov@own.ru").values(is_owner=True))
    owner = Principal(users.user_by_email(services.db, "ivanov@own.ru").id, "ivanov@own.ru", "consumer", org,
                      is_owner=True)  # fmt: skip
    meter = create_manual_point(services, owner, "KV-7", "Квартира", "single")
    zone = ZoneInfo(meter.timezone)
    month_start = dt.datetime.now(zone).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month_days = calendar.monthrange(month_start.year, month_start.month)[1]
    elapsed = max(1, (dt.datetime.now(zone).date() - month_start.date()).days)  # whole days of this month so far
    last = month_start + dt.timedelta(days=elapsed)
    # 5 kWh a day for 30 days, then 10 kWh a day for 30 days up to the last reading (at a midnight of this month).
    for days, t1 in ((-60, 1000.0), (-30, 1150.0), (0, 1450.0)):
        when = last + dt.timedelta(days=days)
        submit_reading(services, owner, "KV-7", when, {"t1": t1}, now=when)

    def shown(value: float) -> str:
        return f"{value:,.1f} кВт·ч".replace(",", " ").replace(".", ",")

    page = DashClient(live_app.app, live_app.url, login(live_app.url, "ivanov@own.ru"))
    out = page.outputs("ov-month.children", {"org-switch.value": None})
    assert out["ov-month.children"] == shown(10 * elapsed), out["ov-month.children"]
    assert f"в т. ч. {shown(10 * elapsed)} по показаниям, введённым вручную" in str(out["ov-month-sub.children"])
    assert "KV-7" in str(out["ov-top.children"])

    expected = 10 * month_days  # the rest of the month at the last period's rate
    projection = organization_projection(services, owner, org)
    assert projection is not None and projection.kwh == pytest.approx(expected)
    assert (projection.kwh_low, projection.kwh_high) == pytest.approx((expected - 5 * (month_days - elapsed), expected))
    prices = price_book(services.db).prices_on(None, last.date())["single"]
    assert projection.rub == pytest.approx(expected * prices["single"], rel=1e-6)
    line = page.outputs("ov-projection.children", {"org-switch.value": None})
    assert shown(expected) in str(line)

    budgets.set_budget(services.db, org, expected * 0.8, "kwh")  # the budget alert reads the same projection
    judged = projection_of(services, org)
    assert judged is not None and judged.over_budget and judged.budget_share == pytest.approx(1.25)
