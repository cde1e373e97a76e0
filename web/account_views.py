"""Server-rendered account pages: forgotten password, reset by emailed token, logout everywhere, invitations."""

from __future__ import annotations

from html import escape

from flask import Blueprint, redirect, request
from flask.typing import ResponseReturnValue

from auth.invites import AccountError, accept_invitation, invitation_grant
from auth.mail import MailUnavailable
from auth.password_reset import end_every_session, request_reset, reset_grant, reset_password
from auth.signup import MIN_PASSWORD
from context import sessions
from context.services import services
from i18n import say, t
from web.forms import csrf_field, field, page

blueprint = Blueprint("account", __name__)


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
def forgot() -> ResponseReturnValue:
    form = f"""<p class="text-muted small">{t("password.forgot_hint")}</p>
    <form method="post">{csrf_field()}{field("email", t("login.email"), kind="email", required="required")}
    <button class="btn btn-primary w-100" id="forgot-submit" type="submit">{t("password.send")}</button></form>"""
    if request.method == "GET":
        return page(t("password.forgot_title"), form)
    if not sessions.csrf_valid():
        return page(t("password.forgot_title"), form, t("login.csrf")), 400
    try:
        request_reset(services(), request.form.get("email", ""), request.remote_addr)
    except MailUnavailable:
        return page(t("password.forgot_title"), form, t("password.mail_failed")), 503
    # The same answer whether or not the address is known: the page must not reveal who has an account.
    return page(t("password.forgot_title"), "", notice=t("password.sent"))


@blueprint.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> ResponseReturnValue:
    svc = services()
    if reset_grant(svc, token) is None:
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
    if reset_password(svc, token, request.form["password"], request.remote_addr) is None:  # used in another tab
        return page(t("password.reset_title"), "", t("password.link_dead")), 410
    sessions.sign_out(svc.db)
    return redirect("/login?notice=password.changed")


@blueprint.route("/logout/everywhere", methods=["GET", "POST"])
def logout_everywhere() -> ResponseReturnValue:
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
    end_every_session(svc, principal, request.remote_addr)
    sessions.sign_out(svc.db)
    return redirect("/login?notice=logout.everywhere_done")


@blueprint.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str) -> ResponseReturnValue:
    svc = services()
    grant = invitation_grant(svc, token)
    if grant is None:
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
    try:
        member = accept_invitation(svc, token, name, request.form["password"], request.remote_addr)
    except AccountError as exc:
        return page(t("invite.title"), "", say(exc)), 409
    if member is None:
        return page(t("invite.title"), "", t("invite.link_dead")), 410
    sessions.sign_in(svc.db, member)
    return redirect("/")
