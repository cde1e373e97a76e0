"""The use-case functions the pages, the CLI and the jobs share: each checks who may act, changes, audits and tells
the person (issue 12: one place for each use case)."""

from __future__ import annotations

import pytest

from auth import user_admin
from auth.access import DeviceNotFound, device_for, visible_devices
from auth.inn import complete_inn
from auth.principal import AccessDenied, Principal
from data.audit import audit_events
from data.models import Device, MeteringPoint, User
from partners import admin
from tests.helpers import make_org, make_user

JSON = {"format": "json", "format_options": {"records_path": "items"}}


def person(services, email: str) -> int:  # type: ignore[no-untyped-def]
    with services.db.session() as s:
        return s.query(User).filter_by(email=email).one().id


def test_settling_a_sign_up_by_hand_and_by_the_registry_check(services, smtp) -> None:
    make_org(services.db, "775600000", "ООО «Заявка»", [])
    make_user(services.db, "new@zayavka.ru", "consumer", complete_inn("775600000"))
    make_user(services.db, "other@zayavka.ru", "consumer", complete_inn("775600000"))
    make_user(services.db, "boss@w.ru", "admin")
    with services.db.session() as s:
        for user in s.query(User).filter(User.email.like("%@zayavka.ru")):
            user.status = "pending"
    boss = Principal(person(services, "boss@w.ru"), "boss@w.ru", "admin", None)
    operator = Principal(0, "ops@w.ru", "operator", None)

    with pytest.raises(AccessDenied):
        user_admin.settle_signup(services, operator, person(services, "new@zayavka.ru"), True, "ok")
    assert user_admin.settle_signup(services, boss, person(services, "new@zayavka.ru"), True, "договор найден") == (
        "new@zayavka.ru"
    )
    user_admin.settle_signup(
        services, user_admin.REGISTRY_CHECK, person(services, "other@zayavka.ru"), False, "ИНН не найден"
    )
    events = {e.target: (e.actor, e.action) for e in audit_events(services.db, "zayavka")}
    assert events == {
        "new@zayavka.ru": ("boss@w.ru", "signup.approved_by_hand"),
        "other@zayavka.ru": ("registry-check", "signup.rejected"),
    }
    # Each person is told, whoever decided.
    assert smtp.letters_to("new@zayavka.ru")[-1]["Subject"] == "Wattboard: учётная запись подтверждена"
    assert "ИНН не найден" in smtp.body(smtp.letters_to("other@zayavka.ru")[-1])


def test_role_and_block_changes_are_for_administrators_and_audited(services) -> None:
    make_user(services.db, "worker@w.ru", "operator")
    target = person(services, "worker@w.ru")
    boss = Principal(0, "boss@w.ru", "admin", None)
    with pytest.raises(AccessDenied):
        user_admin.set_blocked(services, Principal(0, "ops@w.ru", "operator", None), target, True, "спам")
    user_admin.change_role(services, boss, target, "admin")
    user_admin.set_blocked(services, boss, target, True, "ушёл из компании")
    assert [e.action for e in audit_events(services.db, "worker@w.ru")] == ["user.blocked", "user.role"]


def test_creating_a_partner_is_for_staff_and_always_audited(services) -> None:
    with pytest.raises(AccessDenied):
        admin.create_partner(services, Principal(0, "c@x.ru", "consumer", 1), "sneaky", "S", JSON)
    partner, key = admin.create_partner(services, Principal(0, "ops@w.ru", "operator", None), "feedco", "F", JSON)
    assert key.startswith("wbp_") and partner.slug == "feedco"
    [event] = [e for e in audit_events(services.db, "feedco") if e.action == "partner.create"]
    assert event.actor == "ops@w.ru" and event.details["format"] == "json"


def test_devices_are_seen_through_the_tenant_rules_only(services) -> None:
    mine = make_org(services.db, "775700000", "ООО «Своё»", ["OWN-1"])
    make_org(services.db, "775800000", "ООО «Чужое»", ["ALIEN-1"])
    with services.db.session() as s:
        for serial, code in (("SN-OWN", "OWN-1"), ("SN-ALIEN", "ALIEN-1")):
            point = s.query(MeteringPoint).filter_by(code=code).one()
            s.add(Device(serial=serial, model="Меркурий 234", metering_point_id=point.id))
    consumer = Principal(0, "me@own.ru", "consumer", mine)
    assert [d.serial for d in visible_devices(services.db, consumer, None)] == ["SN-OWN"]
    assert device_for(services.db, consumer, "SN-OWN").serial == "SN-OWN"
    with pytest.raises(DeviceNotFound):
        device_for(services.db, consumer, "SN-ALIEN")  # another organization's device looks like none at all
    staff = Principal(0, "ops@w.ru", "operator", None)
    assert {d.serial for d in visible_devices(services.db, staff, None)} == {"SN-OWN", "SN-ALIEN"}


@pytest.mark.parametrize("relational_url", ["postgresql"], indirect=True)
def test_connecting_slack_from_the_command_line(services) -> None:
    from tests.test_partner_cli import cli

    make_org(services.db, "775900000", "ООО «Слак»", [])
    inn = complete_inn("775900000")
    refused = cli(services, "orgs", "set-slack", inn, "https://127.0.0.1:9/hook")
    assert refused.returncode == 1 and "private" in refused.stderr  # the SSRF guard applies here too
    connected = cli(services, "orgs", "set-slack", inn, "https://127.0.0.1:9/hook", "--allow-private")
    assert connected.stdout.strip() == f"Slack connected for organization {inn}", connected.stderr
    [event] = [e for e in audit_events(services.db, "slack") if e.action == "alerts.slack_set"]
    assert event.actor.startswith("cli:")
    missing = cli(services, "orgs", "set-slack", "7700000000", "--remove")
    assert missing.returncode == 1 and "no organization with INN 7700000000" in missing.stderr
