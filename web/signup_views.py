"""Sign-up with INN and supply contract, the INN check the form calls as the user types, the waiting page."""

from __future__ import annotations

import logging
from html import escape

from flask import Blueprint, jsonify, redirect, request, session
from flask.typing import ResponseReturnValue

from auth.mail import MailUnavailable
from auth.signup import (
    SignupForm,
    SignupRefused,
    confirm_signup,
    confirmation_pending,
    inn_message,
    registry_clients,
    sign_up,
    signup_state,
)
from auth.throttle import within_rate
from context import sessions
from context.services import services
from i18n import t
from registries.http import RegistryUnavailable
from web.forms import csrf_field, field, page
from workers.jobs import enqueue_verification

blueprint = Blueprint("signup", __name__)
log = logging.getLogger(__name__)
INN_CHECKS_PER_MINUTE = 30

# Checks the INN as the user types (after a pause), through GET /api/v1/inn/<inn>.
INN_CHECK_JS = """
(function () {
  var input = document.getElementById('inn'), note = document.getElementById('inn-check'), timer;
  function show(text, cls) { note.textContent = text; note.className = 'form-text ' + cls; }
  input.addEventListener('input', function () {
    clearTimeout(timer);
    var inn = input.value.trim();
    if (inn.length < 10) { show('', ''); return; }
    timer = setTimeout(function () {
      fetch('/api/v1/inn/' + encodeURIComponent(inn)).then(function (r) { return r.json(); }).then(function (d) {
        if (!d.valid) { show(d.problem, 'text-danger'); return; }
        var reg = d.registry || {};
        if (reg.unavailable) { show(reg.unavailable, 'text-warning'); }
        else if (!reg.found) { show(d.messages.not_found, 'text-danger'); }
        else if (!reg.active) { show(reg.name + ' — ' + reg.status, 'text-danger'); }
        else { show(reg.name + ' · ' + d.messages.ogrn + ' ' + reg.ogrn, 'text-success'); }
      }).catch(function () { show('', ''); });
    }, 400);
  });
})();
"""
INN_SCRIPT = f"<script>{INN_CHECK_JS}</script>"


def _form_html(values: dict[str, str], problems: dict[str, str]) -> str:
    def f(name: str, kind: str = "text", **attrs: str) -> str:
        return field(name, t(f"signup.{name}"), values.get(name, ""), kind, problems.get(name), **attrs)

    return f"""<form method="post" action="/signup" novalidate>{csrf_field()}
    {f("email", "email", autocomplete="username")}
    {f("password", "password", autocomplete="new-password")}
    {f("full_name", autocomplete="name")}
    <div class="mb-3"><label class="form-label" for="inn">{t("signup.inn")}</label>
      <input class="form-control{" is-invalid" if problems.get("inn") else ""}" id="inn" name="inn" inputmode="numeric"
             maxlength="12" value="{escape(values.get("inn", ""), quote=True)}">
      <div id="inn-check" class="form-text">{escape(problems.get("inn", ""))}</div></div>
    {f("contract_number")}
    {f("supplier")}
    {f("contract_date", "date")}
    <button class="btn btn-primary w-100" id="signup-submit" type="submit">{t("signup.submit")}</button>
    </form><div class="mt-3 small"><a href="/login">{t("signup.have_account")}</a></div>{INN_SCRIPT}"""


@blueprint.route("/signup", methods=["GET", "POST"])
def signup() -> ResponseReturnValue:
    if request.method == "GET":
        return page(t("signup.title"), _form_html({}, {}), wide=True)
    values = {
        k: request.form.get(k, "")
        for k in ("email", "full_name", "inn", "contract_number", "supplier", "contract_date")
    }
    if not sessions.csrf_valid():
        return page(t("signup.title"), _form_html(values, {}), t("login.csrf"), wide=True), 400
    svc = services()
    form = SignupForm(password=request.form.get("password", ""), **values)
    try:
        sign_up(svc, form, request.remote_addr)
    except SignupRefused as exc:
        error = exc.problems.get("") or t("signup.fix_fields")
        return page(t("signup.title"), _form_html(values, exc.problems), error, wide=True), 422
    except MailUnavailable:
        return page(t("signup.title"), _form_html(values, {}), t("signup.mail_down"), wide=True), 503
    session["signup_sent_to"] = values["email"].strip().lower()
    return redirect("/signup/sent", code=303)


@blueprint.route("/signup/sent")
def sent() -> ResponseReturnValue:
    """The same page whether or not the address already had an account: what to do next is in the letter."""
    address = session.get("signup_sent_to", "")
    body = f"""<p id="signup-sent">{escape(t("signup.sent").format(email=address))}</p>
    <p class="small text-muted">{t("signup.sent_hint")}</p>
    <a class="btn btn-outline-primary w-100" href="/login">{t("login.submit")}</a>"""
    return page(t("signup.title"), body)


@blueprint.route("/signup/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str) -> ResponseReturnValue:
    """A GET (a mail program opening the link to look at it) only shows the button; the POST completes the sign-up."""
    svc = services()
    if not confirmation_pending(svc, token):
        return page(t("signup.title"), "", t("signup.link_dead")), 404
    form = f"""<form method="post">{csrf_field()}
    <button class="btn btn-primary w-100" id="signup-confirm" type="submit">{t("signup.confirm")}</button></form>"""
    if request.method == "GET":
        return page(t("signup.title"), form)
    if not sessions.csrf_valid():
        return page(t("signup.title"), form, t("login.csrf")), 400
    user, outcome = confirm_signup(svc, token, request.remote_addr, enqueue_verification)
    if user is None:
        return page(t("signup.title"), "", t(f"signup.confirm_{outcome}")), 409
    if outcome == "approved":
        sessions.sign_in(svc.db, user)
        return redirect("/")
    session["pending_user_id"] = user.id
    return redirect("/signup/status")


@blueprint.route("/signup/status")
def status() -> ResponseReturnValue:
    user_id = session.get("pending_user_id")
    pending = signup_state(services(), int(user_id)) if user_id else None
    if pending is None:
        return redirect("/login")
    if pending.status == "active":
        session.pop("pending_user_id", None)
        return page(
            t("signup.title"),
            f'<a class="btn btn-primary w-100" href="/login">{t("login.submit")}</a>',
            notice=t("signup.approved"),
        )
    if pending.status == "rejected":
        return page(t("signup.title"), "", t("signup.rejected").format(reason=pending.reason or "")), 403
    body = f"""<meta http-equiv="refresh" content="15">
    <div id="signup-state"><div class="spinner-border spinner-border-sm me-2"></div>{t("signup.pending")}</div>
    <p class="small text-muted mt-2" id="signup-reason">{escape(pending.reason or "")}</p>
    <p class="small">{t("signup.pending_hint")}</p>"""
    return page(t("signup.title"), body)


@blueprint.route("/api/v1/inn/<inn>")
def check_inn(inn: str) -> ResponseReturnValue:
    svc = services()
    if not within_rate(svc.redis, "inn", request.remote_addr or "?", INN_CHECKS_PER_MINUTE, 60):
        return jsonify(error=t("signup.too_many_checks")), 429
    messages = {"not_found": t("signup.inn_not_found"), "ogrn": t("signup.ogrn")}
    problem = inn_message(inn)
    if problem:
        return jsonify(inn=inn, valid=False, problem=problem, messages=messages)
    fns, _ = registry_clients(svc)
    try:
        company = fns.lookup(inn)
    except RegistryUnavailable as exc:
        return jsonify(
            inn=inn, valid=True, registry={"unavailable": t("signup.registry_down").format(why=exc)}, messages=messages
        )
    registry = (
        {"found": True, "name": company.name, "ogrn": company.ogrn, "status": company.status, "active": company.active}
        if company
        else {"found": False}
    )
    return jsonify(inn=inn, valid=True, problem=None, registry=registry, messages=messages)
