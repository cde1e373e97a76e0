"""Server-rendered account pages: forgotten password, reset by emailed token, logout everywhere, invitations."""

from __future__ import annotations

import datetime as dt
from html import escape

from flask import Blueprint, redirect, request

from auth import sessions
from auth.letters import password_reset
from auth.mail import MailUnavailable
from auth.passwords import hash_password
from auth.signup import MIN_PASSWORD
from auth.throttle import within_rate
from dashboard.i18n import t
from dashboard.services import services
from data import audit, one_time_tokens, people, users
from web.forms import csrf_field, field, page

blueprint = Blueprint("account", __name__)
RESET_LIFETIME = dt.timedelta(minutes=60)


def _password_fields() -> str:
    new = field("password", t("password.new"), kind="password", autocomplete="new-password", required="required")
    again = field("password2", t("password.repeat"), kind="password", autocomplete="new-password", required="required")
    return new + again


def _password_problem(first: str, second: str) -> str | None:
    if len(first) < MIN_PASSWORD:
        return t("password.too_short").format(n=MIN_PASSWORD)
    if first != second:
        return t("password.mismatch")
    return None


@blueprint.route("/password/forgot", methods=["GET", "POST"])
def forgot():  # type: ignore[no-untyped-def]
    form = f"""<p class="text-muted small">{t("password.forgot_hint")}</p>
    <form method="post">{csrf_field()}{field("email", t("login.email"), kind="email", required="required")}
    <button class="btn btn-primary w-100" id="forgot-submit" type="submit">{t("password.send")}</button></form>"""
    if request.method == "GET":
        return page(t("password.forgot_title"), form)
    if not sessions.csrf_valid():
        return page(t("password.forgot_title"), form, t("login.csrf")), 400
    svc = services()
    email = request.form.get("email", "").strip().lower()
    if within_rate(svc.redis, "reset", f"{request.remote_addr}|{email}", 5, 900):
        user = users.user_by_email(svc.db, email)
        if user is not None and user.status == "active":
            token = one_time_tokens.issue_token(svc.db, "reset", user.email, RESET_LIFETIME, user_id=user.id)
            try:
                password_reset(svc.settings, user.email, token, int(RESET_LIFETIME.total_seconds() // 60))
            except MailUnavailable as exc:
                audit.log(
                    svc, user.email, "password.reset_mail_failed", ip=request.remote_addr, details={"error": str(exc)}
                )
                return page(t("password.forgot_title"), form, t("password.mail_failed")), 503
            audit.log(svc, user.email, "password.reset_requested", ip=request.remote_addr)
    # The same answer whether or not the address is known: the page must not reveal who has an account.
    return page(t("password.forgot_title"), "", notice=t("password.sent"))


@blueprint.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str):  # type: ignore[no-untyped-def]
    svc = services()
    grant = one_time_tokens.peek_token(svc.db, "reset", token)
    if grant is None or grant.user_id is None:
        link = f'<a href="/password/forgot">{t("password.again")}</a>'
        return page(t("password.reset_title"), link, t("password.link_dead")), 410
    form = f"""<form method="post">{csrf_field()}
    {_password_fields()}
    <button class="btn btn-primary w-100" id="reset-submit" type="submit">{t("password.save")}</button></form>"""
    if request.method == "GET":
        return page(t("password.reset_title"), form)
    if not sessions.csrf_valid():
        return page(t("password.reset_title"), form, t("login.csrf")), 400
    problem = _password_problem(request.form.get("password", ""), request.form.get("password2", ""))
    if problem:
        return page(t("password.reset_title"), form, problem), 400
    if one_time_tokens.use_token(svc.db, "reset", token) is None:  # used meanwhile by another tab
        return page(t("password.reset_title"), "", t("password.link_dead")), 410
    email = people.set_password(svc.db, grant.user_id, hash_password(request.form["password"]))
    audit.log(svc, email, "password.reset", ip=request.remote_addr)
    sessions.sign_out(svc.db)
    return redirect("/login?notice=password.changed")


@blueprint.route("/logout/everywhere", methods=["GET", "POST"])
def logout_everywhere():  # type: ignore[no-untyped-def]
    principal = sessions.current_principal()
    if principal is None:
        return redirect("/login")
    form = f"""<p>{t("logout.everywhere_hint")}</p><form method="post">{csrf_field()}
    <button class="btn btn-danger w-100" id="logout-everywhere-submit" type="submit">{t("logout.everywhere")}</button>
    </form><a class="d-block mt-3 small" href="/">{t("logout.cancel")}</a>"""
    if request.method == "GET":
        return page(t("logout.everywhere"), form)
    if not sessions.csrf_valid():
        return page(t("logout.everywhere"), form, t("login.csrf")), 400
    svc = services()
    ended = people.end_all_sessions(svc.db, principal.user_id)
    audit.log(svc, principal.email, "logout.everywhere", ip=request.remote_addr, details={"sessions": ended})
    sessions.sign_out(svc.db)
    return redirect("/login?notice=logout.everywhere_done")


@blueprint.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):  # type: ignore[no-untyped-def]
    svc = services()
    grant = one_time_tokens.peek_token(svc.db, "invite", token)
    if grant is None or grant.organization_id is None:
        return page(t("invite.title"), "", t("invite.link_dead")), 410
    name = request.form.get("full_name", "")
    form = f"""<p>{t("invite.for").format(email=escape(grant.email), inviter=escape(grant.created_by or ""))}</p>
    <form method="post">{csrf_field()}
    {field("full_name", t("signup.full_name"), name, required="required")}
    {_password_fields()}
    <button class="btn btn-primary w-100" id="invite-submit" type="submit">{t("invite.accept")}</button></form>"""
    if request.method == "GET":
        return page(t("invite.title"), form)
    if not sessions.csrf_valid():
        return page(t("invite.title"), form, t("login.csrf")), 400
    problem = _password_problem(request.form.get("password", ""), request.form.get("password2", ""))
    if problem or not name.strip():
        return page(t("invite.title"), form, problem or t("signup.name_needed")), 400
    if one_time_tokens.use_token(svc.db, "invite", token) is None:
        return page(t("invite.title"), "", t("invite.link_dead")), 410
    try:
        people.add_member(
            svc.db, grant.email, hash_password(request.form["password"]), name.strip(), grant.organization_id
        )
    except people.AccountError as exc:
        return page(t("invite.title"), "", str(exc)), 409
    audit.log(svc, grant.email, "invite.accepted", target=str(grant.organization_id), ip=request.remote_addr)
    sessions.sign_in(svc.db, users.user_by_email(svc.db, grant.email))
    return redirect("/")
