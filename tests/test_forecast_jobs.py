"""The forecast run on a real RQ worker (real Redis, chDB, the relational store): forecasts stored and served, the
month-end projection, recommendations that appear when a world needs them and only then, and tenant rules."""

from __future__ import annotations

import datetime as dt

import pytest

from advice.service import mark, recommendations, refresh
from auth.principal import Principal
from data.clickhouse.forecasts import latest_runs
from data.queue import QUEUE_NAMES, progress
from data.relational.meters import list_meters
from forecasting import runs
from runtime.rq_runner import InlineWorker
from tests.dash_client import DashClient
from tests.forecast_world import CALM, NEEDY, seed
from tests.helpers import login
from workers import jobs


def work(services) -> None:
    """Run every queued job on a real RQ worker until the queues are empty."""
    jobs.bind(services)
    InlineWorker(list(QUEUE_NAMES), connection=services.redis).work(burst=True, logging_level="WARNING")


@pytest.fixture
def needy(services) -> int:
    org = seed(services, "needy", NEEDY)
    key = runs.start_run(services, org, reason="test")
    work(services)
    fields = progress.read(services.redis, key)
    assert fields["finished"] and int(fields["done"]) == len(NEEDY) + 1 == int(fields["total"])
    return org


def test_the_run_forecasts_every_point_and_the_total_and_the_api_serves_it(services, live_app, needy) -> None:
    meters = list_meters(services.db, needy)
    runs_by_meter = latest_runs(services.db, "meter", [m.id for m in meters])
    assert {r.status for r in runs_by_meter.values()} == {"ok"} and len(runs_by_meter) == len(NEEDY)
    total = latest_runs(services.db, "org", [needy])[needy]
    assert total.status == "ok" and total.mape is not None and total.baseline_mape is not None
    assert all(set(r.scores) >= {"seasonal_naive", "prophet", "blend"} for r in runs_by_meter.values())

    session = login(live_app.url, "needy@example.ru")
    body = session.get(f"{live_app.url}/api/v1/meters/N-1/forecast", timeout=30).json()
    assert body["status"] == "ok" and body["model"] in runs_by_meter[meters[0].id].scores
    assert len(body["points"]) == 168  # the next 7 days, hour by hour, whatever the time of day
    first = dt.datetime.fromisoformat(body["points"][0]["ts"].replace("Z", "+00:00"))
    assert abs((first - dt.datetime.now(dt.UTC)).total_seconds()) < 3600
    assert all(p["lower"] <= p["value"] <= p["upper"] for p in body["points"])
    night = [p["value"] for p in body["points"] if (int(p["ts"][11:13]) + 3) % 24 in (2, 3)]
    day = [p["value"] for p in body["points"] if (int(p["ts"][11:13]) + 3) % 24 in (12, 13)]
    assert min(night) > 1.5 and max(day) < 1.5  # N-1 draws 2 kW at night and 1 kW by day
    assert body["mape"] < body["baseline_mape"] * 1.5 and 0 <= body["coverage"] <= 1
    assert body["month_end"]["kwh_low"] <= body["month_end"]["kwh"] <= body["month_end"]["kwh_high"]


def test_recommendations_appear_for_a_world_built_to_need_them(services, live_app, needy) -> None:
    consumer = Principal(0, "needy@example.ru", "consumer", needy)
    found = {(r.kind, r.meter_code) for r in recommendations(services, consumer)}
    assert {("tariff", "N-1"), ("peak_shift", "N-2"), ("baseload", "N-3"), ("data", "N-5")} <= found
    assert not [kind for kind, code in found if code == "N-4"]  # a change of four days is an alert, never a saving
    rows = recommendations(services, consumer)
    assert [r.saving_rub_year for r in rows] == sorted((r.saving_rub_year for r in rows), reverse=True)
    tariff = next(r for r in rows if r.kind == "tariff" and r.meter_code == "N-1")
    assert tariff.params["cheapest"] == "two_zone"
    assert tariff.saving_rub_year == pytest.approx(365 * 8.0, rel=0.1)  # 16 kWh of night at 2 ₽ instead of 4 ₽
    base = next(r for r in rows if r.kind == "baseload")
    assert 1.0 < base.params["excess_kw"] < 2.5  # 2 kW left on; the estimate is net of the mean load rising

    session = login(live_app.url, "needy@example.ru")
    listed = session.get(f"{live_app.url}/api/v1/recommendations", timeout=10).json()["recommendations"]
    assert {(r["kind"], r["meter"]) for r in listed} == found


def test_no_recommendations_for_a_world_that_needs_none(services) -> None:
    org = seed(services, "calm", CALM)
    runs.start_run(services, org, reason="test")
    work(services)
    assert recommendations(services, Principal(0, "calm@example.ru", "consumer", org)) == []


def test_a_dismissed_recommendation_comes_back_only_when_its_evidence_grows(services, needy) -> None:
    owner = Principal(0, "needy@example.ru", "consumer", needy)
    tariff = next(r for r in recommendations(services, owner) if r.kind == "tariff" and r.meter_code == "N-1")
    mark(services, owner, tariff.id, "dismissed")
    refresh(services, needy)
    again = next(r for r in recommendations(services, owner) if r.id == tariff.id)
    assert again.state == "dismissed" and again.state_by == "needy@example.ru"
    with services.db.session() as s:  # the evidence grows: the saving doubled since it was dismissed
        from data.relational.models import Recommendation

        s.get(Recommendation, tariff.id).state_strength = tariff.saving_rub_year / 2
    refresh(services, needy)
    assert next(r for r in recommendations(services, owner) if r.id == tariff.id).state == "open"


def test_another_organization_sees_no_forecast_and_no_advice(services, live_app, needy) -> None:
    other = seed(services, "other", CALM[:0])
    spy = Principal(0, "other@example.ru", "consumer", other)
    assert recommendations(services, spy, needy) == []
    row = recommendations(services, Principal(0, "needy@example.ru", "consumer", needy))[0]
    with pytest.raises(LookupError):
        mark(services, spy, row.id, "dismissed")
    session = login(live_app.url, "other@example.ru")
    assert session.get(f"{live_app.url}/api/v1/meters/N-1/forecast", timeout=10).status_code == 404
    assert session.get(f"{live_app.url}/api/v1/recommendations?org={needy}", timeout=10).json() == {
        "recommendations": []
    }
    dash = DashClient(live_app.app, live_app.url, session)
    out = dash.outputs("fc-chart.figure", {"fc-meter.value": "N-1", "org-switch.value": needy})
    assert out["fc-message.children"] == "Точка учёта не найдена или недоступна" and "N-1" not in str(out)
    assert dash.call("fc-run-started.data", {"fc-meter.value": "N-1"}, "fc-recompute.n_clicks").status_code == 204


def test_the_forecast_page_reads_the_stored_forecast_and_staff_recompute_with_progress(
    services, live_app, needy
) -> None:
    from tests.helpers import make_user

    make_user(services.db, "ops@example.ru", "operator")
    dash = DashClient(live_app.app, live_app.url, login(live_app.url, "needy@example.ru"))
    out = dash.outputs("fc-chart.figure", {"fc-meter.value": None, "org-switch.value": None})
    names = [trace["name"] for trace in out["fc-chart.figure"]["data"]]
    assert names[-2:] == ["Прогноз", "Факт"] and out["fc-accuracy.children"].startswith("±")
    assert out["fc-month-kwh.children"].endswith("кВт·ч") and out["fc-url.search"] == "?step=hour"  # no empty range
    staff = DashClient(live_app.app, live_app.url, login(live_app.url, "ops@example.ru"))
    started = staff.outputs("fc-run-started.data", {"fc-meter.value": "N-2"}, "fc-recompute.n_clicks")
    assert "error" not in started["fc-run-started.data"]
    bar = staff.outputs("fc-progress.value", {"fc-meter.value": "N-2", "org-switch.value": None})
    assert bar["fc-poll.disabled"] is False and "из 2" in bar["fc-progress-text.children"]  # N-2 and the total
    work(services)
    done = staff.outputs("fc-progress.value", {"fc-meter.value": "N-2"}, "fc-poll.n_intervals")
    assert done["fc-poll.disabled"] is True and done["fc-progress-text.children"].startswith(
        "Прогноз пересчитан: 2 из 2"
    )


def test_a_change_that_lasts_days_is_an_alert_with_its_cost_so_far(services, needy) -> None:
    """N-4 has used 60 % more for four whole days: an alert that says since when and what it has cost — not a card
    promising a yearly saving from a few days."""
    from alerts import lifecycle
    from alerts.actions import alert_list
    from detection.scan import evaluate
    from i18n.alert_texts import render

    counts = evaluate(services)
    assert counts["sustained_change"] >= 1
    lifecycle.consume(services)
    owner = Principal(0, "needy@example.ru", "consumer", needy)
    found = [a.alert for a in alert_list(services, owner, kind="sustained_change") if a.alert.meter_code == "N-4"]
    assert found and found[0].params["days"] >= 3
    title, text = render("sustained_change", "firing", "N-4", found[0].params, "ru", dt.datetime.now(dt.UTC))
    assert title == "Потребление точки N-4 выросло" and " ₽" in text and "Годовую экономию Wattboard не обещает" in text
    planted = 0.6 * (16 * 6.0 + 8 * 1.0) * 4.0  # 60 % of a day's 104 kWh at 4 ₽, a day
    assert 0.8 <= found[0].params["cost"] / (planted * found[0].params["days"]) <= 1.2
    assert evaluate(services)["sustained_change"] == 0  # checked a few times a day, not on every evaluation
