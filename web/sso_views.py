"""Single sign-on through an organization's own OpenID Connect provider.

``/sso`` asks for the work email and finds the organization's provider by its domain; the protocol itself is
dash-auth's :class:`OIDCAuth` (Authlib underneath): ``/oidc/org-<id>/login`` redirects to the provider with
state, nonce and PKCE, ``/oidc/org-<id>/callback`` exchanges the code and checks the ID token's signature,
issuer, expiry and nonce. :mod:`sso.sign_in` then checks audience, verified email, domain and membership, and
Wattboard's own server-side session takes over (``context.sessions``); dash-auth's page guard is not used —
pages are guarded by Wattboard's sessions like after a password login. Providers are read from the database
when used, so a provider connected with ``wattboard orgs set-sso`` works without a restart.
"""

from __future__ import annotations

import logging
from html import escape

import dash
from authlib.integrations.base_client import OAuthError
from dash_auth import OIDCAuth
from flask import Blueprint, redirect, request, session
from flask.typing import ResponseReturnValue
from flask_login import current_user
from joserfc.errors import JoseError
from requests import RequestException

from context import sessions
from context.services import services
from i18n import t
from sso import providers
from sso.providers import Provider
from sso.sign_in import SignInRefused, accept, refuse
from web.auth_views import safe_next
from web.forms import csrf_field, field, page

log = logging.getLogger(__name__)
blueprint = Blueprint("sso", __name__)
NEXT_KEY = "sso_next"


class OrganizationSignOn(OIDCAuth):
    """dash-auth's OIDC flow with one provider per organization, registered on first use."""

    def __init__(self, app: dash.Dash) -> None:
        # secret_key is passed on purpose: dash-auth 2.3's default is ``Optional[None]`` (a typing object, not None),
        # which would replace the session key.
        super().__init__(app, secret_key=app.server.secret_key, logout_route="/oidc/logout")
        self._fingerprints: dict[str, tuple[str, str, str]] = {}

    def _protect(self) -> None:
        """Pages are guarded by Wattboard's sessions (``web.app``), not by dash-auth's ``before_request``."""

    def is_authorized(self) -> bool:
        return bool(current_user.is_authenticated)

    def _ensure(self, idp: str | None) -> Provider | None:
        organization_id = providers.organization_of(idp or "")
        found = providers.provider(services(), organization_id) if organization_id is not None else None
        if found is None:
            return None
        fingerprint = (found.issuer, found.client_id, found.client_secret)
        if self._fingerprints.get(found.name) != fingerprint:
            self.oauth._clients.pop(found.name, None)  # a changed provider gets a fresh client
            self.register_provider(
                found.name,
                client_id=found.client_id,
                client_secret=found.client_secret,
                server_metadata_url=found.discovery_url,
                client_kwargs={"scope": "openid email", "code_challenge_method": "S256"},
            )
            self._fingerprints[found.name] = fingerprint
        return found

    def _create_redirect_uri(self, idp: str) -> str:
        return f"{services().settings.base_url}/oidc/{idp}/callback"

    def login_request(self, idp: str | None = None) -> ResponseReturnValue:
        if self._ensure(idp) is None:
            return _refused_page("sso.not_configured", 404)
        return super().login_request(idp)

    def logout(self) -> ResponseReturnValue:
        sessions.sign_out(services().db)
        return redirect("/login")

    def callback(self, idp: str) -> ResponseReturnValue:
        provider = self._ensure(idp)
        if provider is None:
            return _refused_page("sso.not_configured", 404)
        svc, address = services(), request.remote_addr
        if request.args.get("error"):
            said = request.args.get("error_description") or request.args["error"]
            refused = SignInRefused("sso.cancelled", str(said))
            refuse(svc, provider, refused, address)
            return _refused_page(refused.reason, 401, provider)
        client = self.get_oauth_client(idp)
        try:
            token = client.authorize_access_token()
            claims = dict(token.get("userinfo") or {})
            if not claims:
                raise SignInRefused("sso.invalid_token", "the provider sent no ID token")
            if "email" not in claims or "email_verified" not in claims:
                extra = client.userinfo(token=token)  # providers that keep the email out of the ID token
                if extra.get("sub") == claims.get("sub"):
                    claims.update({k: extra[k] for k in ("email", "email_verified") if k in extra})
            user = accept(svc, provider, claims, address)
        except (OAuthError, JoseError, ValueError, RequestException) as exc:
            log.warning("single sign-on through %s refused: %s", provider.issuer, exc)
            refuse(svc, provider, SignInRefused("sso.invalid_token", str(exc)), address)
            return _refused_page("sso.invalid_token", 401, provider)
        except SignInRefused as refused:
            if refused.reason == "sso.invalid_token":  # accept() has audited the others
                log.warning("single sign-on through %s refused: %s", provider.issuer, refused)
            status = 401 if refused.reason == "sso.invalid_token" else 403
            return _refused_page(refused.reason, status, provider, refused.detail)
        target = safe_next(session.get(NEXT_KEY))
        sessions.sign_in(svc.db, user)
        return redirect(target)


def _refused_page(reason: str, status: int, provider: Provider | None = None, detail: str = "") -> tuple[str, int]:
    message = t(reason).format(
        organization=provider.organization_name if provider else "",
        domain=provider.email_domain if provider else "",
        email=detail if "@" in detail else "",
    )
    body = f'<p><a href="/login" id="sso-back">{escape(t("sso.back"))}</a></p>'
    return page(t("sso.title"), body, message), status


def _start_page(error: str | None = None, email: str = "") -> str:
    nxt = escape(safe_next(request.values.get("next")), quote=True)
    body = f"""<p class="text-muted small">{escape(t("sso.intro"))}</p>
  <form method="post" action="/sso">
    {csrf_field()}
    <input type="hidden" name="next" value="{nxt}">
    {field("email", t("login.email"), email, "email", autocomplete="username", required="required")}
    <button class="btn btn-primary w-100" id="sso-submit" type="submit">{escape(t("sso.continue"))}</button>
  </form>
  <div class="mt-3 small"><a href="/login" id="sso-back">{escape(t("sso.back"))}</a></div>"""
    return page(t("sso.title"), body, error)


@blueprint.route("/sso", methods=["GET", "POST"])
def start() -> ResponseReturnValue:
    """Find the organization's provider by the email's domain and go there."""
    if request.method == "GET":
        return _start_page()
    email = request.form.get("email", "").strip().lower()[:254]
    if not sessions.csrf_valid():
        return _start_page(t("login.csrf"), email), 400
    provider = providers.provider_for_email(services(), email) if "@" in email else None
    if provider is None:
        domain = email.rpartition("@")[2] or email
        return _start_page(t("sso.no_provider").format(domain=domain), email), 404
    session[NEXT_KEY] = safe_next(request.form.get("next"))
    target = f"/oidc/{provider.name}/login"
    # A page, not a redirect: the page's CSP allows forms to post only to Wattboard, and browsers apply that to
    # the redirects that follow a form, so the way to the provider starts from a plain navigation.
    body = f"""<meta http-equiv="refresh" content="0;url={target}">
  <p>{escape(t("sso.redirecting").format(organization=provider.organization_name))}</p>
  <a class="btn btn-primary w-100" id="sso-go" href="{target}">{escape(t("sso.go"))}</a>"""
    return page(t("sso.title"), body)


def install(app: dash.Dash) -> OrganizationSignOn:
    app.server.register_blueprint(blueprint)
    return OrganizationSignOn(app)
