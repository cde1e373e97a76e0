"""Sign-up against the registry stand-ins (real HTTP servers): approve, refuse with a reason, or wait."""

from __future__ import annotations

import re
import time

import requests
from rq import Queue
from sqlalchemy import select

from data.relational.models import AuditEvent, Organization, SupplyContract, User
from demo.registries import LIQUIDATED_INN, SIGNUP_CONTRACT, SIGNUP_INN
from runtime.rq_runner import InlineWorker
from tests.helpers import PASSWORD, wait_for
from workers import jobs

NUMBER, SUPPLIER, SIGNED = SIGNUP_CONTRACT


def form(session: requests.Session, base: str, **changes: str) -> requests.Response:
    page = session.get(f"{base}/signup", timeout=10)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    data = {
        "csrf_token": token,
        "email": "baker@pekarnya.ru",
        "password": PASSWORD,
        "full_name": "Пётр Булочкин",
        "inn": SIGNUP_INN,
        "contract_number": NUMBER,
        "supplier": SUPPLIER,
        "contract_date": SIGNED,
        **changes,
    }
    return session.post(f"{base}/signup", data=data, allow_redirects=False, timeout=30)


def confirm(session: requests.Session, base: str, smtp, email: str = "baker@pekarnya.ru") -> requests.Response:
    """Follow the link of the confirmation letter, as its reader would: open it, press the button."""
    body = smtp.body(smtp.letters_to(email)[-1])
    path = re.search(r"http://wattboard\.test(/signup/confirm/\S+)", body).group(1)
    page = session.get(f"{base}{path}", timeout=10)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return session.post(f"{base}{path}", data={"csrf_token": token}, allow_redirects=False, timeout=30)


def user(services, email: str = "baker@pekarnya.ru") -> User | None:
    with services.db.session() as s:
        found = s.scalar(select(User).where(User.email == email))
        if found is not None:
            s.expunge(found)
        return found


def test_the_inn_is_checked_as_the_user_types(services, live_app, registries) -> None:
    fns, _ = registries
    api = f"{live_app.url}/api/v1/inn"
    bad = requests.get(f"{api}/7707083894", timeout=10).json()
    assert bad["valid"] is False and "контрольное число" in bad["problem"] and fns.requests == 0
    short = requests.get(f"{api}/12345", timeout=10).json()
    assert short["valid"] is False and "10 цифр" in short["problem"]
    good = requests.get(f"{api}/{SIGNUP_INN}", timeout=10).json()
    assert good["registry"] == {
        "found": True,
        "name": "ООО «Новая пекарня»",
        "ogrn": "1257800012345",
        "status": "Действующее",
        "active": True,
    }
    gone = requests.get(f"{api}/{LIQUIDATED_INN}", timeout=10).json()
    assert gone["registry"]["active"] is False and gone["registry"]["status"] == "Ликвидировано"
    fns.fail = "down"
    down = requests.get(f"{api}/{SIGNUP_INN}", timeout=10).json()
    assert "не отвечает" in down["registry"]["unavailable"]
    codes = [requests.get(f"{api}/{SIGNUP_INN}", timeout=10).status_code for _ in range(30)]
    assert codes[-1] == 429  # rate-limited: 30 checks a minute per address


def test_a_valid_inn_and_contract_open_the_account_once_the_address_is_confirmed(
    services, live_app, registries, smtp
) -> None:
    session = requests.Session()
    response = form(session, live_app.url)
    assert response.status_code == 303 and response.headers["Location"] == "/signup/sent"
    assert user(services) is None  # nothing exists until the link in the letter is followed
    assert "baker@pekarnya.ru" in session.get(f"{live_app.url}/signup/sent", timeout=10).text
    confirmed = confirm(session, live_app.url, smtp)
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == "/"
    assert session.get(f"{live_app.url}/api/v1/meters", timeout=10).json() == {"meters": []}
    created = user(services)
    assert created.status == "active" and created.is_owner and created.role == "consumer"
    with services.db.session() as s:
        org = s.scalar(select(Organization).where(Organization.inn == SIGNUP_INN))
        contract = s.scalar(select(SupplyContract).where(SupplyContract.organization_id == org.id))
        assert org.name == "ООО «Новая пекарня»"  # the registry's name, not what anyone typed
        assert contract.status == "active" and contract.verified_at is not None and contract.number == NUMBER
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "signup.approved"))
        assert event.actor == "baker@pekarnya.ru" and event.details["ogrn"] == "1257800012345"


def test_a_bad_checksum_is_refused_before_any_network_call(services, live_app, registries) -> None:
    fns, contracts = registries
    response = form(requests.Session(), live_app.url, inn="7707083894")
    assert response.status_code == 422 and "контрольное число ИНН не сходится" in response.text
    assert fns.requests == contracts.requests == 0 and user(services) is None


def test_refusals_say_why_and_store_nothing(services, live_app, registries) -> None:
    gone = form(requests.Session(), live_app.url, inn=LIQUIDATED_INN)
    assert gone.status_code == 422 and "Ликвидировано" in gone.text
    foreign = form(requests.Session(), live_app.url, contract_number="ПЭС-77/4521")  # the demo office's contract
    assert foreign.status_code == 422 and "заключён с другим потребителем" in foreign.text
    ended = form(requests.Session(), live_app.url, contract_number="ТЕРМ-2020/7", contract_date="2020-02-01")
    assert ended.status_code == 422 and "не действует" in ended.text
    unknown = form(requests.Session(), live_app.url, contract_number="НЕТ-1")
    assert "не найден в реестре" in unknown.text
    assert user(services) is None
    with services.db.session() as s:
        assert s.scalar(select(Organization).where(Organization.inn == SIGNUP_INN)) is None


def test_a_registry_that_is_down_leaves_the_account_pending_until_a_retry_confirms_it(
    services, live_app, registries, smtp, monkeypatch
) -> None:
    fns, _ = registries
    fns.fail = "down"
    monkeypatch.setattr(jobs, "VERIFY_RETRY_INTERVALS", [1] * 5)
    jobs.bind(services)
    session = requests.Session()
    assert form(session, live_app.url).headers["Location"] == "/signup/sent"
    response = confirm(session, live_app.url, smtp)
    assert response.status_code == 302 and response.headers["Location"] == "/signup/status"
    status = session.get(f"{live_app.url}/signup/status", timeout=10)
    assert "Реестр пока не ответил" in status.text and "HTTP 503" in status.text
    assert user(services).status == "pending"
    assert session.get(f"{live_app.url}/api/v1/meters", timeout=10).status_code == 401  # nothing approved silently

    queue = Queue("default", connection=services.redis)
    InlineWorker([queue], connection=services.redis).work(burst=True, with_scheduler=True)
    assert user(services).status == "pending"  # still down: the job failed and waits for its retry
    fns.fail = ""

    def settled() -> bool:
        time.sleep(1.1)
        InlineWorker([queue], connection=services.redis).work(burst=True, with_scheduler=True)
        return user(services).status == "active"

    wait_for(settled, timeout=30, interval=0)
    letter = smtp.letters_to("baker@pekarnya.ru")[-1]
    assert letter["Subject"] == "Wattboard: учётная запись подтверждена"
    assert "Учётная запись подтверждена" in session.get(f"{live_app.url}/signup/status", timeout=10).text


def test_an_admin_approves_a_pending_sign_up_by_hand_with_a_reason(services, live_app, registries, smtp) -> None:
    from tests.dash_client import DashClient
    from tests.helpers import login, make_user

    registries[1].latency_s = 5  # slower than the client waits (3 s)
    session = requests.Session()
    form(session, live_app.url)
    assert confirm(session, live_app.url, smtp).headers["Location"] == "/signup/status"
    pending = user(services)
    assert pending.status == "pending" and "реестр договоров" in pending.status_reason
    make_user(services.db, "root@w.ru", "admin")
    admin = DashClient(live_app.app, live_app.url, login(live_app.url, "root@w.ru"))
    queue = admin.outputs("adm-users.children", {"adm-user-status.value": "pending"})
    assert "baker@pekarnya.ru" in str(queue["adm-users.children"]) and "Ожидают проверки: 1" in str(queue)
    values = {"adm-pick.value": pending.id, "adm-reason.value": ""}
    refused = admin.outputs(
        "adm-result.children", {**values, "adm-approve.n_clicks": 1}, changed="adm-approve.n_clicks"
    )
    assert "Укажите причину" in str(refused)
    values["adm-reason.value"] = "договор проверен по скану"
    done = admin.outputs("adm-result.children", {**values, "adm-approve.n_clicks": 2}, changed="adm-approve.n_clicks")
    assert "baker@pekarnya.ru → активен" in str(done)
    assert user(services).status == "active"
    with services.db.session() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "signup.approved_by_hand"))
        assert event.actor == "root@w.ru" and event.details == {"reason": "договор проверен по скану"}
    assert smtp.letters_to("baker@pekarnya.ru")[-1]["Subject"] == "Wattboard: учётная запись подтверждена"


def test_the_admin_reads_contract_statuses_and_audit_actions_in_russian(services, live_app, registries, smtp) -> None:
    from tests.dash_client import DashClient
    from tests.helpers import login, make_user

    session = requests.Session()
    assert form(session, live_app.url).status_code == 303
    assert confirm(session, live_app.url, smtp).status_code == 302
    make_user(services.db, "root@w.ru", "admin")
    admin = DashClient(live_app.app, live_app.url, login(live_app.url, "root@w.ru"))
    orgs = str(admin.outputs("adm-orgs.children", {"adm-org-search.value": SIGNUP_INN}))
    assert f"№ {NUMBER}" in orgs and "действует" in orgs and "· active" not in orgs
    audit = str(admin.outputs("adm-audit.children", {"adm-audit-search.value": "baker@pekarnya.ru"}))
    assert "Регистрация подтверждена реестрами" in audit and ": None" not in audit


def test_the_demo_offers_a_company_that_has_not_signed_up_yet(services, live_app, registries, smtp) -> None:
    from demo.registries import SIGNUP_COMPANIES, next_signup

    assert next_signup(services.db) == (SIGNUP_INN, SIGNUP_CONTRACT)
    session = requests.Session()
    form(session, live_app.url)
    assert confirm(session, live_app.url, smtp).status_code == 302
    inn, (number, supplier, signed) = next_signup(services.db)
    assert inn == SIGNUP_COMPANIES[1][0]  # the first is taken now: the next one is printed at start-up
    second = requests.Session()
    again = form(
        second,
        live_app.url,
        email="second@pekarnya.ru",
        inn=inn,
        contract_number=number,
        supplier=supplier,
        contract_date=signed,
    )
    assert again.status_code == 303
    assert confirm(second, live_app.url, smtp, "second@pekarnya.ru").headers["Location"] == "/"  # and it works


def test_the_form_tells_nobody_whether_an_address_has_an_account(services, live_app, registries, smtp) -> None:
    """Issue 16: sign-up said «этот адрес уже зарегистрирован», 30 tries in a row, no throttle."""
    from demo.registries import SIGNUP_COMPANIES
    from tests.helpers import make_user

    make_user(services.db, "known@pekarnya.ru", "operator")
    inn, _name, _ogrn, (number, supplier, signed) = SIGNUP_COMPANIES[1]
    company = {"inn": inn, "contract_number": number, "supplier": supplier, "contract_date": signed}
    known = form(requests.Session(), live_app.url, email="known@pekarnya.ru", **company)
    unknown = form(requests.Session(), live_app.url, email="nobody@pekarnya.ru", **company)
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])
    assert known.text == unknown.text
    told = smtp.letters_to("known@pekarnya.ru")
    assert len(told) == 1 and told[0]["Subject"] == "Wattboard: у вас уже есть учётная запись"
    assert "/signup/confirm/" in smtp.body(smtp.letters_to("nobody@pekarnya.ru")[0])
    assert user(services, "nobody@pekarnya.ru") is None
    # Throttled per address, known or not, and answered alike.
    answers = {
        address: [form(requests.Session(), live_app.url, email=address, **company).status_code for _ in range(6)]
        for address in ("known@pekarnya.ru", "nobody@pekarnya.ru")
    }
    assert answers["known@pekarnya.ru"] == answers["nobody@pekarnya.ru"] == [303, 303, 303, 303, 422, 422]
    refused = form(requests.Session(), live_app.url, email="known@pekarnya.ru", **company)
    assert "слишком много попыток" in refused.text
