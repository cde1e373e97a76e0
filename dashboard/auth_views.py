"""Server-rendered login (email, password, CSRF token), logout and the language switch."""

from __future__ import annotations

from html import escape
from urllib.parse import urlparse

from flask import Blueprint, current_app, redirect, request, session
from flask_login import current_user, login_user, logout_user

from auth import sessions
from auth.passwords import verify_password
from dashboard.i18n import LANGUAGES, current_language, t
from data import audit, users

blueprint = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _page(error: str | None, email: str = "") -> str:
    lang = current_language()
    other = "en" if lang == "ru" else "ru"
    alert = f'<div class="alert alert-danger" role="alert" id="login-error">{escape(error)}</div>' if error else ""
    nxt = escape(_safe_next(request.values.get("next")))
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t("login.title")}</title>
<link rel="stylesheet" href="/assets/vendor/bootstrap.min.css"><link rel="stylesheet" href="/assets/wattboard.css">
</head><body>
<div class="wb-login card wb-card p-4">
  <div class="d-flex justify-content-between align-items-center mb-3">
    <h1 class="h4 m-0">⚡ {t("login.title")}</h1>
    <a class="small" href="/lang/{other}?next=/login">{t("nav.language")}</a>
  </div>
  {alert}
  <form method="post" action="/login">
    <input type="hidden" name="csrf_token" value="{sessions.csrf_token()}">
    <input type="hidden" name="next" value="{nxt}">
    <div class="mb-3"><label class="form-label" for="email">{t("login.email")}</label>
      <input class="form-control" id="email" name="email" type="email" autocomplete="username" required
             value="{escape(email)}"></div>
    <div class="mb-3"><label class="form-label" for="password">{t("login.password")}</label>
      <input class="form-control" id="password" name="password" type="password"
             autocomplete="current-password" required></div>
    <button class="btn btn-primary w-100" id="login-submit" type="submit">{t("login.submit")}</button>
  </form>
</div></body></html>"""


@blueprint.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(_safe_next(request.args.get("next")))
        return _page(None)
    email = request.form.get("email", "").strip()
    if not sessions.csrf_valid():
        return _page(t("login.csrf"), email), 400
    services = current_app.extensions["wattboard"]
    user = users.user_by_email(services.db, email)
    if user is None or not verify_password(user.password_hash, request.form.get("password", "")):
        audit.record(services.db, email or "?", "login.failed", ip=request.remote_addr)
        return _page(t("login.failed"), email), 401
    if user.status != "active":
        return _page(t("login.blocked"), email), 403
    session.clear()
    session["lang"] = user.language
    login_user(sessions.session_user_for(user))
    audit.record(services.db, user.email, "login", ip=request.remote_addr)
    return redirect(_safe_next(request.form.get("next")))


@blueprint.route("/logout", methods=["GET", "POST"])
def logout():  # type: ignore[no-untyped-def]
    logout_user()
    session.clear()
    return redirect("/login")


@blueprint.route("/lang/<code>")
def switch_language(code: str):  # type: ignore[no-untyped-def]
    if code in LANGUAGES:
        session["lang"] = code
        principal = sessions.current_principal()
        if principal is not None:
            users.set_language(current_app.extensions["wattboard"].db, principal.user_id, code)
    return redirect(_safe_next(request.args.get("next")))
