"""The alert lifecycle on real components: a device report through Kafka and the ingestion consumer, the alerts topic
read by an RQ job, one open alert per key, replays that change nothing, the bell and its API, tenant rules."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from alerts import lifecycle
from alerts.actions import acknowledge, alert_list, latest, mark_read, unread
from alerts.events import firing, resolved
from auth.principal import Principal
from tests.alert_world import pump, report, seed
from tests.helpers import login, wait_for


@pytest.fixture
def world(services):
    return seed(services)


def owner(world) -> Principal:
    return Principal(world.owner, "owner@a.ru", "consumer", world.org_a, is_owner=True)


def test_a_device_going_offline_rings_the_bell_and_coming_back_resolves_it(
    services, running_consumer, world, live_app
) -> None:
    report(services, "SN-A1", online=False)

    def rang() -> bool:
        pump(services)
        return unread(services, owner(world)) >= 1

    wait_for(rang, timeout=60)
    first = latest(services, owner(world))[0]
    assert first.title == "Прибор SN-A1 не на связи" and first.state == "firing" and first.severity == "critical"
    assert "(Екатеринбург, UTC+5)" in first.body and first.link == "/devices/SN-A1"
    member = Principal(world.member, "member@a.ru", "consumer", world.org_a)
    assert unread(services, member) == 1  # everyone of the organization hears of a critical alert
    stranger = Principal(world.owner_b, "owner@b.ru", "consumer", world.org_b)
    assert unread(services, stranger) == 0 and alert_list(services, stranger) == []

    report(services, "SN-A1", online=True)

    def cleared() -> bool:
        pump(services)
        return unread(services, owner(world)) >= 2

    wait_for(cleared, timeout=60)
    assert latest(services, owner(world))[0].title == "Прибор SN-A1 снова на связи"
    assert [v.alert.state for v in alert_list(services, owner(world))] == ["resolved"]

    session = login(live_app.url, "owner@a.ru")
    body = session.get(f"{live_app.url}/api/v1/notifications", timeout=10).json()
    assert body["unread"] == 2 and [n["state"] for n in body["notifications"]] == ["resolved", "firing"]
    assert set(body["notifications"][0]) >= {"kind", "severity", "state", "title", "created_at", "read"}
    other = login(live_app.url, "owner@b.ru").get(f"{live_app.url}/api/v1/notifications", timeout=10).json()
    assert other == {"unread": 0, "notifications": []}
    assert requests.get(f"{live_app.url}/api/v1/notifications", timeout=10).status_code == 401


def test_one_open_alert_per_key_and_a_replay_changes_nothing(services, world) -> None:
    event = firing("device_error", "SN-A1", "SN-A1", organization_id=world.org_a, meter="A-1", params={"code": "E7"})
    assert lifecycle.apply(services, event) == "opened"
    assert lifecycle.apply(services, event) == "replay"  # the same event again: nothing happens
    again = firing("device_error", "SN-A1", "SN-A1", organization_id=world.org_a, params={"code": "E7"})
    assert lifecycle.apply(services, again) == "refreshed"  # still firing: no second message
    assert unread(services, owner(world)) == 1
    alert_id = alert_list(services, owner(world))[0].alert.id
    acknowledge(services, owner(world), alert_id)
    view = alert_list(services, owner(world))[0]
    assert view.alert.acknowledged_by == "owner@a.ru" and view.alert.silence_state == "wanted" and view.read
    done = resolved("device_error", "SN-A1", "SN-A1", organization_id=world.org_a)
    assert lifecycle.apply(services, done) == "resolved"
    assert lifecycle.apply(services, done) == "replay"
    assert lifecycle.apply(services, firing("device_error", "SN-A1", "SN-A1", organization_id=world.org_a)) == "opened"
    view = alert_list(services, owner(world))[0]
    assert view.alert.episode == 2 and view.alert.acknowledged_by is None  # a new firing needs a new acknowledgement
    assert mark_read(services, owner(world)) >= 1 and unread(services, owner(world)) == 0


def test_another_organization_cannot_acknowledge_or_see_an_alert(services, world) -> None:
    lifecycle.apply(services, firing("device_offline", "SN-A1", "SN-A1", organization_id=world.org_a, meter="A-1"))
    alert_id = alert_list(services, owner(world))[0].alert.id
    spy = Principal(world.owner_b, "owner@b.ru", "consumer", world.org_b, is_owner=True)
    with pytest.raises(LookupError):
        acknowledge(services, spy, alert_id)
    assert alert_list(services, spy) == [] and latest(services, spy) == []
    staff = Principal(0, "admin@w.ru", "admin", None)
    assert [v.alert.key for v in alert_list(services, staff, world.org_a)] == ["device_offline:SN-A1"]
    assert alert_list(services, staff, world.org_b) == []


def test_a_low_battery_and_an_error_code_alert_and_the_threshold_is_the_organizations(
    services, running_consumer, world
) -> None:
    from alerts.actions import save_rule

    save_rule(services, owner(world), world.org_a, "battery_low", True, 30.0)
    report(services, "SN-A1", battery=25.0, error="E42")

    def both() -> bool:
        pump(services)
        return {v.alert.kind for v in alert_list(services, owner(world))} == {"battery_low", "device_error"}

    wait_for(both, timeout=60)
    titles = {n.title for n in latest(services, owner(world))}
    assert {"Прибор SN-A1: батарея 25 %", "Прибор SN-A1: ошибка E42"} <= titles


def test_the_schedule_raises_no_readings_and_one_shot_alerts_end_after_a_day(services, world) -> None:
    from sqlalchemy import update

    from data.relational.models import MeteringPoint
    from detection.scan import evaluate

    now = dt.datetime.now(dt.UTC)
    assert evaluate(services, now)["no_readings"] == 0  # new points: too early to call them silent
    with services.db.session() as s:
        s.execute(update(MeteringPoint).values(created_at=now - dt.timedelta(days=1)))
    counts = evaluate(services, now)  # A-1 and B-1 never sent anything in a day
    assert counts["no_readings"] == 2
    pump(services)
    silent = [n for n in latest(services, owner(world)) if n.kind == "no_readings"]
    assert silent and silent[0].body.startswith("С точки A-1 («Цех A-1») не пришло ни одного показания за 6 ч")
    assert evaluate(services, now)["no_readings"] == 0  # already firing: nothing new
    lifecycle.apply(services, firing("register_reset", "A-1", "A-1", organization_id=world.org_a, meter="A-1"))
    assert evaluate(services, now + dt.timedelta(days=2))["one_shot"] == 1


def test_a_slack_address_is_checked_when_saved_and_again_at_every_delivery(services, world) -> None:
    """Issue 16: the shared address space (100.64.0.0/10) passed for a Slack webhook, and once saved Alertmanager
    resolved the address on its own. Now only public addresses are taken, and a webhook whose name has come to
    resolve inwards since it was saved is not handed to Alertmanager."""
    from alerts import delivery
    from alerts.actions import save_profile, set_slack
    from data.relational import alert_settings, alerts
    from data.relational.alert_settings import Preference
    from security import secrets

    admin = Principal(0, "admin@w.ru", "admin", None)
    with pytest.raises(ValueError, match="100.64.0.1, which is not a public address"):
        set_slack(services, admin, world.org_a, "https://100.64.0.1/services/T/B/x")
    set_slack(services, admin, world.org_a, "https://8.8.8.8/services/T/B/x")  # a public address: taken
    # Later its name resolves inwards (as a DNS answer that changed after the save would): stored as Wattboard keeps it.
    inwards = secrets.encrypt(services.settings, "https://127.0.0.1:1/services/T/B/x")
    alert_settings.set_slack(services.db, world.org_a, inwards, False)
    member = Principal(world.member, "member@a.ru", "consumer", world.org_a)
    matrix = [Preference("device_error", True, False, True, "warning")]
    save_profile(services, member, matrix, "Europe/Moscow", None, None)
    lifecycle.apply(services, firing("device_error", "SN-A1", "SN-A1", organization_id=world.org_a, meter="A-1"))
    services.alertmanager_url = "http://127.0.0.1:9"  # nothing listens: e-mail rows wait, as in an outage
    counts = delivery.deliver(services)
    assert counts["blocked"] == 1
    now = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)
    assert not [row for row in alerts.due(services.db, now) if row.recipient.startswith("slack-org-")]  # an hour later


def test_a_user_who_never_chose_a_zone_reads_times_and_keeps_quiet_hours_in_the_points_zone(
    services, world, live_app
) -> None:
    """The factory's user, signed up with Moscow never chosen, reads Yekaterinburg time on the card as in its text,
    with the zone named once; their quiet hours (set without touching the zone) are reckoned there too."""
    from alerts.actions import profile, reading_zone, save_profile
    from data.relational import alert_settings, alerts
    from tests.dash_client import DashClient
    from web import create_app

    me = owner(world)
    assert reading_zone(services, me) == "Asia/Yekaterinburg"  # the points' zone, not Moscow
    mine = profile(services, me)
    assert mine.timezone == "Asia/Yekaterinburg"
    save_profile(services, me, mine.matrix, mine.timezone, 22, 7)
    ten_pm_there = dt.datetime(2026, 12, 2, 17, 30, tzinfo=dt.UTC)  # 22:30 in Yekaterinburg, 20:30 in Moscow
    lifecycle.apply(
        services,
        firing("device_error", "SN-A1", "SN-A1", organization_id=world.org_a, meter="A-1"),
        now=ten_pm_there,
    )
    assert not alerts.due(services.db, ten_pm_there + dt.timedelta(hours=1))  # the letter waits for 07:00 there
    assert alerts.due(services.db, ten_pm_there + dt.timedelta(hours=9))
    assert alert_settings.person(services.db, world.member).timezone == "Asia/Yekaterinburg"

    params = {"meter": "A-1", "meter_name": "Цех A-1", "tz": "Asia/Yekaterinburg"}
    lifecycle.apply(
        services,
        firing("device_offline", "SN-A1", "SN-A1", organization_id=world.org_a, meter="A-1", params=params),
    )
    session = login(live_app.url, "owner@a.ru")
    client = DashClient(create_app(services.settings, services), live_app.url, session)
    values = {"notif-state.value": "", "notif-period.value": "week"}
    cards = str(client.outputs("notif-list.children", values))
    assert "с " in cards and "(Екатеринбург, UTC+5)" in cards
    assert "Москва" not in cards
