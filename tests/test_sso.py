"""Single sign-on through an organization's own OpenID Connect provider (issue 12).

A real provider (node-oidc-provider, ``tests/oidc_provider``) on loopback, the real web app on a real port; the
browser's part (following redirects, submitting the provider's sign-in and consent forms) is played by requests.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from requests import Response

from auth.inn import complete_inn
from auth.principal import AccessDenied, Principal
from data.relational.audit import audit_events
from data.relational.models import User
from data.services import Services
from runtime.embedded import free_port
from sso import providers
from tests.conftest import LiveServer
from tests.helpers import make_org, make_user
from tests.oidc_provider import OidcProvider

CLIENT, SECRET = "wattboard-bigco", "bigco-client-secret"
ADMIN = Principal(0, "admin@wattboard.ru", "admin", None)


class _Form(HTMLParser):
    """The first form of a page: its action and its fields' values."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self._inside = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and self.action is None:
            self.action, self._inside = a.get("action") or "", True
        elif tag == "input" and self._inside and a.get("name"):
            self.fields[str(a["name"])] = a.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False


class SsoWorld:
    def __init__(self, base: str, idp: OidcProvider, services: Services, org_id: int) -> None:
        self.base, self.idp, self.services, self.org_id = base, idp, services, org_id

    def sign_in(self, typed_email: str, provider_login: str | None = None) -> tuple[requests.Session, Response]:
        """Type ``typed_email`` on /sso, sign in at the provider as ``provider_login``; the last answer."""
        s = requests.Session()
        start = s.get(f"{self.base}/sso?next=/consumption", timeout=10)
        token = re.search(r'name="csrf_token" value="([^"]+)"', start.text).group(1)
        going = s.post(
            f"{self.base}/sso",
            data={"email": typed_email, "csrf_token": token, "next": "/consumption"},
            headers={"Origin": self.base},
            timeout=10,
        )
        assert going.status_code == 200, going.text
        target = re.search(r'href="(/oidc/org-\d+/login)"', going.text).group(1)
        answer = s.get(self.base + target, timeout=10)  # → the provider's sign-in page
        for _ in range(3):  # sign-in, then consent
            if not answer.url.startswith(self.idp.issuer):
                break
            form = _Form(answer.text)
            assert form.action is not None, answer.text
            if "login" in form.fields or 'name="login"' in answer.text:
                form.fields.update(login=provider_login or typed_email, password="any")
            answer = s.post(urljoin(answer.url, form.action), data=form.fields, timeout=10)
        return s, answer

    def events(self, action: str) -> list:
        return [e for e in audit_events(self.services.db, "") if e.action == action]


@pytest.fixture
def world(services: Services, tmp_path: Path) -> Iterator[SsoWorld]:
    from web import create_app

    port = free_port()
    settings = services.settings.model_copy(update={"public_url": f"http://127.0.0.1:{port}"})
    svc = Services(settings)
    svc.__dict__["db"], svc.__dict__["store"] = services.db, services.store
    org_id = make_org(services.db, "771100000", "ООО «Большая компания»", ["BIG-1"])
    make_org(services.db, "771200000", "ООО «Соседи»", ["OTH-1"])
    make_user(services.db, "anna@bigco.ru", "consumer", complete_inn("771100000"))
    make_user(services.db, "oleg@bigco.ru", "consumer", complete_inn("771100000"))
    make_user(services.db, "boris@bigco.ru", "consumer", complete_inn("771200000"))  # another organization's
    with services.db.session() as s:
        s.query(User).filter_by(email="oleg@bigco.ru").one().status = "blocked"
    redirect_uri = f"http://127.0.0.1:{port}/oidc/org-{org_id}/callback"
    idp = OidcProvider(
        tmp_path,
        [{"client_id": CLIENT, "client_secret": SECRET, "redirect_uris": [redirect_uri],
          "grant_types": ["authorization_code"], "response_types": ["code"]}],
    )
    providers.connect(svc, ADMIN, org_id, idp.issuer, CLIENT, SECRET, "bigco.ru", allow_private=True)
    server = LiveServer(create_app(settings, svc), port)
    yield SsoWorld(server.url, idp, svc, org_id)
    server.stop()
    idp.stop()


@pytest.mark.parametrize("relational_url", ["postgresql"], indirect=True)
def test_a_member_signs_in_with_the_organizations_provider_and_keeps_wattboards_role(world: SsoWorld) -> None:
    login_page = requests.get(f"{world.base}/login", timeout=10).text
    assert 'id="sso-link"' in login_page and "Войти через учётную запись организации" in login_page

    session, landed = world.sign_in("Anna@BigCo.ru")
    assert landed.status_code == 200 and landed.url == f"{world.base}/consumption", (landed.url, landed.text[:300])
    meters = session.get(f"{world.base}/api/v1/meters", timeout=10)
    assert meters.status_code == 200
    assert [m["code"] for m in meters.json()["meters"]] == ["BIG-1"]  # the organization's points only
    with world.services.db.session() as s:
        assert s.query(User).filter_by(email="anna@bigco.ru").one().role == "consumer"  # the role stays ours
    [event] = world.events("login.sso")
    assert (event.actor, event.target) == ("anna@bigco.ru", "ООО «Большая компания»")

    # Signing out ends the session like a password session.
    asked = session.get(f"{world.base}/logout", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', asked).group(1)
    session.post(f"{world.base}/logout", data={"csrf_token": token}, headers={"Origin": world.base}, timeout=10)
    assert session.get(f"{world.base}/api/v1/meters", timeout=10).status_code == 401

    # An address whose domain has no provider is told so on the spot.
    fresh = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', fresh.get(f"{world.base}/sso", timeout=10).text).group(1)
    unknown = fresh.post(f"{world.base}/sso", data={"email": "ivan@nowhere.ru", "csrf_token": token},
                     headers={"Origin": world.base}, timeout=10)
    assert unknown.status_code == 404 and "Для адресов в домене nowhere.ru единый вход не настроен" in unknown.text


@pytest.mark.parametrize("relational_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("tampering", ["forge", "other_audience", "other_audience_naming_us"])
def test_a_forged_token_or_one_meant_for_another_application_is_refused(world: SsoWorld, tampering: str) -> None:
    world.idp.tap.mode = tampering
    session, answer = world.sign_in("anna@bigco.ru")
    assert answer.status_code == 401, answer.text[:500]
    assert "прислал недействительный ответ" in answer.text
    assert session.get(f"{world.base}/api/v1/meters", timeout=10).status_code == 401  # no session was opened
    assert not world.events("login.sso")
    [refused] = world.events("login.sso_refused")
    assert refused.details["reason"] == "sso.invalid_token"
    # The refusal names what was wrong: the signature (Authlib through joserfc), or the token's client (azp/aud).
    expected = {
        "forge": "bad_signature",
        "other_audience": "missing_claim: Missing claim: 'azp'",
        "other_audience_naming_us": "audience 'another-application'",  # Authlib passed it; sso.sign_in did not
    }[tampering]
    assert refused.details["detail"].startswith(expected)


@pytest.mark.parametrize("relational_url", ["postgresql"], indirect=True)
def test_only_verified_addresses_of_active_members_at_the_organizations_domain_get_in(world: SsoWorld) -> None:
    cases = {
        # typed on /sso, signed in at the provider as → what the person reads
        ("anna@bigco.ru", "anna@elsewhere.ru"): "Адрес anna@elsewhere.ru не из домена bigco.ru",
        ("anna@bigco.ru", "unverified.anna@bigco.ru"): "Адрес anna@bigco.ru не подтверждён",
        ("stranger@bigco.ru", None): "Учётной записи stranger@bigco.ru нет в организации «ООО «Большая компания»»",
        ("boris@bigco.ru", None): "Учётной записи boris@bigco.ru нет в организации",
        ("oleg@bigco.ru", None): "Учётная запись oleg@bigco.ru не активна",
    }
    for (typed, at_provider), message in cases.items():
        session, answer = world.sign_in(typed, at_provider)
        assert answer.status_code == 403 and message in answer.text, (typed, at_provider, answer.text[:400])
        assert session.get(f"{world.base}/api/v1/meters", timeout=10).status_code == 401
    reasons = sorted(e.details["reason"] for e in world.events("login.sso_refused"))
    assert reasons == ["sso.not_active", "sso.other_domain", "sso.unknown_user", "sso.unknown_user", "sso.unverified"]


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_connecting_a_provider_is_for_administrators_from_the_command_line(services) -> None:
    from tests.test_partner_cli import cli

    org_id = make_org(services.db, "771300000", "ООО «Вход»", [])
    inn = complete_inn("771300000")
    with pytest.raises(AccessDenied):
        providers.connect(services, Principal(1, "owner@vhod.ru", "consumer", org_id, is_owner=True), org_id,
                          "https://id.vhod.ru", "c", "s", "vhod.ru")
    os.environ["VHOD_SSO_SECRET"] = "from-the-environment"
    secret = ("--client-secret-env", "VHOD_SSO_SECRET")
    try:
        refused = cli(services, "orgs", "set-sso", inn, "--issuer", "https://127.0.0.1:9", "--client-id", "wb",
                      "--domain", "vhod.ru", *secret)
        assert refused.returncode == 1 and "private" in refused.stderr  # the issuer passes the SSRF guard
        connected = cli(services, "orgs", "set-sso", inn, "--issuer", "http://127.0.0.1:9/", "--client-id", "wb",
                        "--domain", "Vhod.ru", "--allow-private", *secret)
    finally:
        del os.environ["VHOD_SSO_SECRET"]
    assert connected.returncode == 0, connected.stderr
    assert connected.stdout.splitlines()[0] == (
        f"single sign-on connected for organization {inn}: vhod.ru through http://127.0.0.1:9"
    )
    assert connected.stdout.splitlines()[1].endswith(f"/oidc/org-{org_id}/callback")  # to register at the provider
    found = providers.provider(services, org_id)
    assert found is not None and (found.issuer, found.email_domain) == ("http://127.0.0.1:9", "vhod.ru")
    assert found.client_secret == "from-the-environment"  # decrypted here; stored encrypted
    with services.db.session() as s:
        from data.relational.models import OrganizationSso

        assert "from-the-environment" not in s.get(OrganizationSso, org_id).client_secret
    make_org(services.db, "771400000", "ООО «Захват»", [])
    taken = cli(services, "orgs", "set-sso", complete_inn("771400000"), "--issuer", "http://127.0.0.1:9",
                "--client-id", "x", "--domain", "vhod.ru", "--client-secret-env", "PATH", "--allow-private")
    assert taken.returncode == 1 and "already signs in through ООО «Вход»" in taken.stderr
    removed = cli(services, "orgs", "set-sso", inn, "--remove")
    assert removed.stdout.strip() == f"single sign-on disconnected for organization {inn}"
    assert providers.provider(services, org_id) is None
    actions = [e.action for e in audit_events(services.db, "sso.") if e.action.startswith("sso.")]
    assert sorted(actions) == ["sso.connected", "sso.disconnected"]


@pytest.mark.browser
@pytest.mark.parametrize("relational_url", ["postgresql"], indirect=True)
def test_single_sign_on_in_a_real_browser_under_the_pages_security_policy(world: SsoWorld) -> None:
    from tests.browser import chrome, csp_violations
    from tests.helpers import wait_for

    with chrome() as driver:
        driver.get(f"{world.base}/login")
        driver.find_element("id", "sso-link").click()
        wait_for(lambda: driver.current_url.startswith(f"{world.base}/sso"), timeout=20)
        driver.find_element("id", "email").send_keys("anna@bigco.ru")
        driver.find_element("id", "sso-submit").click()
        # Wattboard's page hands over to the provider (its policy lets forms post only to Wattboard itself).
        wait_for(lambda: driver.current_url.startswith(world.idp.issuer), timeout=20)
        assert csp_violations(driver) == []
        driver.find_element("name", "login").send_keys("anna@bigco.ru")
        driver.find_element("name", "password").send_keys("any")
        driver.find_element("css selector", "button[type=submit]").click()
        wait_for(lambda: driver.current_url.startswith(world.idp.issuer + "/interaction")
                 and not driver.find_elements("name", "login"), timeout=20)
        driver.find_element("css selector", "button[type=submit]").click()  # consent
        wait_for(lambda: driver.current_url == f"{world.base}/", timeout=20)
        wait_for(lambda: "anna@bigco.ru" in driver.page_source, timeout=30)  # the navbar names who is signed in
        assert [e for e in csp_violations(driver) if world.base in e] == []
