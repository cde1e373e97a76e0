"""Green Button export: a point's interval data as ESPI XML from the API and the consumption page, read back by our
own ESPI parser to the same readings."""

from __future__ import annotations

import numpy as np

from auth.inn import complete_inn
from data.clickhouse.readings import write_readings
from data.relational.meters import meter_by_code
from partners.formats.espi import EspiParser
from tests.dash_client import DashClient
from tests.helpers import epoch, login, make_org, make_user
from tests.test_clickhouse_store import frame

T0 = epoch(2025, 2, 10, 21, 0)  # local midnight in Moscow; a range no other test writes


def test_a_points_readings_go_out_as_green_button_and_come_back_to_the_watt_hour(services, live_app) -> None:
    make_org(services.db, "771600000", "ООО «Выгрузка»", ["GB-1", "GB-2"])
    make_org(services.db, "771700000", "ООО «Чужая»", ["GB-X"])
    make_user(services.db, "gb@own.ru", "consumer", complete_inn("771600000"))
    meter = meter_by_code(services.db, "GB-1")
    assert meter is not None
    values = list(np.round(np.random.default_rng(3).uniform(0.1, 4, 96), 4))  # two days of half-hours, kWh
    values[10] = 0.0  # a half-hour of nothing is a reading too
    write_readings(services.store, frame(meter.id, T0, values, version=1))
    session = login(live_app.url, "gb@own.ru")
    span = {"format": "espi", "from": "2025-02-10T21:00:00Z", "to": "2025-02-12T21:00:00Z"}
    answer = session.get(f"{live_app.url}/api/v1/meters/GB-1/readings", params=span, timeout=30)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("application/atom+xml")
    assert 'filename="GB-1-20250210-20250212-greenbutton.xml"' in answer.headers["Content-Disposition"]

    parsed = EspiParser().parse(answer.content, {})
    assert not parsed.rejected and parsed.units == "Wh" and len(parsed.readings) == 96
    assert {r.meter for r in parsed.readings} == {"GB-1"}
    assert [int(r.ts.timestamp()) for r in parsed.readings] == [T0 + 1800 * i for i in range(96)]
    assert {r.interval_s for r in parsed.readings} == {1800}
    back = np.array([r.value for r in parsed.readings]) / 1000  # Wh → kWh
    assert np.abs(back - np.array(values)).max() < 1e-6  # not just to the watt-hour: to the milliwatt-hour
    assert b"<espi:uom>72</espi:uom>" in answer.content and b"<espi:tzOffset>10800</espi:tzOffset>" in answer.content

    foreign = session.get(f"{live_app.url}/api/v1/meters/GB-X/readings", params=span, timeout=30)
    assert foreign.status_code == 404 and b"espi" not in foreign.content
    wrong = session.get(f"{live_app.url}/api/v1/meters/GB-1/readings", params={**span, "format": "pdf"}, timeout=30)
    assert wrong.status_code == 400 and "json, csv or espi" in wrong.json()["error"]

    dash = DashClient(live_app.app, live_app.url, session)
    page = {"cons-range.start_date": "2025-02-11", "cons-range.end_date": "2025-02-12", "cons-step.value": "hour",
            "cons-compare.value": []}  # fmt: skip
    one = dash.outputs("cons-archive.figure", {**page, "cons-meter.value": ["GB-1"]})
    link = one["cons-export-espi.href"]
    assert link.startswith("/api/v1/meters/GB-1/readings?format=espi&from=2025-02-10T21") and not one[
        "cons-export-espi.style"
    ]
    assert session.get(live_app.url + link, timeout=30).content.count(b"<espi:IntervalReading>") == 96
    both = dash.outputs("cons-archive.figure", {**page, "cons-meter.value": ["GB-1", "GB-2"]})
    assert both["cons-export-espi.style"] == {"display": "none"}  # a group has no single usage point
