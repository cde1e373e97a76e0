"""Email and Slack through a real Prometheus Alertmanager, a local SMTP server and a local server standing in for
Slack: the letter's Russian text and link, one Slack message, resolution, acknowledgement silencing repeats, a user
who switched email off, quiet hours (with an injected clock), and Alertmanager down for 30 s."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest

from alerts import am_config, delivery, lifecycle
from alerts.actions import acknowledge, alert_list, save_profile, set_slack
from alerts.events import firing, resolved
from auth.principal import Principal
from data.relational.alert_settings import Preference
from tests.alert_world import Alerting, AlertWorld, pump, report, seed
from tests.conftest import RELATIONAL_BACKENDS
from tests.helpers import wait_for
from tests.slack_server import SlackServer

# Alertmanager's timing makes these the slow tests: they run on the production store (PostgreSQL when configured).
pytestmark = pytest.mark.parametrize("relational_url", RELATIONAL_BACKENDS[-1:], indirect=True)


@pytest.fixture
def world(services) -> AlertWorld:
    return seed(services)


@pytest.fixture
def alerting(services, world, tmp_path) -> Iterator[Alerting]:
    services.settings = services.settings.model_copy(
        update={"alert_group_wait": "1s", "alert_group_interval": "1s", "alert_repeat_interval": "1h"}
    )
    am = Alerting(services, tmp_path, SlackServer())
    admin = Principal(0, "admin@w.ru", "admin", None)
    set_slack(services, admin, world.org_a, am.slack.url, allow_private=True)
    am.start()
    yield am
    am.stop()
    am.slack.stop()


def owner(world: AlertWorld) -> Principal:
    return Principal(world.owner, "owner@a.ru", "consumer", world.org_a, is_owner=True)


def subscribe_member_to_slack(services, world: AlertWorld) -> None:
    member = Principal(world.member, "member@a.ru", "consumer", world.org_a)
    matrix = [Preference(k, True, False, True, "warning") for k in ("device_offline", "device_error")]
    save_profile(services, member, matrix, "Asia/Yekaterinburg", None, None)


def test_offline_goes_out_by_email_and_slack_and_so_does_its_end(
    services, running_consumer, world, alerting, smtp
) -> None:
    subscribe_member_to_slack(services, world)
    am_config.sync(services)
    report(services, "SN-A1", online=False)

    def sent() -> bool:
        pump(services)
        return bool(smtp.letters_to("owner@a.ru")) and len(alerting.slack.received) >= 1

    wait_for(sent, timeout=60)
    letter = smtp.letters_to("owner@a.ru")[0]
    assert letter["Subject"] == "Прибор SN-A1 не на связи"
    body = smtp.body(letter)
    assert "не выходит на связь" in body and "(Екатеринбург, UTC+5)" in body
    assert "http://wattboard.test/devices/SN-A1" in body
    assert smtp.letters_to("member@a.ru") == []  # bell and Slack only
    assert smtp.letters_to("owner@b.ru") == []
    assert len(alerting.slack.received) == 1 and "Прибор SN-A1 не на связи" in alerting.slack.texts()[0]

    report(services, "SN-A1", online=True)

    def resolved_sent() -> bool:
        pump(services)
        return len(smtp.letters_to("owner@a.ru")) >= 2 and len(alerting.slack.received) >= 2

    wait_for(resolved_sent, timeout=60)
    assert smtp.letters_to("owner@a.ru")[1]["Subject"] == "Прибор SN-A1 снова на связи"
    assert "снова на связи" in alerting.slack.texts()[1]
    pump(services)
    alerting.settled()
    assert len(smtp.letters_to("owner@a.ru")) == 2 and len(alerting.slack.received) == 2  # once each


def test_an_acknowledged_alert_is_not_repeated(services, world, alerting, smtp) -> None:
    services.settings = services.settings.model_copy(update={"alert_repeat_interval": "3s"})
    am_config.sync(services)
    lifecycle.apply(services, firing("device_error", "SN-A1", "SN-A1", organization_id=world.org_a, meter="A-1"))
    lifecycle.apply(services, firing("device_error", "SN-B1", "SN-B1", organization_id=world.org_b, meter="B-1"))

    def repeated(address: str, n: int):
        def check() -> bool:
            pump(services)
            return len(smtp.letters_to(address)) >= n

        return check

    wait_for(repeated("owner@b.ru", 2), timeout=60)  # not acknowledged: sent again after the repeat interval
    wait_for(repeated("owner@a.ru", 1), timeout=60)
    acknowledge(services, owner(world), alert_list(services, owner(world))[0].alert.id)
    pump(services)  # the silence is created
    assert alert_list(services, owner(world))[0].alert.silence_state == "active"
    before, other = len(smtp.letters_to("owner@a.ru")), len(smtp.letters_to("owner@b.ru"))
    wait_for(repeated("owner@b.ru", other + 2), timeout=60)  # two repeat intervals: the other one still repeats
    assert len(smtp.letters_to("owner@a.ru")) == before  # silenced while acknowledged


def test_a_user_who_switched_email_off_gets_none(services, world, alerting, smtp) -> None:
    save_profile(
        services,
        owner(world),
        [Preference("device_offline", True, False, False, "warning")],
        "Europe/Moscow",
        None,
        None,
    )
    am_config.sync(services)
    lifecycle.apply(services, firing("device_offline", "SN-A1", "SN-A1", organization_id=world.org_a, meter="A-1"))
    pump(services)
    assert delivery.deliver(services).get("posted") is None and alerting.holds() == []  # nothing to send, ever
    assert smtp.letters_to("owner@a.ru") == [] and alerting.slack.received == []
    assert latest_title(services, world) == "Прибор SN-A1 не на связи"  # the bell still rang


def latest_title(services, world: AlertWorld) -> str:
    from alerts.actions import latest

    return latest(services, owner(world))[0].title


def test_quiet_hours_hold_a_warning_until_morning_but_not_a_critical_alert(services, world, alerting, smtp) -> None:
    save_profile(
        services,
        owner(world),
        [Preference(k, True, True, False, "warning") for k in ("device_error", "device_offline")],
        "Europe/Moscow",
        22,
        7,
    )
    am_config.sync(services)
    night = dt.datetime(2026, 11, 24, 20, 30, tzinfo=dt.UTC)  # 23:30 in Moscow
    error = firing("device_error", "SN-A1", "SN-A1", organization_id=world.org_a, params={"code": "E7"})
    lifecycle.apply(services, error, now=night)
    assert delivery.deliver(services, night + dt.timedelta(minutes=5)) == {}  # nothing due yet
    lifecycle.apply(services, firing("device_offline", "SN-A1", "SN-A1", organization_id=world.org_a), now=night)
    assert delivery.deliver(services, night + dt.timedelta(minutes=6)) == {"posted": 1}  # critical: at once
    wait_for(lambda: [m["Subject"] for m in smtp.letters_to("owner@a.ru")] == ["Прибор SN-A1 не на связи"], timeout=30)
    morning = dt.datetime(2026, 11, 25, 4, 0, 30, tzinfo=dt.UTC)  # 07:00 in Moscow
    assert delivery.deliver(services, morning)["posted"] == 1
    wait_for(lambda: len(smtp.letters_to("owner@a.ru")) == 2, timeout=30)
    assert smtp.letters_to("owner@a.ru")[1]["Subject"] == "Прибор SN-A1: ошибка E7"


def test_alertmanager_down_for_30_seconds_delays_but_sends_once(services, world, alerting, smtp) -> None:
    alerting.stop()
    lifecycle.apply(services, firing("device_offline", "SN-A1", "SN-A1", organization_id=world.org_a, meter="A-1"))
    started = time.monotonic()
    while time.monotonic() - started < 30:
        assert delivery.deliver(services).get("posted") is None  # Alertmanager is down: the outbox keeps it
        time.sleep(3)
    alerting.start()
    wait_for(
        lambda: bool(delivery.deliver(services, dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)).get("posted")),
        timeout=30,
    )
    wait_for(lambda: len(smtp.letters_to("owner@a.ru")) == 1, timeout=30)
    pump(services)
    alerting.settled()
    assert len(smtp.letters_to("owner@a.ru")) == 1  # once
    lifecycle.apply(services, resolved("device_offline", "SN-A1", "SN-A1", organization_id=world.org_a))
    pump(services)
    wait_for(lambda: len(smtp.letters_to("owner@a.ru")) == 2, timeout=30)


def test_prometheus_alerts_about_wattboard_ring_the_staffs_bell_and_mail_the_admins(
    services, world, alerting, smtp, live_app
) -> None:
    import requests

    from alerts import system
    from alerts.actions import latest
    from alerts.alertmanager import Alertmanager

    services.settings = services.settings.model_copy(update={"alert_webhook_url": live_app.url + system.WEBHOOK_PATH})
    am_config.sync(services)
    with services.db.session() as s:
        from data.relational.models import User

        admin_id = s.query(User).filter_by(email="admin@w.ru").one().id
    admin = Principal(admin_id, "admin@w.ru", "admin", None)
    now = dt.datetime.now(dt.UTC)
    rule = {
        "labels": {"alertname": "WattboardConsumerLag", "severity": "warning", "job": "consume"},
        "annotations": {"summary": "Потребитель отстаёт", "description": "Отставание чтения больше 100 000 сообщений"},
        "startsAt": now.isoformat(),
    }
    Alertmanager(services.alertmanager_url).post_alerts(
        [{**rule, "endsAt": (now + dt.timedelta(minutes=10)).isoformat()}]
    )

    def rang() -> list:
        pump(services)
        return [n for n in latest(services, admin) if n.kind == "system"]

    bell = wait_for(rang, timeout=60)
    assert bell[0].title == "Wattboard: Потребитель отстаёт" and bell[0].severity == "warning"
    wait_for(lambda: smtp.letters_to("admin@w.ru"), timeout=30)
    assert smtp.letters_to("admin@w.ru")[0]["Subject"] == "[Wattboard] firing: WattboardConsumerLag"
    assert not [n for n in latest(services, owner(world)) if n.kind == "system"]  # not for an organization's users

    Alertmanager(services.alertmanager_url).post_alerts([{**rule, "endsAt": dt.datetime.now(dt.UTC).isoformat()}])

    def resolved_in_wattboard() -> bool:
        pump(services)
        return [a.alert.state for a in alert_list(services, admin) if a.alert.kind == "system"] == ["resolved"]

    wait_for(resolved_in_wattboard, timeout=60)
    url = live_app.url + system.WEBHOOK_PATH
    assert (
        requests.post(url, json={"alerts": []}, headers={"Authorization": "Bearer forged"}, timeout=5).status_code
        == 401
    )
    token = {"Authorization": f"Bearer {system.webhook_token(services.settings)}"}
    assert requests.post(url, json={"nothing": 1}, headers=token, timeout=5).status_code == 400
