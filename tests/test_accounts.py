"""Login throttling and lockout, password reset by emailed token, logout everywhere, invitations, roles."""

from __future__ import annotations

import json
import re

import requests

from data.messaging.broker import make_reader
from tests.dash_client import DashClient
from tests.helpers import PASSWORD, login, login_form_token, make_org, make_user, post_form, wait_for
from tests.smtp_server import SmtpServer

NEW_PASSWORD = "a brand new passphrase"


def try_login(base: str, email: str, password: str, session: requests.Session | None = None) -> requests.Response:
    session = session or requests.Session()
    token = login_form_token(session, base)
    return session.post(
        f"{base}/login",
        data={"email": email, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )


def link_in(smtp: SmtpServer, to: str, path: str) -> str:
    body = smtp.body(smtp.letters_to(to)[-1])
    return re.search(rf"http://wattboard\.test({path}/\S+)", body).group(1)


def test_repeated_failures_lock_the_account_for_a_while(services, live_app) -> None:
    make_user(services.db, "a@x.ru", "admin")
    for _ in range(4):
        assert try_login(live_app.url, "a@x.ru", "wrong").status_code == 401
    fifth = try_login(live_app.url, "a@x.ru", "wrong")
    assert fifth.status_code == 429 and "Вход временно закрыт, попробуйте через 15 мин." in fifth.text
    locked = try_login(live_app.url, "a@x.ru", PASSWORD)  # even the right password waits out the lockout
    assert locked.status_code == 429
    assert try_login(live_app.url, "other@x.ru", "wrong").status_code == 401  # other accounts are not affected
    for key in services.redis.scan_iter("wb:login:lock:*"):  # the lockout expires…
        services.redis.delete(key)
    assert try_login(live_app.url, "a@x.ru", PASSWORD).status_code == 302


def test_with_redis_unreachable_failures_still_lock_the_account(services) -> None:
    """Fail closed enough: an attacker who makes Redis unreachable does not get unlimited password guesses."""
    from redis import Redis

    from auth import throttle
    from runtime.embedded import free_port
    from tests.conftest import LiveServer
    from web import create_app

    make_user(services.db, "a@x.ru", "admin")
    services.__dict__["redis"] = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=1)
    throttle.FALLBACK.delete(throttle._key("lock", "a@x.ru"))
    server = LiveServer(create_app(services.settings, services))
    try:
        codes = [try_login(server.url, "a@x.ru", "wrong").status_code for _ in range(5)]
        assert codes == [401, 401, 401, 401, 429]
        assert try_login(server.url, "a@x.ru", PASSWORD).status_code == 429  # locked, counted in the process
    finally:
        server.stop()
        for key in ("lock", "fail"):
            throttle.FALLBACK.delete(throttle._key(key, "a@x.ru"))


def test_password_reset_by_emailed_single_use_link_ends_every_session(services, live_app, smtp) -> None:
    make_user(services.db, "a@x.ru", "admin")
    old_session = login(live_app.url, "a@x.ru")
    unknown = post_form(requests.Session(), f"{live_app.url}/password/forgot", email="nobody@x.ru")
    known = post_form(requests.Session(), f"{live_app.url}/password/forgot", email="a@x.ru")
    assert unknown.text.count("письмо со ссылкой") == known.text.count("письмо со ссылкой") == 1  # no enumeration
    assert smtp.letters_to("nobody@x.ru") == [] and len(smtp.letters_to("a@x.ru")) == 1
    link = link_in(smtp, "a@x.ru", "/password/reset")
    short = post_form(requests.Session(), live_app.url + link, password="short", password2="short")
    assert short.status_code == 400 and "не короче 10 символов" in short.text
    done = post_form(requests.Session(), live_app.url + link, password=NEW_PASSWORD, password2=NEW_PASSWORD)
    assert done.status_code == 302 and done.headers["Location"] == "/login?notice=password.changed"
    again = requests.get(live_app.url + link, timeout=10)
    assert again.status_code == 410 and "уже использована" in again.text
    assert old_session.get(f"{live_app.url}/api/v1/meters", timeout=10).status_code == 401
    assert try_login(live_app.url, "a@x.ru", PASSWORD).status_code == 401
    assert try_login(live_app.url, "a@x.ru", NEW_PASSWORD).status_code == 302


def test_logout_ends_the_session_on_the_server_so_a_copied_cookie_is_dead(services, live_app) -> None:
    make_user(services.db, "a@x.ru", "admin")
    browser, phone = login(live_app.url, "a@x.ru"), login(live_app.url, "a@x.ru")
    stolen = requests.Session()
    stolen.cookies.update(browser.cookies)
    assert stolen.get(f"{live_app.url}/api/v1/meters", timeout=10).status_code == 200
    post_form(browser, f"{live_app.url}/logout")
    assert stolen.get(f"{live_app.url}/api/v1/meters", timeout=10).status_code == 401
    assert phone.get(f"{live_app.url}/api/v1/meters", timeout=10).status_code == 200  # only that session ended


def test_logout_everywhere_ends_the_other_sessions_too(services, live_app) -> None:
    make_user(services.db, "a@x.ru", "admin")
    phone, laptop = login(live_app.url, "a@x.ru"), login(live_app.url, "a@x.ru")
    no_csrf = laptop.post(f"{live_app.url}/logout/everywhere", allow_redirects=False, timeout=10)
    assert no_csrf.status_code == 400 and phone.get(f"{live_app.url}/api/v1/meters", timeout=10).status_code == 200
    out = post_form(laptop, f"{live_app.url}/logout/everywhere")
    assert out.headers["Location"] == "/login?notice=logout.everywhere_done"
    assert phone.get(f"{live_app.url}/api/v1/meters", timeout=10).status_code == 401
    assert laptop.get(f"{live_app.url}/api/v1/meters", timeout=10).status_code == 401


def test_an_account_changed_in_another_process_is_seen_at_the_next_request(services, live_app) -> None:
    """A web worker trusts a session it checked a moment ago only while no account changed anywhere: a block by
    another process (the command line, a job) or by a bulk statement ends the session at the very next request."""
    from sqlalchemy import select, update

    from data.relational import people
    from data.relational.models import User
    from data.services import Services

    make_user(services.db, "a@x.ru", "admin")
    make_user(services.db, "b@x.ru", "admin")
    a, b = login(live_app.url, "a@x.ru"), login(live_app.url, "b@x.ru")
    meters = f"{live_app.url}/api/v1/meters"
    for _ in range(2):  # checked once, then trusted
        assert a.get(meters, timeout=10).status_code == 200 and b.get(meters, timeout=10).status_code == 200
    elsewhere = Services(services.settings, services.kafka_bootstrap, services.redis_url)  # its own connections
    with elsewhere.db.session() as s:
        a_id = s.scalar(select(User.id).where(User.email == "a@x.ru"))
    assert a_id is not None
    people.change_user(elsewhere.db, a_id, status="blocked", reason="test")
    assert a.get(meters, timeout=10).status_code == 401
    assert b.get(meters, timeout=10).status_code == 200
    with elsewhere.db.session() as s:  # no session epoch moved: only the status says it
        s.execute(update(User).where(User.email == "b@x.ru").values(status="blocked"))
    assert b.get(meters, timeout=10).status_code == 401
    elsewhere.db.dispose()


def test_with_redis_not_answering_sessions_are_checked_by_the_database_and_a_sign_out_still_ends_them(
    services,
) -> None:
    """The trust in an earlier check needs the accounts' version from Redis: without it every request asks the
    database (and does not wait on Redis again for a few seconds)."""
    from data.services import Services
    from tests.conftest import LiveServer
    from web import create_app

    dead = Services(services.settings, services.kafka_bootstrap, "redis://127.0.0.1:1/0")  # nothing listens there
    dead.__dict__.update(db=services.db, store=services.store)
    server = LiveServer(create_app(services.settings, dead))
    try:
        make_user(services.db, "a@x.ru", "admin")
        browser = login(server.url, "a@x.ru")
        stolen = requests.Session()
        stolen.cookies.update(browser.cookies)
        for _ in range(3):
            assert stolen.get(f"{server.url}/api/v1/meters", timeout=10).status_code == 200
        post_form(browser, f"{server.url}/logout")
        assert stolen.get(f"{server.url}/api/v1/meters", timeout=10).status_code == 401
    finally:
        server.stop()


def test_an_owner_invites_a_colleague_who_then_sees_the_organization(services, live_app, smtp) -> None:
    make_org(services.db, "773300000", "ООО «Склад»", ["W-1"])
    from sqlalchemy import select

    from auth.inn import complete_inn
    from data.relational.models import User

    make_user(services.db, "owner@sklad.ru", "consumer", complete_inn("773300000"))
    make_user(services.db, "clerk@sklad.ru", "consumer", complete_inn("773300000"))
    with services.db.session() as s:
        s.scalar(select(User).where(User.email == "owner@sklad.ru")).is_owner = True
    clerk = DashClient(live_app.app, live_app.url, login(live_app.url, "clerk@sklad.ru"))
    refused = clerk.outputs("org-invite-result.children", {"org-invite-email.value": "new@sklad.ru"})
    assert "Приглашать может владелец" in str(refused) and smtp.letters_to("new@sklad.ru") == []
    owner = DashClient(live_app.app, live_app.url, login(live_app.url, "owner@sklad.ru"))
    sent = owner.outputs("org-invite-result.children", {"org-invite-email.value": "New@Sklad.ru"})
    assert "Приглашение отправлено на new@sklad.ru" in str(sent)
    link = link_in(smtp, "new@sklad.ru", "/invite")
    newcomer = requests.Session()
    joined = post_form(
        newcomer, live_app.url + link, full_name="Новый Сотрудник", password=NEW_PASSWORD, password2=NEW_PASSWORD
    )
    assert joined.status_code == 302 and joined.headers["Location"] == "/"
    meters = newcomer.get(f"{live_app.url}/api/v1/meters", timeout=10).json()["meters"]
    assert [m["code"] for m in meters] == ["W-1"]
    assert requests.get(live_app.url + link, timeout=10).status_code == 410
    members = owner.outputs("org-members.children", {})
    assert "new@sklad.ru" in str(members["org-members.children"]) and members["org-name.children"] == "ООО «Склад»"
    assert "<new@sklad.ru>" not in str(members["org-members.children"])  # a name and an address, not "<email>"
    assert "Новый Сотрудник" in str(members["org-members.children"]) and members["org-invite-card.style"] == {}
    # An address that has an account is answered like any other; what to do is told to that address only.
    again = owner.outputs("org-invite-result.children", {"org-invite-email.value": "clerk@sklad.ru"})
    assert "Приглашение отправлено на clerk@sklad.ru" in str(again)
    assert smtp.letters_to("clerk@sklad.ru")[-1]["Subject"] == "Wattboard: приглашение в ООО «Склад»"
    assert "уже есть учётная запись" in smtp.body(smtp.letters_to("clerk@sklad.ru")[-1])
    answers = [  # throttled per invited address
        str(owner.outputs("org-invite-result.children", {"org-invite-email.value": "many@sklad.ru"}))
        for _ in range(4)
    ]
    assert ["отправлено" in a for a in answers] == [True, True, True, False] and "слишком много" in answers[-1]


def test_roles_admins_change_roles_and_block_operators_cannot(services, live_app) -> None:
    make_org(services.db, "773400000", "ООО «Роли»", ["R-1"])
    from auth.inn import complete_inn
    from data.relational import people

    make_user(services.db, "root@w.ru", "admin")
    make_user(services.db, "ops@w.ru", "operator")
    make_user(services.db, "c@roli.ru", "consumer", complete_inn("773400000"))
    target = people.list_users(services.db, "c@roli.ru")[0].id
    consumer_session = login(live_app.url, "c@roli.ru")
    values = {"adm-pick.value": target, "adm-new-role.value": "operator", "adm-reason.value": "нарушение"}
    ops = DashClient(live_app.app, live_app.url, login(live_app.url, "ops@w.ru"))
    assert (
        ops.call("adm-result.children", {**values, "adm-set-role.n_clicks": 1}, "adm-set-role.n_clicks").status_code
        == 204
    )
    assert "c@roli.ru" in str(
        ops.outputs("adm-users.children", {"adm-user-search.value": "roli"})
    )  # operators may look
    admin = DashClient(live_app.app, live_app.url, login(live_app.url, "root@w.ru"))
    alone = admin.outputs("org-members.children", {})
    assert alone["org-invite-card.style"] == {"display": "none"}  # no organization: nobody to invite to
    blocked = admin.outputs("adm-result.children", {**values, "adm-block.n_clicks": 1}, "adm-block.n_clicks")
    assert "c@roli.ru → заблокирован" in str(blocked)
    assert consumer_session.get(f"{live_app.url}/api/v1/meters", timeout=10).status_code == 401
    assert try_login(live_app.url, "c@roli.ru", PASSWORD).status_code == 403
    changed = admin.outputs("adm-result.children", {**values, "adm-set-role.n_clicks": 2}, "adm-set-role.n_clicks")
    assert "c@roli.ru → оператор" in str(changed)
    audit = str(admin.outputs("adm-audit.children", {"adm-audit-search.value": "c@roli.ru"}))
    assert "user.blocked" in audit and "user.role" in audit and "root@w.ru" in audit  # the codes, as tooltips
    assert "Пользователь заблокирован" in audit and "Изменена роль" in audit  # what the admin reads
    services.producer.flush(10)
    reader = make_reader(services.broker_address, services.topics.audit)
    published: list[dict] = []

    def blocked_event() -> dict | None:
        published.extend(json.loads(m.value) for batch in reader.poll(timeout_ms=1000).values() for m in batch)
        return next((e for e in published if e["action"] == "user.blocked"), None)

    event = wait_for(blocked_event, timeout=20, interval=0)
    reader.close()
    assert (event["actor"], event["target"], event["details"]) == ("root@w.ru", "c@roli.ru", {"reason": "нарушение"})
