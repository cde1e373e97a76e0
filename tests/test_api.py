"""REST API over real HTTP: session and bearer-token auth, tenants, granularities, formats."""

from __future__ import annotations

import numpy as np
import requests

from auth.inn import complete_inn
from data.clickhouse.readings import write_readings
from data.relational import tokens, users
from tests.helpers import epoch, login, make_org, make_user
from tests.test_clickhouse_store import frame

T0 = epoch(2026, 5, 4, 21, 0)  # local midnight in Moscow


def seed(services) -> None:
    make_org(services.db, "771100000", "ООО «Своя»", ["OWN-1"])
    make_org(services.db, "771200000", "ООО «Чужая»", ["OTHER-1"])
    make_user(services.db, "me@own.ru", "consumer", complete_inn("771100000"))
    make_user(services.db, "boss@wattboard.ru", "admin")
    values = list(np.round(np.random.default_rng(7).uniform(0.5, 3, 96), 4))
    write_readings(services.store, frame(1, T0, values, version=1))
    write_readings(services.store, frame(2, T0, [9.0] * 4, version=1))


def bearer(services, email: str) -> dict[str, str]:
    user = users.user_by_email(services.db, email)
    return {"Authorization": f"Bearer {tokens.issue_token(services.db, user.id)}"}


def test_hourly_totals_equal_the_sums_of_raw_half_hours(services, live_app) -> None:
    seed(services)
    headers = bearer(services, "me@own.ru")
    url = f"{live_app.url}/api/v1/meters/OWN-1/readings"
    span = {"from": "2026-05-04T21:00:00Z", "to": "2026-05-06T21:00:00Z"}
    raw = requests.get(url, params={**span, "granularity": "raw"}, headers=headers, timeout=10).json()
    hourly = requests.get(url, params={**span, "granularity": "hour"}, headers=headers, timeout=10).json()
    raw_values = [r["value_kwh"] for r in raw["readings"]]
    hour_values = [r["value_kwh"] for r in hourly["readings"]]
    assert len(raw_values) == 96 and len(hour_values) == 48
    assert np.allclose(hour_values, np.asarray(raw_values).reshape(48, 2).sum(axis=1))
    assert hourly["readings"][0]["ts"] == "2026-05-04T21:00:00Z" and hourly["unit"] == "kWh"
    daily = requests.get(url, params={**span, "granularity": "day"}, headers=headers, timeout=10).json()
    assert [d["ts"] for d in daily["readings"]] == ["2026-05-05", "2026-05-06"]  # Moscow days
    assert np.isclose(sum(d["value_kwh"] for d in daily["readings"]), sum(raw_values))


def test_gaps_are_null_not_zero_and_csv_downloads(services, live_app) -> None:
    seed(services)
    headers = bearer(services, "me@own.ru")
    url = f"{live_app.url}/api/v1/meters/OWN-1/readings"
    span = {"from": "2026-05-04T19:00:00Z", "to": "2026-05-04T23:00:00Z", "granularity": "hour"}
    body = requests.get(url, params=span, headers=headers, timeout=10).json()
    assert [r["value_kwh"] is None for r in body["readings"]] == [True, True, False, False]
    csv = requests.get(url, params={**span, "format": "csv"}, headers=headers, timeout=10)
    assert csv.headers["Content-Type"].startswith("text/csv")
    lines = csv.text.strip().splitlines()
    assert lines[0] == "ts,value_kwh,status" and len(lines) == 5


def test_consumers_see_only_their_organization(services, live_app) -> None:
    seed(services)
    headers = bearer(services, "me@own.ru")
    meters = requests.get(f"{live_app.url}/api/v1/meters", headers=headers, timeout=10).json()["meters"]
    assert [m["code"] for m in meters] == ["OWN-1"]
    foreign = requests.get(f"{live_app.url}/api/v1/meters/OTHER-1/readings", headers=headers, timeout=10)
    missing = requests.get(f"{live_app.url}/api/v1/meters/NOPE/readings", headers=headers, timeout=10)
    assert foreign.status_code == 404 and missing.status_code == 404
    assert foreign.json() == {"error": "metering point 'OTHER-1' not found"}

    admin = bearer(services, "boss@wattboard.ru")
    codes = [
        m["code"] for m in requests.get(f"{live_app.url}/api/v1/meters", headers=admin, timeout=10).json()["meters"]
    ]
    assert sorted(codes) == ["OTHER-1", "OWN-1"]
    assert requests.get(f"{live_app.url}/api/v1/meters/OTHER-1/readings", headers=admin, timeout=10).status_code == 200


def test_session_login_works_for_the_api_too(services, live_app) -> None:
    seed(services)
    session = login(live_app.url, "me@own.ru")
    assert [m["code"] for m in session.get(f"{live_app.url}/api/v1/meters", timeout=10).json()["meters"]] == ["OWN-1"]


def test_anonymous_and_bad_tokens_get_401(services, live_app) -> None:
    seed(services)
    assert requests.get(f"{live_app.url}/api/v1/meters", timeout=10).status_code == 401
    bad = {"Authorization": "Bearer wb_not-a-real-token"}
    assert requests.get(f"{live_app.url}/api/v1/meters", headers=bad, timeout=10).status_code == 401


def test_bad_parameters_get_400_with_the_reason(services, live_app) -> None:
    seed(services)
    headers = bearer(services, "me@own.ru")
    url = f"{live_app.url}/api/v1/meters/OWN-1/readings"
    cases = {
        (("granularity", "minute"),): "granularity must be raw, hour or day",
        (("format", "xml"),): "format must be json, csv or espi",
        (("from", "yesterday"),): "«с» (from) — не дата ГГГГ-ММ-ДД",
        (("from", "2026-05-02"), ("to", "2026-05-01")): "должно быть раньше его конца",
        (("from", "0001-01-01"),): "между 01.01.2000 и 01.01.2100",
        (("to", "9999-12-31T23:59:59-12:00"),): "между 01.01.2000 и 01.01.2100",
    }
    for params, reason in cases.items():
        response = requests.get(url, params=dict(params), headers=headers, timeout=10)
        assert response.status_code == 400 and reason in response.json()["error"]
