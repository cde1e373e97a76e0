"""The overview, consumption, analysis and devices callbacks and the exports, over real HTTP."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
import requests

from pricing.book import price_book
from tests.dash_client import DashClient, component
from tests.helpers import login
from tests.pages_world import DAYS, GAP_DAY, PER_HOUR, World, seed


@pytest.fixture
def world(services) -> World:
    return seed(services)


def client(live_app, email: str) -> DashClient:
    return DashClient(live_app.app, live_app.url, login(live_app.url, email))


def archive(dash: DashClient, world: World, codes: list[str], step: str, days: int = DAYS, **extra):
    first = world.today - dt.timedelta(days=days - 1)
    return dash.outputs(
        "cons-archive.figure",
        {
            "cons-meter.value": codes,
            "cons-range.start_date": first.isoformat(),
            "cons-range.end_date": (world.today - dt.timedelta(days=1)).isoformat(),  # both ends included
            "cons-step.value": step,
            "cons-compare.value": extra.get("compare", []),
            "org-switch.value": extra.get("org"),
        },
    )


def test_one_point_by_day_shows_the_gap_as_a_gap_and_the_total(services, live_app, world) -> None:
    out = archive(client(live_app, "a@alfa.ru"), world, ["A-1"], "day")
    bars = out["cons-archive.figure"]["data"][0]
    assert bars["type"] == "bar" and len(bars["x"]) == DAYS - 1  # up to yesterday, included
    assert bars["y"][GAP_DAY] is None  # no readings that day: nothing drawn, not a zero
    assert bars["y"][GAP_DAY + 1] == 24.0
    expected = 24.0 * (DAYS - 2) + (7.0 - 1.0)  # one hour was corrected from 1 to 7 kWh
    assert out["cons-total.children"] == f"Итого за период: {expected:,.1f} кВт·ч".replace(",", " ").replace(".", ",")
    assert out["cons-url.search"].startswith("?meter=A-1&")
    assert out["cons-export-csv.href"].startswith("/export/consumption.csv?meter=A-1&")


def test_a_group_and_the_whole_organization_are_summed(services, live_app, world) -> None:
    dash = client(live_app, "a@alfa.ru")
    group = archive(dash, world, ["A-1", "A-2"], "week")["cons-archive.figure"]["data"][0]
    whole = archive(dash, world, [], "week", org=world.org_ids["B"])["cons-archive.figure"]["data"][0]
    assert group["y"] == whole["y"]  # a consumer's "whole organization" is their own, whatever org says
    assert all(x[:10] == dt.date.fromisoformat(x[:10]).isoformat() for x in group["x"])
    gap = world.first_day + dt.timedelta(days=GAP_DAY)  # A-1 sent nothing that day
    full = [i for i, x in enumerate(group["x"][1:-1], 1) if not 0 <= (gap - dt.date.fromisoformat(x[:10])).days < 7]
    monday = dt.date.fromisoformat(group["x"][full[0]][:10])
    assert monday.weekday() == 0 and group["y"][full[0]] == pytest.approx(7 * 24 * 3.0, abs=6.1)


def test_hourly_view_shades_tariff_zones_and_marks_the_correction(services, live_app, world) -> None:
    dash = client(live_app, "admin@w.ru")
    days = DAYS - 20 + 1  # starts on the day of the corrected hour
    figure = archive(dash, world, ["A-1"], "hour", days=days)["cons-archive.figure"]
    names = [trace["name"] for trace in figure["data"]]
    assert "Исправлено поставщиком данных" in names
    corrected = figure["data"][names.index("Исправлено поставщиком данных")]
    assert corrected["y"] == [7.0] and corrected["x"] == [
        world.corrected_at.astimezone(dt.timezone(dt.timedelta(hours=3))).strftime("%Y-%m-%dT%H:%M:%S")
    ]
    assert figure["layout"]["shapes"] == []  # 41 days: too long to shade
    week = archive(dash, world, ["A-1"], "hour", days=7)["cons-archive.figure"]
    zones = {shape["name"] for shape in week["layout"]["shapes"]}
    assert zones == {"night", "half_peak", "peak"}
    peak = next(s for s in week["layout"]["shapes"] if s["name"] == "peak")
    assert peak["x0"][11:16] in ("07:00", "17:00")


def test_comparisons_line_up_the_previous_period_and_the_cost_follows_the_zones(services, live_app, world) -> None:
    dash = client(live_app, "a@alfa.ru")
    out = archive(dash, world, ["A-2"], "day", days=14, compare=["previous", "year"])
    data = out["cons-archive.figure"]["data"]
    assert [d["name"] for d in data[:3]] == ["кВт·ч", "Предыдущий период", "Год назад"]
    assert data[1]["y"][:13] == [48.0] * 13  # A-2 used 2 kWh every hour in the 14 days before too
    assert all(v is None for v in data[2]["y"])  # nothing a year ago
    assert "Предыдущий период: 624,0 кВт·ч (±0,0 %)" in out["cons-compared.children"]
    moscow = price_book(services.db).prices_on("Москва", world.today)["single"]["single"]  # the seeded price
    figure, _br, note = out["cons-cost.children"]["props"]["children"]  # the figure, and beside it what it rests on
    assert figure == f"≈ {round(13 * 48 * moscow):,} ₽".replace(",", " ")
    assert note["props"]["children"] == (
        "Для региона «—» нет тарифов населения: стоимость посчитана по тарифам региона «Москва»."
    )


def test_another_organizations_point_shows_nothing(services, live_app, world) -> None:
    dash = client(live_app, "a@alfa.ru")
    out = archive(dash, world, ["B-1"], "day")
    assert out["cons-archive.figure"]["data"] == []
    assert out["cons-message.children"] == "Точка учёта не найдена или недоступна"
    session = login(live_app.url, "a@alfa.ru")
    assert session.get(f"{live_app.url}/export/consumption.csv?meter=B-1", timeout=10).status_code == 404
    assert (
        session.get(f"{live_app.url}/export/devices.csv?org={world.org_ids['B']}", timeout=10).text.count("SN-B") == 0
    )
    shell = session.get(
        f"{live_app.url}/_dash-layout", headers={"Referer": f"{live_app.url}/consumption?meter=B-1"}, timeout=10
    )
    picker = component(shell.json(), "cons-meter")  # the page comes with its picker filled
    assert picker is not None
    assert [o["label"] for o in picker["props"]["options"]] == ["A-1 — Цех A-1", "A-2 — Цех A-2", "B-1 — недоступна"]
    assert picker["props"]["value"] == ["B-1"]  # kept, so the page says "not found" instead of switching


def test_csv_and_xlsx_downloads_hold_what_the_chart_shows(services, live_app, world) -> None:
    session = login(live_app.url, "a@alfa.ru")
    query = (
        f"meter=A-1,A-2&from={(world.today - dt.timedelta(days=6)).isoformat()}"
        f"&to={(world.today - dt.timedelta(days=1)).isoformat()}&step=day"
    )
    csv = session.get(f"{live_app.url}/export/consumption.csv?{query}", timeout=10)
    assert csv.status_code == 200 and "attachment" in csv.headers["Content-Disposition"]
    assert csv.headers["Content-Type"] == "text/csv; charset=utf-8"  # the charset named once
    lines = csv.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0] == "Период;кВт·ч;Исправлено;Оценочное"  # the layout a Russian Excel opens as columns
    assert len(lines) == 7 and lines[1].endswith(";72,0;нет;нет")
    machine = session.get(f"{live_app.url}/export/consumption.csv?{query}&layout=en", timeout=10)
    machine_lines = machine.content.decode("utf-8-sig").strip().splitlines()
    assert machine_lines[0] == "Период,кВт·ч,Исправлено,Оценочное" and machine_lines[1].endswith(",72.0,false,false")
    xlsx = session.get(f"{live_app.url}/export/consumption.xlsx?{query}", timeout=10)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Период", "кВт·ч") and len(rows) == 7 and rows[1][1] == 72.0
    for view in ("heatmap", "duration", "profiles", "months", "top", "devices"):
        response = session.get(f"{live_app.url}/export/{view}.csv?{query}", timeout=30)
        assert response.status_code == 200 and len(response.content) > 20, view
    device = session.get(f"{live_app.url}/export/device.csv?device=SN-B1", timeout=10)
    assert device.status_code == 404
    assert (
        requests.get(f"{live_app.url}/export/consumption.csv?{query}", timeout=10, allow_redirects=False).status_code
        == 302
    )


def test_overview_figures_top_points_and_alerts(services, live_app, world) -> None:
    dash = client(live_app, "a@alfa.ru")
    out = dash.outputs("ov-today.children", {"org-switch.value": None})
    assert out["ov-org.children"] == "ООО «Альфа»"
    month_days = (world.today - world.today.replace(day=1)).days
    hours_today = dt.datetime.now(dt.timezone(dt.timedelta(hours=3))).hour
    expected_month = 3.0 * 24 * month_days + 3.0 * hours_today
    if world.today.replace(day=1) <= world.first_day + dt.timedelta(days=20) < world.today:
        expected_month += 6.0
    if world.today.replace(day=1) <= world.first_day + dt.timedelta(days=GAP_DAY) < world.today:
        expected_month -= 24.0
    assert out["ov-month.children"] == f"{expected_month:,.1f} кВт·ч".replace(",", " ").replace(".", ",")
    top = str(out["ov-top.children"])
    assert top.index("A-2") < top.index("A-1") and "B-1" not in top
    alerts = str(out["ov-alerts.children"])
    assert "SN-A2" in alerts and "E42" in alerts and "прибор не на связи" in alerts
    admin = client(live_app, "admin@w.ru").outputs(
        "ov-today.children", {"org-switch.value": world.org_ids["B"]}
    )
    assert admin["ov-org.children"] == "ООО «Бета»" and "B-1" in str(admin["ov-top.children"])


def _kwh_of(text: object) -> float:
    return float(str(text).replace("кВт·ч", "").replace("\u00a0", "").replace(" ", "").replace(",", "."))


def test_the_administrators_overview_is_the_organizations_summed_and_lists_points_needing_attention_first(
    services, live_app, world, monkeypatch
) -> None:
    """The administrators' overview of every organization adds up each organization's own figures (kept under the
    key their readers use: one organization's new readings recompute only its own). Past a page of points, the points
    table shows those whose data need attention first and says how many it left out; the download holds them all."""
    from callbacks import overview as overview_callbacks

    monkeypatch.setattr(overview_callbacks, "POINTS_SHOWN", 2)  # three points in this world; 100 in the product
    opened = {"org-switch.value": None}
    alfa = client(live_app, "a@alfa.ru").outputs("ov-today.children", opened)
    beta = client(live_app, "b@beta.ru").outputs("ov-today.children", opened)
    admin = client(live_app, "admin@w.ru").outputs("ov-today.children", opened)
    for figure in ("ov-month.children", "ov-today.children"):
        assert _kwh_of(admin[figure]) == pytest.approx(_kwh_of(alfa[figure]) + _kwh_of(beta[figure]), abs=0.11)
    assert _kwh_of(admin["ov-month.children"]) > _kwh_of(alfa["ov-month.children"]) > 0
    top = str(admin["ov-top.children"])
    assert top.index("B-1") < top.index("A-2") < top.index("A-1")  # 5, 2 and 1 kWh an hour: the largest first
    assert "Показаны 2 из 3 точек учёта" in str(admin["overview-meters.children"])
    assert "Показаны" not in str(alfa["overview-meters.children"])  # Alfa's two points are all there
    assert admin["overview-meters-export-csv.href"].startswith("/export/points.csv?")
    session = login(live_app.url, "admin@w.ru")
    lines = session.get(f"{live_app.url}/export/points.csv", timeout=30).content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:2] == ["Организация", "Код"] and len(lines) == 4
    scores = [int(line.split(";")[5]) for line in lines[1:]]
    assert scores == sorted(scores)  # the lowest score first
    shown = [c for c in ("A-1", "A-2", "B-1") if f"meter={c}" in str(admin["overview-meters.children"])]
    assert sorted(shown) == sorted(line.split(";")[1] for line in lines[1:3])  # the page's two are the download's first
    alfa_lines = login(live_app.url, "a@alfa.ru").get(f"{live_app.url}/export/points.csv", timeout=30).text
    assert "B-1" not in alfa_lines and "A-1" in alfa_lines


def test_a_picker_over_many_points_lists_the_first_and_finds_the_others_as_its_reader_types(
    services, live_app, world, monkeypatch
) -> None:
    """An administrator sees every organization's points (ten thousand in ``bench.browser --points 10000``): a picker
    lists the first of them and the chosen ones, and typing a few characters of a code or name brings the others —
    never a point the reader may not see."""
    from dashboard import meter_choice

    monkeypatch.setattr(meter_choice, "PICKER_OPTIONS", 1)  # three points in this world; 200 in the product
    session = login(live_app.url, "admin@w.ru")
    shell = session.get(f"{live_app.url}/_dash-layout", headers={"Referer": f"{live_app.url}/consumption"}, timeout=10)
    picker = component(shell.json(), "cons-meter")
    assert picker is not None and [o["value"] for o in picker["props"]["options"]] == ["A-1"]
    assert picker["props"]["value"] == ["A-1"]
    admin = DashClient(live_app.app, live_app.url, session)
    typed = {"cons-meter.value": ["A-1"], "org-switch.value": None}
    found = admin.outputs("cons-meter.options", {**typed, "cons-meter.search_value": "b-"}, "cons-meter.search_value")
    assert [o["value"] for o in found["cons-meter.options"]] == ["A-1", "B-1"]  # the chosen one stays named
    forecast = {"fc-meter.value": None, "org-switch.value": None, "fc-meter.search_value": "a-2"}
    found = admin.outputs("fc-meter.options", forecast, "fc-meter.search_value")
    assert [o["value"] for o in found["fc-meter.options"]] == ["A-2"]
    tariff = {"rec-tariff-meter.value": "A-1", "org-switch.value": None, "rec-tariff-meter.search_value": "Б"}
    found = admin.outputs("rec-tariff-meter.options", tariff, "rec-tariff-meter.search_value")
    assert [o["value"] for o in found["rec-tariff-meter.options"]][:1] == ["A-1"]
    opened = admin.outputs("tar-point.options", {"tariffs-opened.data": True})["tar-point.options"]
    assert [o["value"] for o in opened] == ["A-1"]  # the tariffs page: every organization's points, the first listed
    search = {"tar-point.value": None, "org-switch.value": world.org_ids["A"], "tar-point.search_value": "b-1"}
    found = admin.outputs("tar-point.options", search, "tar-point.search_value")["tar-point.options"]
    assert [o["value"] for o in found] == ["B-1"] and "(" in found[0]["label"]  # whatever the bar's organization
    alfa = client(live_app, "a@alfa.ru")  # a consumer of Alfa types Beta's code: nothing of Beta comes back
    spying = {"ana-meter.value": [], "org-switch.value": world.org_ids["B"], "ana-meter.search_value": "B-1"}
    assert alfa.outputs("ana-meter.options", spying, "ana-meter.search_value")["ana-meter.options"] == []


def test_analysis_profile_baseload_and_months(services, live_app, world) -> None:
    dash = client(live_app, "a@alfa.ru")
    values = {
        "ana-meter.value": ["A-2"],
        "ana-range.start_date": (world.today - dt.timedelta(days=28)).isoformat(),
        "ana-range.end_date": world.today.isoformat(),
    }
    out = dash.outputs("ana-heatmap.figure", values)
    z = out["ana-heatmap.figure"]["data"][0]["z"]
    assert len(z) == 7 and all(len(row) == 24 for row in z) and z[0][0] == PER_HOUR["A-2"]
    assert out["ana-baseload.children"] == "2,00 кВт"
    assert out["ana-load-factor.children"] == "100,0 %"
    duration = out["ana-duration.figure"]["data"][0]
    assert duration["x"][-1] == 100.0 and duration["y"][0] == duration["y"][-1] == 2.0
    assert "ana-weather.figure" in out  # the weather chart comes in the same answer
    months = dash.outputs("ana-months.children", {"ana-meter.value": ["A-2"]})
    text = str(months["ana-months.children"])
    assert world.today.strftime("%m.%Y") in text and "ana-months-table" in text
    from analytics.analysis import monthly_table
    from data.relational.meters import meter_by_code

    point = meter_by_code(services.db, "A-2")
    assert point is not None
    table = monthly_table(services.store, [point], dt.datetime.now(dt.UTC))
    if world.today.day > 1:  # the month in progress, like with like: a steady 2 kW reads as no change
        assert table["vs_previous"].iloc[-1] == pytest.approx(0.0, abs=1e-9)
        assert int(table["days"].iloc[-1]) == world.today.day - 1 and pd.isna(table["days"].iloc[-2])
    else:  # the first of the month: no complete day to compare yet
        assert pd.isna(table["vs_previous"].iloc[-1])


def test_devices_filter_and_device_page(services, live_app, world, monkeypatch) -> None:
    dash = client(live_app, "a@alfa.ru")
    everything = str(dash.outputs("dev-table.children", {"dev-filter.value": "all"})["dev-table.children"])
    assert "SN-A1" in everything and "SN-A2" in everything and "SN-B1" not in everything
    offline = str(dash.outputs("dev-table.children", {"dev-filter.value": "offline"})["dev-table.children"])
    assert "SN-A2" in offline and "SN-A1" not in offline and "E42" in offline
    from callbacks import devices as device_callbacks

    monkeypatch.setattr(device_callbacks, "DEVICES_SHOWN", 1)  # past a page of devices, those needing attention first
    for kept in services.redis.scan_iter("wb:answer:callback:devices.*"):  # the answers of the longer table
        services.redis.delete(kept)
    first = str(dash.outputs("dev-table.children", {"dev-filter.value": "all"})["dev-table.children"])
    assert "Показаны 1 из 2 приборов" in first and "SN-A2" in first and "SN-A1" not in first
    mine = dash.outputs("device-info.children", {"device-url.pathname": "/devices/SN-A1"})
    assert "81 %" in str(mine["device-info.children"])
    other = dash.outputs("device-info.children", {"device-url.pathname": "/devices/SN-B1"})
    assert "Прибор не найден или недоступен" in str(other["device-info.children"])
    assert other["device-timeline.figure"]["data"] == []


def test_text_a_partner_chose_reaches_a_spreadsheet_as_text_never_as_a_formula(services, live_app, world) -> None:
    """OWASP's CSV injection rule, in every export: a cell starting with = + - @ tab or CR is prefixed with an
    apostrophe; numbers stay numbers (issue 16: seen in /export/devices.csv and /export/top.csv)."""
    from data.relational.models import Device, MeteringPoint

    attack = '=HYPERLINK("http://evil.example/x","click")'
    with services.db.session() as s:  # as stored before the door checked error codes and names
        s.query(Device).filter_by(serial="SN-A1").update({"error_code": attack[:40]})
        s.query(MeteringPoint).filter_by(code="A-1").update({"name": "+cmd|' /C calc'!A0"})
    session = login(live_app.url, "a@alfa.ru")
    devices = session.get(f"{live_app.url}/export/devices.csv", timeout=30).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in devices and ";=HYPERLINK" not in devices
    top = session.get(f"{live_app.url}/export/top.csv", timeout=30).content.decode("utf-8-sig")
    assert "'+cmd|" in top
    sheet = openpyxl.load_workbook(io.BytesIO(session.get(f"{live_app.url}/export/top.xlsx", timeout=30).content))
    cells = [c for row in sheet.active.iter_rows(values_only=True) for c in row]
    assert "'+cmd|' /C calc'!A0" in cells and any(isinstance(c, float) for c in cells)
