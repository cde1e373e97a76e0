"""Prices by region and date, and the tariff comparison: a hand-computed case across zone boundaries, a price change on
1 July and a zone other than Moscow's; changing prices is for administrators and is audited."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import requests
from sqlalchemy import select

from auth.inn import complete_inn
from auth.principal import AccessDenied, Principal
from data.clickhouse.readings import readings_frame, write_readings
from data.relational.models import AuditEvent, MeteringPoint, Organization
from data.relational.tariffs import upsert_price
from pricing.admin import set_price
from pricing.book import price_book
from tests.helpers import login, make_user

EKB = dt.timezone(dt.timedelta(hours=5))
REGION = "Свердловская область"
OLD = {("single", "single"): 5.00, ("two_zone", "day"): 6.00, ("two_zone", "night"): 2.00,
       ("three_zone", "peak"): 7.00, ("three_zone", "half_peak"): 5.00, ("three_zone", "night"): 2.00}  # fmt: skip
NEW = {key: round(value * 1.1, 2) for key, value in OLD.items()}  # from 1 July


@pytest.fixture
def ekb_point(services) -> str:
    db = services.db
    for valid_from, table in ((dt.date(2026, 1, 1), OLD), (dt.date(2026, 7, 1), NEW)):
        for (plan, zone), price in table.items():
            upsert_price(db, REGION, plan, zone, valid_from, price, "test", "test")
    with db.session() as s:
        # A household: regulated zone tariffs are what this file tests (a business is priced by its price category).
        org = Organization(inn=complete_inn("665800000"), name="АО «Урал»", kind="household", region=REGION)
        s.add(org)
        s.flush()
        s.add(MeteringPoint(code="EKB-1", name="Цех", organization_id=org.id, timezone="Asia/Yekaterinburg",
                            tariff_plan="three_zone"))  # fmt: skip
        s.flush()
        meter_id = s.scalar(select(MeteringPoint.id).where(MeteringPoint.code == "EKB-1"))
    make_user(db, "ural@example.ru", "consumer", complete_inn("665800000"))
    # 12 hours from 21:00 local on 30 June to 09:00 on 1 July, 1 … 12 kWh.
    first = dt.datetime(2026, 6, 30, 21, tzinfo=EKB)
    ts = np.array([int((first + dt.timedelta(hours=h)).timestamp()) for h in range(12)])
    n = len(ts)
    write_readings(
        services.store,
        readings_frame(
            {
                "meter_id": np.full(n, meter_id),
                "ts": ts,
                "value": np.arange(1, n + 1, dtype=float),
                "interval_s": np.full(n, 3600),
                "status": np.zeros(n),
                "version": np.ones(n),
                "utc_offset": np.full(n, 5 * 3600),
                "partner": ["t"] * n,
                "batch_id": ["b"] * n,
            }
        ),
    )
    return "EKB-1"


def test_each_hour_is_priced_in_its_local_zone_at_the_price_of_its_local_day(services, live_app, ekb_point) -> None:
    session = login(live_app.url, "ural@example.ru")
    answer = session.get(f"{live_app.url}/api/v1/meters/{ekb_point}/tariffs?from=2026-06-30&to=2026-07-01", timeout=30)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    # 30 June (old prices): 21:00 and 22:00 half-peak / day, 23:00 night. 1 July (new): 00–06 night, 07–08 peak / day.
    three = 1 * 5.00 + 2 * 5.00 + 3 * 2.00 + 49 * 2.20 + 23 * 7.70
    two = 1 * 6.00 + 2 * 6.00 + 3 * 2.00 + 49 * 2.20 + 23 * 6.60
    single = 6 * 5.00 + 72 * 5.50
    assert body["plans"] == {"single": round(single, 2), "two_zone": round(two, 2), "three_zone": round(three, 2)}
    assert body["current"] == "three_zone" and body["cheapest"] == "two_zone" and body["region"] == REGION
    assert body["kwh"] == 78.0


def test_another_organizations_point_and_bad_dates_are_refused(services, live_app, ekb_point) -> None:
    make_user(services.db, "admin@w.ru", "admin")
    from tests.helpers import make_org

    make_org(services.db, "770900000", "ООО «Другая»", ["OTHER-1"])
    make_user(services.db, "other@example.ru", "consumer", complete_inn("770900000"))
    other = login(live_app.url, "other@example.ru")
    url = f"{live_app.url}/api/v1/meters/{ekb_point}/tariffs?from=2026-06-30&to=2026-07-01"
    assert other.get(url, timeout=10).status_code == 404
    mine = login(live_app.url, "ural@example.ru")
    bad = mine.get(f"{live_app.url}/api/v1/meters/{ekb_point}/tariffs?from=30.06.2026&to=2026-07-01", timeout=10)
    assert bad.status_code == 400 and "from" in bad.json()["error"]
    assert requests.get(url, timeout=10).status_code == 401


def test_only_administrators_set_prices_and_every_change_is_audited(services) -> None:
    consumer = Principal(1, "c@example.ru", "consumer", 1)
    operator = Principal(2, "o@example.ru", "operator", None)
    admin = Principal(3, "a@example.ru", "admin", None)
    for caller in (consumer, operator):
        with pytest.raises(AccessDenied):
            set_price(services, caller, "Москва", "single", "single", dt.date(2027, 1, 1), 9.5)
    with pytest.raises(ValueError, match="has no zone"):
        set_price(services, admin, "Москва", "two_zone", "peak", dt.date(2027, 1, 1), 9.5)
    with pytest.raises(ValueError, match="above 0"):
        set_price(services, admin, "Москва", "single", "single", dt.date(2027, 1, 1), -1)
    book = price_book(services.db)
    assert price_book(services.db) is book  # kept by the process while no price changes …
    assert book.prices_on("Москва", dt.date(2027, 1, 2)).get("single", {}).get("single") != 9.5
    record = set_price(services, admin, "Москва", "single", "single", dt.date(2027, 1, 1), 9.499, "Приказ № 1")
    assert record.price == 9.5
    assert price_book(services.db).prices_on("Москва", dt.date(2027, 1, 2))["single"]["single"] == 9.5  # … read anew
    with services.db.session() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "tariff.price_set"))
    assert event is not None and event.actor == "a@example.ru" and "2027-01-01" in event.target
