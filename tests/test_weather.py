"""The weather source: the Open-Meteo client against a local server speaking that API, the scheduled pull into
ClickHouse on a real RQ worker, and the forecast of a heated building that uses the stored temperatures."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest
import requests

from alerts.actions import latest
from auth.inn import complete_inn
from auth.principal import Principal
from data.clickhouse.readings import write_readings
from data.queue import queue
from data.relational.audit import audit_events
from data.relational.meters import meter_by_code, set_coordinates
from data.relational.models import MeteringPoint, Organization
from data.relational.users import user_by_email
from detection.scan import evaluate
from forecasting.service import forecast_subject, hourly_history, meter_subject, organization_subject
from runtime.rq_runner import InlineWorker
from tests.alert_world import pump
from tests.dash_client import DashClient
from tests.forecast_world import _frame
from tests.helpers import login, make_user
from tests.test_partner_cli import cli
from weather import pull
from weather.balance import fit
from weather.openmeteo import WeatherUnavailable, fetch_hourly
from weather.places import Place, place_of
from weather.standin import StandInWeather, synthetic_temperature
from weather.views import temperature_of_points, temperature_on_axis, weighted_temperature
from workers import jobs


@pytest.fixture
def source():
    standin = StandInWeather()
    standin.start()
    yield standin
    standin.stop()


def test_a_point_is_placed_by_its_coordinates_else_by_the_settlement_it_names() -> None:
    assert place_of(61.25, 73.4, "Москва", None) == Place("61.25, 73.40", 61.25, 73.4)
    moscow = place_of(None, None, "г. Москва, ул. Тверская, 1", None)
    assert moscow is not None and moscow.key == "55.76,37.62"
    nizhny = place_of(None, None, "Нижний Новгород, Рождественская 5", None)
    assert nizhny is not None and nizhny.latitude == pytest.approx(56.33)
    by_region = place_of(None, None, "ул. Ленина, 1", "Свердловская область")
    assert by_region is not None and by_region.key == "56.84,60.61"
    assert place_of(None, None, "ул. Ленина, 1", "Тестовый край") is None


def test_the_client_reads_hourly_temperatures_and_says_why_when_it_cannot(source: StandInWeather) -> None:
    place = Place("Москва", 55.76, 37.62)
    hours = fetch_hourly(source.url, place, past_days=2, forecast_days=3)
    assert len(hours) == 5 * 24 and str(hours["ts"].dt.tz) == "UTC"
    assert hours["ts"].iloc[0] == pd_midnight(-2) and hours["ts"].diff().dropna().dt.total_seconds().eq(3600).all()
    expected = synthetic_temperature(55.76, 37.62, hours["ts"].dt.tz_localize(None).to_numpy().astype("datetime64[s]"))
    assert np.allclose(hours["temperature"], expected)
    source.fail = "down"
    with pytest.raises(WeatherUnavailable, match="answered 503: Service unavailable"):
        fetch_hourly(source.url, place)
    source.fail = "garbage"
    with pytest.raises(WeatherUnavailable, match="no hourly temperature_2m"):
        fetch_hourly(source.url, place)
    with pytest.raises(WeatherUnavailable, match="did not answer"):
        fetch_hourly("http://127.0.0.1:9", place)


def pd_midnight(days: int):
    import pandas as pd

    return pd.Timestamp(dt.datetime.now(dt.UTC).date() + dt.timedelta(days=days), tz="UTC")


LAT, LON = 61.25, 73.40  # a place no other test uses: the chDB store is shared by the process
INN = complete_inn("860200000")


def _heated_building(services) -> str:
    """A point whose load is electric heating: 2 kW plus 0.5 kW per degree below 14 °C of the place's weather."""
    with services.db.session() as s:
        org = Organization(inn=INN, name="ООО «Тепло»", kind="business", region="Тестовый край")
        s.add(org)
        s.flush()
        s.add(
            MeteringPoint(
                code="HEAT-1", name="Склад", organization_id=org.id, tariff_plan="single", latitude=LAT, longitude=LON
            )
        )
    meter = meter_by_code(services.db, "HEAT-1")
    assert meter is not None
    now = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    ts = np.arange(int((now - dt.timedelta(days=80)).timestamp()), int(now.timestamp()), 3600, dtype="int64")
    temps = synthetic_temperature(LAT, LON, ts.astype("datetime64[s]"))
    kw = (2.0 + 0.5 * np.clip(14 - temps, 0, None)) * np.random.default_rng(4).lognormal(0, 0.02, len(ts))
    write_readings(services.store, _frame(meter.id, ts, kw))
    return meter.code


def test_the_scheduled_pull_stores_the_weather_and_the_forecast_of_a_heated_building_uses_it(
    services,
    source: StandInWeather,
) -> None:
    code = _heated_building(services)
    services.weather_url = source.url
    jobs.bind(services)
    queue(services.redis, "ingest").enqueue(jobs.pull_weather)
    InlineWorker(["ingest"], connection=services.redis).work(burst=True, logging_level="WARNING")

    fresh = {f.place: f for f in pull.freshness(services)}
    mine = fresh[Place("", LAT, LON).key]
    assert not mine.stale and mine.hours >= (pull.FIRST_PAST_DAYS + pull.FORECAST_DAYS) * 24 - 24
    assert mine.last_hour > dt.datetime.now(dt.UTC) + dt.timedelta(days=7)  # the forecast's week ahead is covered
    asked = source.requests
    assert pull.pull_weather(services).places == 0 and source.requests == asked  # fetched this hour: left alone

    meter = meter_by_code(services.db, code)
    assert meter is not None
    outcome = forecast_subject(services, meter_subject(meter))
    scores = outcome.run.scores
    weather, naive = scores["weather_naive"]["mape"], scores["seasonal_naive"]["mape"]
    assert weather is not None and weather < 0.6 * naive  # heating follows the weather; a week ago does not
    assert outcome.run.model == "weather_naive"


def test_the_hours_a_pull_stores_reach_the_next_chart_though_answers_are_shared(services, source) -> None:
    meter = meter_by_code(services.db, _heated_building(services))
    assert meter is not None
    place = pull.place_of_meter(meter)
    assert place is not None
    now = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    start, end = now - dt.timedelta(days=2), now
    assert pull.hourly_temperatures(services, place, start, end).empty  # nothing pulled yet: that answer is shared
    services.weather_url = source.url
    pull.pull_weather(services)
    assert len(pull.hourly_temperatures(services, place, start, end)) == 48


def test_a_dead_weather_source_is_reported_per_place_and_stores_nothing(services, source) -> None:
    _heated_building(services)
    services.weather_url = source.url
    source.fail = "down"
    before = {f.place: f.hours for f in pull.freshness(services)}
    summary = pull.pull_weather(services, dt.datetime.now(dt.UTC) + pull.REFRESH_AFTER)  # an hour on
    assert summary.places == 0 and "503" in summary.failed["61.25, 73.40"]
    assert {f.place: f.hours for f in pull.freshness(services)} == before
    later = dt.datetime.now(dt.UTC) + pull.STALE_AFTER + dt.timedelta(minutes=1)
    assert all(f.stale for f in pull.freshness(services, later))


def test_a_planted_balance_point_and_slope_are_found_and_flat_demand_names_none() -> None:
    rng = np.random.default_rng(7)
    temps = rng.uniform(-25, 28, 150)
    off = np.arange(150) % 7 >= 5
    heating = 300 + 12 * np.clip(15 - temps, 0, None) - 80 * off + rng.normal(0, 15, 150)
    found = fit(heating, temps, off)
    assert found is not None and found.heating_base_c == pytest.approx(15, abs=1.0)
    assert found.heating_kwh_per_degree == pytest.approx(12, rel=0.1) and found.cooling_base_c is None
    assert found.heating_kwh == pytest.approx(12 * np.clip(15 - temps, 0, None).sum(), rel=0.12)
    both = heating + 20 * np.clip(temps - 22, 0, None)
    cooled = fit(both, temps, off)
    assert cooled is not None and cooled.cooling_base_c == pytest.approx(22, abs=1.5)
    assert fit(300 + rng.normal(0, 15, 150), temps, off) is None  # the weather explains nothing
    assert fit(heating[:14], temps[:14], off[:14]) is None  # two weeks say too little


def test_when_every_day_needed_heating_the_balance_point_is_given_as_at_least_the_warmest_day() -> None:
    rng = np.random.default_rng(9)
    temps = rng.permutation(np.linspace(-15, 9.3, 60))  # a winter: no day reached the 16 °C the building heats to
    kwh = 100 + 12 * (16 - temps) + rng.normal(0, 1, 60)
    found = fit(kwh, temps, np.zeros(60))
    assert found is not None and found.heating_every_day
    assert found.heating_base_c == pytest.approx(9.3)  # the warmest day: all that the days can say
    assert found.heating_kwh_per_degree == pytest.approx(12, rel=0.05)


def test_the_pages_show_the_weather_beside_consumption_and_the_staff_see_the_source(
    services, live_app, source
) -> None:
    code = _heated_building(services)
    make_user(services.db, "heat@example.ru", "consumer", INN)
    make_user(services.db, "ops@example.ru", "operator")
    dash = DashClient(live_app.app, live_app.url, login(live_app.url, "heat@example.ru"))
    today = dt.date.today()
    period = {"ana-meter.value": [code], "ana-range.start_date": str(today - dt.timedelta(days=60)),
              "ana-range.end_date": str(today)}  # fmt: skip
    assert dash.outputs("ana-weather.figure", period)["ana-weather-note.children"] == ""  # no weather pulled yet
    services.weather_url = source.url
    pull.pull_weather(services)  # the page's answer, kept for every reader, is not used again
    analysis = dash.outputs("ana-weather.figure", period)
    names = [trace["name"] for trace in analysis["ana-weather.figure"]["data"]]
    assert names[-1] == "Модель для рабочего дня" and "Рабочие дни" in names
    note = " ".join(line["props"]["children"] for line in analysis["ana-weather-note.children"])
    # 0.5 kW a degree below 14 °C is 12 kWh a degree-day; December's days are all colder than that
    slope = re.search(r"холоднее добавляет ([\d,]+) кВт·ч в сутки", note)
    assert slope and 11.0 <= float(slope.group(1).replace(",", ".")) <= 13.0
    base = re.search(r"(?:ниже|не ниже) ([\d,]+) °C", note)  # daily means: hours above 14 °C on mild days lower it
    assert base and "градусо-суток отопления" in note
    balance = float(base.group(1).replace(",", "."))
    if "во все дни периода" in note:  # no day of the period was mild enough to stop heating: the warmest day bounds it
        first = dt.datetime.combine(today - dt.timedelta(days=60), dt.time(), dt.UTC)
        hours = np.arange(int(first.timestamp()), int(dt.datetime.now(dt.UTC).timestamp()), 3600)
        temps = synthetic_temperature(LAT, LON, hours.astype("datetime64[s]"))
        warmest = float(temps[: len(temps) // 24 * 24].reshape(-1, 24).mean(axis=1).max())
        assert warmest - 1.0 <= balance <= 14.5, (balance, warmest)
    else:
        assert 8.0 <= balance <= 14.5
    chart = dash.outputs(
        "cons-archive.figure",
        {"cons-meter.value": [code], "cons-range.start_date": str(today - dt.timedelta(days=7)),
         "cons-range.end_date": str(today), "cons-step.value": "hour", "cons-compare.value": []},  # fmt: skip
    )
    temperature = [tr for tr in chart["cons-archive.figure"]["data"] if tr.get("yaxis") == "y2"]
    assert temperature and temperature[0]["name"] == "Температура воздуха, °C"
    assert chart["cons-archive.figure"]["layout"]["yaxis2"]["title"]["text"] == "°C"
    denied = dash.call("adm-weather.children", {"adm-tabs.active_tab": "weather"})
    assert "61.25,73.40" not in denied.text
    staff = DashClient(live_app.app, live_app.url, login(live_app.url, "ops@example.ru"))
    table = str(staff.outputs("adm-weather.children", {"adm-tabs.active_tab": "weather"}))
    assert "61.25, 73.40" in table and "свежая" in table and source.url.split("//")[1] in table


def test_a_dead_weather_feed_rings_the_staff_bell_and_a_live_one_quiets_it(services, source) -> None:
    _heated_building(services)
    make_user(services.db, "ops@example.ru", "operator")
    staff_user = user_by_email(services.db, "ops@example.ru")
    assert staff_user is not None
    staff = Principal(staff_user.id, "ops@example.ru", "operator", None)
    services.weather_url = source.url
    pull.pull_weather(services)
    assert evaluate(services)["weather_feed"] == 0
    source.fail = "down"
    later = dt.datetime.now(dt.UTC) + pull.STALE_AFTER + dt.timedelta(minutes=5)
    pull.pull_weather(services, later)
    assert evaluate(services, later)["weather_feed"] >= 1
    pump(services)
    rung = [n for n in latest(services, staff, kind="weather_feed")]
    assert rung and rung[0].title == "Погода для «61.25, 73.40» не обновляется"
    assert "503" in rung[0].body and "без погоды" in rung[0].body
    assert evaluate(services, later)["weather_feed"] == 0  # already open: not told twice
    source.fail = ""
    pull.pull_weather(services, later)
    assert evaluate(services, later)["weather_feed"] >= 1  # the resolution
    pump(services)
    titles = [n.title for n in latest(services, staff, kind="weather_feed")]
    assert "Погода для «61.25, 73.40» снова обновляется" in titles


def test_an_administrator_gives_a_point_coordinates_and_bad_ones_are_refused(services) -> None:
    code = _heated_building(services)
    moved = cli(services, "meters", "set-place", code, "56.84", "60.61")
    assert moved.returncode == 0 and "weather from 56.84, 60.61 (56.84,60.61)" in moved.stdout, moved.stderr
    meter = meter_by_code(services.db, code)
    assert meter is not None and (meter.latitude, meter.longitude) == (56.84, 60.61)
    assert any(e.action == "meter.place_set" and e.target == code for e in audit_events(services.db, limit=20))
    wrong = cli(services, "meters", "set-place", code, "91", "60.61")
    assert wrong.returncode == 1 and "широта — от −90 до 90 градусов" in wrong.stderr
    cleared = cli(services, "meters", "set-place", code, "--clear")
    assert cleared.returncode == 0 and "no place known" in cleared.stdout  # «Склад» names no settlement
    meter = meter_by_code(services.db, code)
    assert meter is not None and meter.latitude is None


def test_a_place_whose_first_fetch_fails_is_listed_and_rings_the_staff(services, source) -> None:
    code = _heated_building(services)
    meter = meter_by_code(services.db, code)
    assert meter is not None
    set_coordinates(services.db, meter.id, 62.5, 74.5)  # a place nobody has fetched
    make_user(services.db, "ops@example.ru", "operator")
    staff_user = user_by_email(services.db, "ops@example.ru")
    assert staff_user is not None
    services.weather_url, source.fail = source.url, "down"
    waiting = {f.place: f for f in pull.freshness(services)}["62.50,74.50"]
    assert waiting.fetched_at is None and not waiting.stale  # not asked yet: waiting, not dead
    pull.pull_weather(services)
    dead = {f.place: f for f in pull.freshness(services)}["62.50,74.50"]
    assert dead.stale and dead.hours == 0 and "503" in (dead.failure or "")
    assert evaluate(services)["weather_feed"] >= 1
    pump(services)
    staff = Principal(staff_user.id, "ops@example.ru", "operator", None)
    rung = latest(services, staff, kind="weather_feed")
    assert rung and rung[0].title == "Погода для «62.50, 74.50» не получена"
    assert "ни разу" in rung[0].body and "WATTBOARD_WEATHER_URL" in rung[0].body


def test_an_owner_places_a_point_by_the_api_and_on_the_organization_page_and_nobody_else_can(
    services, live_app
) -> None:
    """The REST API and the organization page give a point coordinates (or clear them, back to its address's town);
    a member who is not the owner reads where the weather comes from but changes nothing, a stranger sees nothing."""
    from sqlalchemy import select, update

    from data.relational import tokens
    from data.relational.models import User

    with services.db.session() as s:
        org = Organization(inn=complete_inn("667100000"), name="ООО «Урал»", kind="business")
        s.add(org)
        s.flush()
        s.add(MeteringPoint(code="UR-1", name="Цех", organization_id=org.id, timezone="Asia/Yekaterinburg",
                            address="г. Екатеринбург, ул. Малышева, 1"))  # fmt: skip
        s.add(MeteringPoint(code="UR-2", name="Склад", organization_id=org.id, timezone="Asia/Yekaterinburg"))
        other = Organization(inn=complete_inn("667200000"), name="ООО «Чужое»", kind="business")
        s.add(other)
        s.flush()
        s.add(MeteringPoint(code="FAR-1", name="Чужая", organization_id=other.id, timezone="Europe/Moscow"))
    make_user(services.db, "owner@ural.ru", "consumer", complete_inn("667100000"))
    make_user(services.db, "member@ural.ru", "consumer", complete_inn("667100000"))
    with services.db.session() as s:
        s.execute(update(User).where(User.email == "owner@ural.ru").values(is_owner=True))
        ids = {u.email: u.id for u in s.scalars(select(User))}
    owner = {"Authorization": f"Bearer {tokens.issue_token(services.db, ids['owner@ural.ru'])}"}
    member = {"Authorization": f"Bearer {tokens.issue_token(services.db, ids['member@ural.ru'])}"}
    api = f"{live_app.url}/api/v1/meters"

    before = requests.get(f"{api}/UR-1/place", headers=member, timeout=10).json()
    assert before == {"meter": "UR-1", "source": "address", "may_change": False,
                      "place": {"name": "Екатеринбург", "latitude": 56.84, "longitude": 60.61}}  # fmt: skip
    assert requests.get(f"{api}/UR-2/place", headers=owner, timeout=10).json()["source"] is None  # no address
    assert requests.get(f"{api}/FAR-1/place", headers=owner, timeout=10).status_code == 404
    refused = requests.put(f"{api}/UR-2/place", headers=member, json={"latitude": 57.0, "longitude": 61.0}, timeout=10)
    assert refused.status_code == 403
    half = requests.put(f"{api}/UR-2/place", headers=owner, json={"latitude": 57.0, "longitude": None}, timeout=10)
    assert half.status_code == 400 and "обе координаты" in half.json()["error"]
    text = requests.put(f"{api}/UR-2/place", headers=owner, json={"latitude": "57", "longitude": 61}, timeout=10)
    assert text.status_code == 400 and "latitude — число градусов" in text.json()["error"]
    placed = requests.put(f"{api}/UR-2/place", headers=owner, json={"latitude": 57.0, "longitude": 61.25}, timeout=10)
    assert placed.status_code == 200 and placed.json()["source"] == "coordinates"
    assert placed.json()["place"] == {"name": "57.00, 61.25", "latitude": 57.0, "longitude": 61.25}
    assert (meter_by_code(services.db, "UR-2").latitude, meter_by_code(services.db, "UR-2").longitude) == (57.0, 61.25)
    assert any(e.action == "meter.place_set" and e.target == "UR-2" for e in audit_events(services.db, limit=20))

    page = DashClient(live_app.app, live_app.url, login(live_app.url, "owner@ural.ru"))
    state = {"org-place-point.value": None, "org-place-lat.value": None,
             "org-place-lon.value": None}  # fmt: skip
    shown = page.outputs("org-places.children", state)
    listed = str(shown["org-places.children"])
    assert "UR-1 — Цех" in listed and "Екатеринбург" in listed and "город из адреса" in listed
    assert "57.00, 61.25" in listed and "координаты точки" in listed
    assert [o["value"] for o in shown["org-place-point.options"]] == ["UR-1", "UR-2"]
    assert shown["org-place-form.style"] == {}
    typed = state | {"org-place-point.value": "UR-1", "org-place-lat.value": "56,9", "org-place-lon.value": "60,5"}
    saved = page.outputs("org-places.children", typed, changed="org-place-save.n_clicks")
    assert "Сохранено: погода точки UR-1 — 56.90, 60.50" in str(saved["org-place-result.children"])
    assert meter_by_code(services.db, "UR-1").latitude == 56.9
    wrong = page.outputs("org-places.children", typed | {"org-place-lat.value": "север"},
                         changed="org-place-save.n_clicks")  # fmt: skip
    assert "число градусов" in str(wrong["org-place-result.children"])
    cleared = page.outputs("org-places.children", typed, changed="org-place-clear.n_clicks")
    assert "Координаты убраны: погода точки UR-1 — Екатеринбург" in str(cleared["org-place-result.children"])
    assert meter_by_code(services.db, "UR-1").latitude is None

    reader = DashClient(live_app.app, live_app.url, login(live_app.url, "member@ural.ru"))
    seen = reader.outputs("org-places.children", state)
    assert "UR-1 — Цех" in str(seen["org-places.children"]) and seen["org-place-form.style"] == {"display": "none"}
    assert seen["org-place-point.options"] == []


def test_an_organization_in_two_towns_feels_the_weather_of_both_weighted_by_what_each_uses(services, source) -> None:
    """A total over points in two towns is not given the first point's weather: each town's temperature counts by
    the kWh its points used (a factory in one, a small office in the other), in the forecast's history as on the
    charts."""
    north, south = (64.55, 40.55), (45.05, 39.0)  # places no other test uses (Arkhangelsk-ish, Krasnodar-ish)
    with services.db.session() as s:
        org = Organization(inn=complete_inn("290100000"), name="ООО «Два города»", kind="business")
        s.add(org)
        s.flush()
        s.add(MeteringPoint(code="TWO-N", name="Завод", organization_id=org.id, latitude=north[0], longitude=north[1]))
        s.add(MeteringPoint(code="TWO-S", name="Офис", organization_id=org.id, latitude=south[0], longitude=south[1]))
        org_id = org.id
    now = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    ts = np.arange(int((now - dt.timedelta(days=10)).timestamp()), int(now.timestamp()), 3600, dtype="int64")
    for code, kw in (("TWO-N", 3.0), ("TWO-S", 1.0)):  # the factory uses three times what the office does
        write_readings(services.store, _frame(meter_by_code(services.db, code).id, ts, np.full(len(ts), kw)))
    services.weather_url = source.url
    pull.pull_weather(services)

    subject = organization_subject(services, org_id)
    assert subject is not None
    history = hourly_history(services, subject, now)
    axis = pd.Series(pd.date_range(pd.Timestamp(now.replace(tzinfo=None)) - pd.Timedelta(days=3), periods=48, freq="h"))
    each = [temperature_on_axis(services, m, axis, "hour") for m in subject.meters]  # TWO-N, then TWO-S
    total = temperature_of_points(services, list(subject.meters), axis, "hour")
    assert each[0] is not None and each[1] is not None and total is not None
    assert np.nanmean(each[1] - each[0]) > 4  # the two towns' weather differs, so the weighting shows
    np.testing.assert_allclose(total, 0.75 * each[0] + 0.25 * each[1], atol=0.11)  # 3 : 1 by the kWh used
    assert history.temperature is not None and np.isfinite(history.temperature).sum() > 24 * 9
    assert not np.allclose(total, each[0], atol=1)  # not the first point's weather alone


def test_a_weighted_temperature_leaves_an_hour_a_place_does_not_know_to_the_others() -> None:
    temps = np.array([[0.0, 10.0, np.nan, np.nan], [20.0, 30.0, 5.0, np.nan]])
    out = weighted_temperature(temps, np.array([3.0, 1.0]))
    np.testing.assert_allclose(out[:3], [5.0, 15.0, 5.0])
    assert np.isnan(out[3])
    assert weighted_temperature(np.full((2, 3), np.nan), np.array([1.0, 1.0])) is None
