"""Businesses priced as they are billed, end to end (issue 17): a supplier's price file loaded by an administrator
(refused row by row when it is wrong, versioned, audited), read back through the API; a business point's cost under
every category it may choose from its stored hourly readings, to the kopeck against the hand computation of
``test_business_prices``; the pages a business customer sees priced by category, never by household tariffs."""

from __future__ import annotations

import datetime as dt
import io
import re

import numpy as np
import openpyxl
import pytest
import requests

from auth.inn import complete_inn
from auth.principal import AccessDenied, Principal
from data.clickhouse.readings import readings_frame, write_readings
from data.relational.market_prices import summary
from data.relational.meters import meter_by_code
from data.relational.models import AuditEvent, MeteringPoint
from pricing.market import PriceFileRefused, import_prices
from tests.conftest import RELATIONAL_BACKENDS
from tests.helpers import login, make_org, make_user
from tests.test_business_prices import DAYS, PEAK_HOUR, WORKING, energy

pytestmark = pytest.mark.parametrize("relational_url", RELATIONAL_BACKENDS[-1:], indirect=True)
ADMIN = Principal(0, "admin@w.ru", "admin", None)
REGION = "Свердловская область"
HEADER = "регион;месяц;категория;напряжение;показатель;дата;час;значение"


def price_file() -> bytes:
    """February 2026's price levels as a supplier would publish them (the values of the hand computation)."""
    rows = [HEADER, f"{REGION};2026-02;1;СН-II;цена;;;7500,00"]
    zones = (("ночь", "4000"), ("полупик", "7000"), ("пик", "11000"))
    rows += [f"{REGION};2026-02;2;СН-II;{z};;;{p}" for z, p in zones]
    for day in DAYS:
        for hour in range(24):
            price = f"{energy(day, hour):.2f}".replace(".", ",")  # a decimal comma, as a Russian sheet has it
            rows.append(f"{REGION};2026-02;3;СН-II;энергия;{day.isoformat()};{hour};{price}")
            rows.append(f"{REGION};2026-02;4;CH-II;энергия;{day.isoformat()};{hour};{energy(day, hour) - 1000:.2f}")
    rows += [f"{REGION};2026-02;3;СН-II;мощность;;;1000000", f"{REGION};2026-02;4;СН2;мощность;;;1000000"]
    rows += [f"{REGION};2026-02;4;СН-II;сеть;;;1 500 000", f"{REGION};2026-02;4;СН-II;потери;;;150"]
    rows += [f"{REGION};2026-02;;;часы-пик;;;8-11 17-21", f"{REGION};2026-02;;;часы-пик-сети;;;8-20"]
    rows += [f"{REGION};2026-02;;;час-пик;{day.isoformat()};;{PEAK_HOUR}" for day in WORKING]
    return ("\n".join(rows) + "\n").encode("utf-8-sig")


def factory(services) -> int:
    """A business point in Yekaterinburg that used 10 kWh an hour in February 2026, 50 in each working day's 09:00."""
    org = make_org(services.db, "776700000", "АО «Завод»", ["EKB-1"], tz="Asia/Yekaterinburg")
    with services.db.session() as s:
        point = s.query(MeteringPoint).filter_by(code="EKB-1").one()
        point.region, point.price_category, point.voltage_level, point.max_power_kw = REGION, 1, "СН-II", 300.0
    meter = meter_by_code(services.db, "EKB-1")
    offset = 5 * 3600
    ts, values = [], []
    for day in DAYS:
        for hour in range(24):
            local = dt.datetime.combine(day, dt.time(hour), dt.UTC)
            ts.append(int(local.timestamp()) - offset)
            values.append(50.0 if (day in WORKING and hour == PEAK_HOUR) else 10.0)
    n = len(ts)
    write_readings(
        services.store,
        readings_frame(
            {"meter_id": np.full(n, meter.id), "ts": ts, "value": values, "interval_s": np.full(n, 3600),
             "status": np.zeros(n), "version": np.ones(n), "utc_offset": np.full(n, offset),
             "partner": ["t"] * n, "batch_id": ["b"] * n}
        ),
    )
    return org


def test_a_price_file_is_loaded_whole_and_its_categories_priced_to_the_kopeck(services, live_app) -> None:
    factory(services)
    done = import_prices(services, ADMIN, price_file(), "prices-2026-02.csv", source="ТЕСТ: опубликовано 10.03.2026")
    assert (done.sheets, done.peaks, done.months) == (4, 1, (dt.date(2026, 2, 1),))
    with services.db.session() as s:
        event = s.query(AuditEvent).filter_by(action="prices.import").one()
        assert event.actor == "admin@w.ru" and event.details["sheets"] == 4
    make_user(services.db, "boss@zavod.ru", "consumer", complete_inn("776700000"))
    session = login(live_app.url, "boss@zavod.ru")
    answer = session.get(
        f"{live_app.url}/api/v1/meters/EKB-1/price-categories", params={"from": "2026-02-01", "to": "2026-02-28"}
    ).json()
    totals = {int(c): v["total"] for c, v in answer["totals"].items()}
    energy3 = sum(
        (50.0 if (d in WORKING and h == PEAK_HOUR) else 10.0) / 1000 * energy(d, h) for d in DAYS for h in range(24)
    )
    assert totals[1] == 56_100.00 and totals[2] == 56_520.00  # the hand computation's figures
    assert totals[3] == round(energy3 + 50_000.00, 2)
    assert totals[4] == round(energy3 - 7.480 * 1000 + 50_000.00 + 76_122.00, 2)
    assert totals[5] is None and totals[6] is None  # not published: said, never guessed
    cheapest = min((c for c in (1, 2, 3, 4) if totals[c]), key=lambda c: totals[c] or 0.0)
    assert answer["current"] == 1 and answer["cheapest"] == cheapest
    assert answer["totals"]["3"]["capacity_mw"] == 0.05 and answer["unit"] == "руб без НДС"
    # The same month read back, and a later load of it is its next version.
    month = session.get(f"{live_app.url}/api/v1/prices", params={"region": REGION, "month": "2026-02"}).json()
    assert month["published"] and {s["category"] for s in month["sheets"]} == {1, 2, 3, 4}
    assert month["peak_hours"]["planned"] == [[8, 11], [17, 21]] and len(month["peak_hours"]["peak_hour"]) == 19
    march = session.get(f"{live_app.url}/api/v1/prices", params={"region": REGION, "month": "2026-03"}).json()
    assert not march["published"] and march["sheets"][0]["projected_from"] == "2026-02"
    import_prices(services, ADMIN, price_file(), "again.csv")
    assert [row[3] for row in summary(services.db)] == [2]  # newest version 2
    # The household comparison is refused for a business point: it is never priced by household tariffs.
    household = session.get(
        f"{live_app.url}/api/v1/meters/EKB-1/tariffs", params={"from": "2026-02-01", "to": "2026-02-28"}
    )
    assert household.status_code == 400 and "ценовой категории" in household.json()["error"]


def test_a_malformed_price_file_is_refused_row_by_row_and_nothing_is_stored(services) -> None:
    bad = "\n".join(
        [
            HEADER,
            f"{REGION};2026-02;1;СН-II;цена;;;семь тысяч",
            f"{REGION};2026-02;7;СН-II;цена;;;7500",
            f"{REGION};2026-02;1;СН-5;цена;;;7500",
            f"{REGION};2026/02;1;НН;цена;;;7500",
            f"{REGION};2026-02;3;НН;энергия;2026-03-01;0;4000",
            f"{REGION};2026-02;3;НН;энергия;2026-02-01;24;4000",
            f"{REGION};2026-02;3;НН;мощность;;;1000000",
            f"{REGION};2026-02;;;час-пик;2026-02-01;;9",
            f"{REGION};2026-02;;;часы-пик;;;утром",
            f"{REGION};2026-02;1;НН;скидка;;;5",
        ]
    ).encode()
    with pytest.raises(PriceFileRefused) as refused:
        import_prices(services, ADMIN, bad, "bad.csv")
    problems = refused.value.problems
    expected = [
        "строка 2, столбец «значение»: ожидается число (руб. без НДС), а не «семь тысяч»",
        "строка 3, столбец «категория»: ожидается число от 1 до 6, а не «7»",
        "строка 4, столбец «напряжение»: ожидается ВН, СН-I, СН-II или НН, а не «СН-5»",
        "строка 5, столбец «месяц»: ожидается ГГГГ-ММ, а не «2026/02»",
        "строка 6, столбец «дата»: 01.03.2026 — не в месяце 02.2026",
        "строка 7, столбец «час»: ожидается час от 0 до 23, а не «24»",
        "строка 9, столбец «дата»: 01.02.2026 — не рабочий день, час пик назначают рабочим",
        "строка 10, столбец «значение»: часы пик — интервалы вида «8-11 17-21», а не «утром»",
    ]
    for line in expected:
        assert line in problems, (line, problems)
    assert any(p.startswith("строка 11, столбец «показатель»: «скидка» — не из списка") for p in problems)
    assert any("3-я категория, НН: нет почасовой цены энергии за 01.02 00:00, 01.02 01:00" in p for p in problems)
    assert summary(services.db) == []  # nothing of it was stored
    with pytest.raises(AccessDenied):
        import_prices(services, Principal(1, "ops@w.ru", "operator", None), price_file(), "prices.csv")


def test_an_xlsx_file_is_read_like_a_csv(services) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append([REGION, "2026-02", 1, "СН-II", "цена", None, None, 7500.5])
    sheet.append([REGION, "2026-02", None, None, "часы-пик", None, None, "8-11 17-21"])
    buffer = io.BytesIO()
    book.save(buffer)
    done = import_prices(services, ADMIN, buffer.getvalue(), "prices.xlsx")
    assert (done.sheets, done.peaks) == (1, 1)


def test_a_business_customers_pages_are_priced_by_category(services, live_app) -> None:
    """The overview and consumption figures follow the category (without VAT, the demo's or published prices said);
    the tariff section compares categories, never household plans."""
    from tests.dash_client import DashClient

    factory(services)
    import_prices(services, ADMIN, price_file(), "prices.csv")
    make_user(services.db, "boss@zavod.ru", "consumer", complete_inn("776700000"))
    dash = DashClient(live_app.app, live_app.url, login(live_app.url, "boss@zavod.ru"))
    cons = dash.outputs(
        "cons-archive.figure",
        {"cons-meter.value": ["EKB-1"], "cons-range.start_date": "2026-02-01", "cons-range.end_date": "2026-02-28",
         "cons-step.value": "day", "cons-compare.value": [], "org-switch.value": None},
    )
    assert "56 100 ₽ без НДС" in str(cons["cons-cost.children"])  # the 1st category's month
    table = str(dash.outputs(
        "rec-tariff-table.children",
        {"rec-tariff-meter.value": "EKB-1", "rec-tariff-range.start_date": "2026-02-01",
         "rec-tariff-range.end_date": "2026-02-28"},
    ))
    assert "1-я ценовая категория" in table and "4-я ценовая категория" in table and "56 100,00" in table
    for household_word in ("одноставочный", "двухзонный", "трёхзонный"):
        assert household_word not in table
    where = {"org-switch.value": None}
    options = dash.outputs("rec-tariff-meter.options", where)
    assert "1-я ценовая категория" in str(options) and "трёхзонный" not in str(options)
    anonymous = requests.get(f"{live_app.url}/export/price-template.csv", timeout=10, allow_redirects=False)
    assert anonymous.status_code in (302, 401)


@pytest.mark.browser
def test_a_business_customer_sees_no_household_price_anywhere(services, live_app) -> None:
    """Walked in Chromium as the Russian walk does: every page a business customer opens prices by category,
    says «без НДС», and never names a household plan or its price."""
    import time

    from tests.browser import chrome, sign_in, text_of
    from tests.helpers import PASSWORD, wait_for
    from tests.test_pages_browser import visible_text

    factory(services)
    import_prices(services, ADMIN, price_file(), "prices.csv")
    make_user(services.db, "boss@zavod.ru", "consumer", complete_inn("776700000"))
    pages = (
        ("/", "ov-month"),
        ("/consumption?meter=EKB-1&from=2026-02-01&to=2026-02-28&step=day", "cons-cost"),
        ("/analysis?meter=EKB-1&from=2026-02-01&to=2026-02-28", "ana-baseload"),
        ("/forecast?meter=EKB-1", "fc-chart"),
        ("/recommendations?meter=EKB-1&from=2026-02-01&to=2026-02-28", "rec-category-result"),
        ("/devices", "dev-table"),
    )
    household = re.compile(r"одноставочн|двухзонн|трёхзонн|тариф[а-я]* населени|₽/кВт·ч", re.IGNORECASE)
    seen: dict[str, list[str]] = {}
    with chrome() as driver:
        sign_in(driver, live_app.url, "boss@zavod.ru", PASSWORD)
        for path, marker in pages:
            driver.get(f"{live_app.url}{path}")
            wait_for(lambda m=marker: driver.find_elements("id", m), timeout=30)
            wait_for(lambda: not driver.find_elements("css selector", "[data-dash-is-loading='true']"), timeout=30)
            time.sleep(0.5)
            leaks = sorted({m.group(0) for m in household.finditer(visible_text(driver))})
            if leaks:
                seen[path] = leaks
        driver.get(f"{live_app.url}/consumption?meter=EKB-1&from=2026-02-01&to=2026-02-28&step=day")
        wait_for(lambda: "без НДС" in text_of(driver, "cons-cost"), timeout=30)
        assert "56 100 ₽ без НДС" in text_of(driver, "cons-cost")
    assert seen == {}, f"household prices on a business customer's pages: {seen}"
