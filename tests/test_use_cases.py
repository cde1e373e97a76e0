"""The use-case functions the pages, the CLI and the jobs share: each checks who may act, changes, audits and tells
the person (issue 12: one place for each use case)."""

from __future__ import annotations

import pytest

from auth import user_admin
from auth.access import DeviceNotFound, device_for, visible_devices
from auth.inn import complete_inn
from auth.principal import AccessDenied, Principal
from data.relational.audit import audit_events
from data.relational.models import Device, MeteringPoint, User
from partners import admin
from tests.helpers import make_org, make_user

JSON = {"format": "json", "format_options": {"records_path": "items"}}


def person(services, email: str) -> int:
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


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_password_login_counts_failures_locks_and_audits_every_outcome(services) -> None:
    from auth.login import password_login
    from tests.helpers import PASSWORD

    make_org(services.db, "772000000", "ООО «Вход»", [])
    make_user(services.db, "anna@vhod.ru", "consumer", complete_inn("772000000"))
    make_user(services.db, "wait@vhod.ru", "consumer", complete_inn("772000000"))
    with services.db.session() as s:
        s.query(User).filter_by(email="wait@vhod.ru").one().status = "pending"
    assert password_login(services, " Anna@Vhod.ru ", PASSWORD, "10.0.0.1").outcome == "ok"
    assert password_login(services, "wait@vhod.ru", PASSWORD, "10.0.0.1").outcome == "pending"
    outcomes = [password_login(services, "anna@vhod.ru", "wrong", "10.0.0.2").outcome for _ in range(5)]
    assert outcomes == ["failed"] * 4 + ["locked"]
    locked = password_login(services, "anna@vhod.ru", PASSWORD, "10.0.0.2")  # even the right password
    assert (locked.outcome, locked.minutes) == ("locked", services.settings.lockout_minutes)
    actions = [e.action for e in audit_events(services.db, "anna@vhod.ru")]
    assert actions.count("login") == 1 and actions.count("login.failed") == 5 and "login.locked_out" in actions


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_a_reset_link_and_an_invitation_work_once(services, smtp) -> None:
    import re

    from auth import invites, password_reset
    from auth.passwords import verify_password

    org_id = make_org(services.db, "772100000", "ООО «Ссылка»", [])
    make_user(services.db, "owner@ssylka.ru", "consumer", complete_inn("772100000"))
    password_reset.request_reset(services, "nobody@ssylka.ru", "10.0.0.3")  # unknown: nothing sent, no error
    assert smtp.letters_to("nobody@ssylka.ru") == []
    password_reset.request_reset(services, "owner@ssylka.ru", "10.0.0.3")
    token = re.search(r"/password/reset/(\S+)", smtp.body(smtp.letters_to("owner@ssylka.ru")[-1])).group(1)
    assert password_reset.reset_grant(services, token) is not None
    assert password_reset.reset_password(services, token, "new-password-1", "10.0.0.3") == "owner@ssylka.ru"
    assert password_reset.reset_password(services, token, "new-password-2", "10.0.0.3") is None  # used
    with services.db.session() as s:
        assert verify_password(s.query(User).filter_by(email="owner@ssylka.ru").one().password_hash, "new-password-1")

    with services.db.session() as s:
        owner = s.query(User).filter_by(email="owner@ssylka.ru").one()
        owner.is_owner = True
        principal = Principal(owner.id, owner.email, "consumer", org_id, is_owner=True)
    invites.invite(services, principal, "new@ssylka.ru", org_id)
    token = re.search(r"/invite/(\S+)", smtp.body(smtp.letters_to("new@ssylka.ru")[-1])).group(1)
    member = invites.accept_invitation(services, token, "  Новый Сотрудник ", "member-password", "10.0.0.4")
    assert (member.role, member.organization_id, member.full_name) == ("consumer", org_id, "Новый Сотрудник")
    assert invites.accept_invitation(services, token, "Ещё раз", "member-password", "10.0.0.4") is None
    name, members = invites.own_organization(services, principal)
    assert name == "ООО «Ссылка»" and {m.email for m in members} == {"owner@ssylka.ru", "new@ssylka.ru"}


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_a_sign_up_while_a_registry_is_down_waits_and_queues_its_check(services, registries, smtp) -> None:
    import re

    from auth.signup import SignupForm, SignupRefused, confirm_signup, sign_up, signup_state
    from demo.registries import SIGNUP_CONTRACT, SIGNUP_INN

    number, supplier, signed = SIGNUP_CONTRACT
    form = SignupForm("baker@pekarnya.ru", "long-password-1", "Пётр", SIGNUP_INN, number, supplier, signed)
    registries[0].fail = "down"
    tried: list[int] = []

    def queue_down(_svc, user_id: int) -> None:
        tried.append(user_id)
        raise ConnectionError("Redis is down")

    sign_up(services, form, "10.0.0.5")
    link = smtp.body(smtp.letters_to("baker@pekarnya.ru")[-1])
    token = re.search(r"/signup/confirm/(\S+)", link).group(1)
    user, outcome = confirm_signup(services, token, "10.0.0.5", queue_down)
    # The check could not be queued, yet the sign-up is kept, waiting: administrators see it and decide.
    assert outcome == "pending" and tried == [user.id] and user.status == "pending"
    assert signup_state(services, user.id).status == "pending"
    assert confirm_signup(services, token, "10.0.0.5", queue_down) == (None, "expired")  # a link works once
    second = SignupForm("other@pekarnya.ru", "long-password-1", "Иван", SIGNUP_INN, number, supplier, signed)
    with pytest.raises(SignupRefused) as refused:  # the INN already has its account: routed to an invitation
        sign_up(services, second, "10.0.0.5")
    assert "пригласить" in refused.value.problems["inn"]
    actions = [e.action for e in audit_events(services.db, "pekarnya")]
    assert sorted(actions) == ["signup.confirmation_sent", "signup.pending", "signup.refused"]


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_staff_listings_refuse_consumers(services) -> None:
    from auth.access import switchable_organizations

    org_id = make_org(services.db, "772200000", "ООО «Список»", [])
    consumer = Principal(1, "c@spisok.ru", "consumer", org_id)
    staff = Principal(0, "ops@w.ru", "operator", None)
    for use_case in (
        lambda p: user_admin.find_people(services, p, "", None, None),
        lambda p: user_admin.organizations(services, p, ""),
        lambda p: user_admin.audit_log(services, p, ""),
        lambda p: admin.partners_for(services, p),
    ):
        with pytest.raises(AccessDenied):
            use_case(consumer)
        use_case(staff)
    assert switchable_organizations(services.db, consumer) == []
    assert (org_id, "ООО «Список»") in switchable_organizations(services.db, staff)
