"""Server-rendered login (email, password, CSRF token, throttling), logout and the language switch."""

from __future__ import annotations

from html import escape
from urllib.parse import quote, urlparse

from flask import Blueprint, redirect, request, session
from flask.typing import ResponseReturnValue
from flask_login import current_user

from auth.login import password_login, remember_language
from context import sessions
from context.services import services
from i18n import LANGUAGES, t
from web.forms import csrf_field, field, page

blueprint = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


LOGIN_NOTICES = ("password.changed", "logout.everywhere_done")  # what a redirect to /login?notice=… may say


def _login_page(error: str | None, email: str = "") -> str:
    nxt = escape(safe_next(request.values.get("next")), quote=True)
    sso_href = escape("/sso?next=" + quote(safe_next(request.values.get("next")), safe=""), quote=True)
    body = f"""<form method="post" action="/login">
    {csrf_field()}
    <input type="hidden" name="next" value="{nxt}">
    {field("email", t("login.email"), email, "email", autocomplete="username", required="required")}
    {field("password", t("login.password"), "", "password", autocomplete="current-password", required="required")}
    <button class="btn btn-primary w-100" id="login-submit" type="submit">{t("login.submit")}</button>
  </form>
  <div class="d-flex justify-content-between mt-3 small">
    <a href="/signup" id="signup-link">{t("login.signup")}</a>
    <a href="/password/forgot" id="forgot-link">{t("login.forgot")}</a>
  </div>
  <div class="mt-3 small text-center"><a href="{sso_href}" id="sso-link">{t("login.sso")}</a></div>"""
    notice = request.args.get("notice", "")
    return page(t("login.title"), body, error, t(notice) if notice in LOGIN_NOTICES else None)


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(safe_next(request.args.get("next")))
        return _login_page(None)
    email = request.form.get("email", "").strip().lower()
    if not sessions.csrf_valid():
        return _login_page(t("login.csrf"), email), 400
    svc = services()
    result = password_login(svc, email, request.form.get("password", ""), request.remote_addr or "?")
    if result.outcome == "locked":
        return _login_page(t("login.locked").format(minutes=result.minutes), email), 429
    if result.outcome == "failed":
        return _login_page(t("login.failed"), email), 401
    user = result.user
    if result.outcome == "pending":
        session["pending_user_id"] = user.id
        return redirect("/signup/status")
    if result.outcome == "inactive":
        reason = f" {user.status_reason}" if user.status == "rejected" and user.status_reason else ""
        return _login_page(t(f"login.status_{user.status}") + reason, email), 403
    sessions.sign_in(svc.db, user)
    return redirect(safe_next(request.form.get("next")))


def _confirm(title: str, action: str, button: str, nxt: str = "") -> str:
    """A page with one button that POSTs (with the CSRF token) what a link must not do by itself."""
    hidden = f'<input type="hidden" name="next" value="{escape(nxt, quote=True)}">' if nxt else ""
    return page(
        title,
        f"""<form method="post" action="{escape(action, quote=True)}">{csrf_field()}{hidden}
    <button class="btn btn-primary w-100" id="confirm-submit" type="submit">{escape(button)}</button></form>
    <a class="d-block mt-3 small" href="/">{t("logout.cancel")}</a>""",
    )


@blueprint.route("/logout", methods=["GET", "POST"])
def logout() -> ResponseReturnValue:
    """POST with the CSRF token ends the session; a GET (a link, an image on another site) only asks."""
    if sessions.current_principal() is None:
        return redirect("/login")
    if request.method == "GET":
        return _confirm(t("nav.logout"), "/logout", t("nav.logout"))
    if not sessions.csrf_valid():
        return _confirm(t("nav.logout"), "/logout", t("nav.logout")), 400
    sessions.sign_out(services().db)
    return redirect("/login")


@blueprint.route("/lang/<code>", methods=["GET", "POST"])
def switch_language(code: str) -> ResponseReturnValue:
    """POST with the CSRF token switches the language (and stores it for a signed-in user); a GET only asks."""
    nxt = safe_next(request.values.get("next"))
    if code not in LANGUAGES:
        return redirect(nxt)
    if request.method == "GET" or not sessions.csrf_valid():
        status = 400 if request.method == "POST" else 200
        return _confirm(t("lang.title"), f"/lang/{code}", t(f"lang.switch_{code}"), nxt), status
    session["lang"] = code
    remember_language(services(), sessions.current_principal(), code)
    return redirect(nxt)
