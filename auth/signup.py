"""Sign-up with an INN and a supply contract, checked against the company and contract registries.

Outcomes: a registry refuses (unknown or liquidated company, a contract that is not this INN's or not active) →
nothing is stored and the user is told why; otherwise a letter goes to the address, and only the link in it creates
the account — active at once when the registries confirmed both, or ``pending`` while a registry is slow or down
(a queued job retries with backoff until it can decide, or an admin decides by hand). An address that already has an
account gets a letter saying so instead, and the page answers exactly as for a new one.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from auth import letters
from auth.inn import inn_problem
from auth.passwords import hash_password
from auth.throttle import within_rate
from auth.user_admin import REGISTRY_CHECK, settle_signup
from data.relational import audit, one_time_tokens, signups, users
from data.services import Services
from i18n import t
from registries.contracts import ContractsClient
from registries.fns import Company, FnsClient
from registries.http import RegistryUnavailable

log = logging.getLogger(__name__)
MIN_PASSWORD = 10
CONFIRM_WITHIN = dt.timedelta(hours=24)  # how long the link that completes a sign-up lives
SIGNUPS_PER_ADDRESS = 5  # an hour, per e-mail address (known or not: the same)
SIGNUPS_PER_CLIENT = 20  # an hour, per client address
MAX_PASSWORD = 256  # argon2 takes any length; a megabyte of "password" is an attack, not a password
# The longest each field may be: the column it is stored in (a longer value would be cut or, on PostgreSQL, refused).
MAX_LENGTH = {
    "email": users.column_length("email"),
    "full_name": users.column_length("full_name"),
    "contract_number": signups.contract_column_length("number"),
    "supplier": signups.contract_column_length("supplier"),
}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
INN_PROBLEMS = {  # what auth.inn finds → its words (err.inn.*)
    "INN must contain digits only": "digits",
    "wrong check digit": "check_digit",
    "INN has 10 digits (organization) or 12 (individual)": "length",
    "region code 00 does not exist": "region",
}


@dataclass(frozen=True)
class SignupForm:
    email: str
    password: str
    full_name: str
    inn: str
    contract_number: str
    supplier: str
    contract_date: str  # ISO date from the form


class SignupRefused(ValueError):
    """The form or the registries say no; ``problems`` maps a form field (or "" for the whole) to a message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class Verdict:
    state: str  # approved | refused | unavailable
    reasons: list[str] = field(default_factory=list)
    company: Company | None = None


def inn_message(inn: str) -> str | None:
    problem = inn_problem(inn)
    if not problem:
        return None
    return t(f"err.inn.{INN_PROBLEMS[problem]}") if problem in INN_PROBLEMS else problem


def form_problems(form: SignupForm) -> dict[str, str]:
    problems = too_long(form)
    if problems:
        return problems
    if not EMAIL.match(form.email.strip()):
        problems["email"] = t("err.signup.email")
    if len(form.password) < MIN_PASSWORD:
        problems["password"] = t("err.signup.password_short").format(n=MIN_PASSWORD)
    if not form.full_name.strip():
        problems["full_name"] = t("err.signup.name")
    if message := inn_message(form.inn.strip()):
        problems["inn"] = message
    if not form.contract_number.strip():
        problems["contract_number"] = t("err.signup.contract_number")
    if not form.supplier.strip():
        problems["supplier"] = t("err.signup.supplier")
    try:
        signed = dt.date.fromisoformat(form.contract_date)
        if signed > dt.date.today():
            problems["contract_date"] = t("err.signup.contract_future")
    except ValueError:
        problems["contract_date"] = t("err.signup.contract_date")
    return problems


def too_long(form: SignupForm) -> dict[str, str]:
    """Fields longer than their column (or an absurd password), each with the limit in the message."""
    problems = {
        name: t("err.signup.too_long").format(limit=limit, now=len(getattr(form, name)))
        for name, limit in MAX_LENGTH.items()
        if len(getattr(form, name).strip()) > limit
    }
    if len(form.password) > MAX_PASSWORD:
        problems["password"] = t("err.signup.password_long").format(n=MAX_PASSWORD)
    return problems


def registry_clients(services: Services) -> tuple[FnsClient, ContractsClient]:
    """Clients of the configured registries (or of the stand-ins ``wattboard up`` started)."""
    settings = services.settings
    fns_key = settings.fns_key.get_secret_value() if settings.fns_key else ""
    contracts_key = settings.contracts_key.get_secret_value() if settings.contracts_key else ""
    return FnsClient(services.fns_url or "", fns_key), ContractsClient(services.contracts_url or "", contracts_key)


def verify(
    fns: FnsClient, contracts: ContractsClient, inn: str, number: str, signed_on: dt.date, supplier: str
) -> Verdict:
    """Ask both registries; a definite no from either refuses, an unanswered question leaves it open."""
    try:
        company = fns.lookup(inn)
    except RegistryUnavailable as exc:
        return Verdict("unavailable", [str(exc)])
    if company is None:
        return Verdict("refused", [t("err.signup.inn_unknown").format(inn=inn)])
    if not company.active:
        status = t("err.signup.inn_closed").format(name=company.name, inn=inn, status=company.status)
        return Verdict("refused", [status], company)
    try:
        check = contracts.check(number, inn, signed_on, supplier)
    except RegistryUnavailable as exc:
        return Verdict("unavailable", [str(exc)], company)
    if not check.ok:
        return Verdict("refused", [t(f"err.contract.{check.reason}").format(number=check.number)], company)
    return Verdict("approved", [], company)


def sign_up(services: Services, form: SignupForm, address: str | None) -> None:
    """The use case behind ``/signup``: check the form and the registries, then write to the address — a link that
    completes the sign-up, or, when the address already has an account, a letter that says so. The answer on the page
    is the same either way, so the form tells nobody which addresses have accounts; both are throttled per address and
    per client. Raises :class:`SignupRefused` for what the form or the registries refuse (nothing is stored)."""
    email = form.email.strip().lower()
    try:
        _check(services, form, email, address)
    except SignupRefused as exc:
        audit.log(services, email or "?", "signup.refused", target=form.inn, ip=address,
                  details={"problems": exc.problems})
        raise
    if (existing := users.user_by_email(services.db, email)) is not None:
        letters.signup_existing_account(services.settings, email, letters.language_of(existing))
        audit.log(services, email, "signup.existing_address", target=form.inn, ip=address)
        return
    inn = form.inn.strip()
    verdict = verify(*registry_clients(services), inn, form.contract_number.strip(),
                     dt.date.fromisoformat(form.contract_date), form.supplier.strip())
    if verdict.state == "refused":
        audit.log(services, email, "signup.refused", target=inn, ip=address, details={"problems": verdict.reasons})
        raise SignupRefused({"": "; ".join(verdict.reasons)})
    company = verdict.company
    payload = {
        "email": email,
        "password_hash": hash_password(form.password),
        "full_name": form.full_name.strip(),
        "inn": inn,
        "organization_name": company.name if company else f"ИНН {inn}",
        "ogrn": company.ogrn if company else None,
        "contract_number": form.contract_number.strip(),
        "supplier": form.supplier.strip(),
        "signed_on": form.contract_date,
        "state": verdict.state,
        "reasons": verdict.reasons,
    }
    token = one_time_tokens.issue_token(services.db, "signup", email, CONFIRM_WITHIN, payload=payload)
    letters.signup_confirmation(services.settings, email, token, int(CONFIRM_WITHIN.total_seconds() // 3600))
    audit.log(services, email, "signup.confirmation_sent", target=inn, ip=address)


def _check(services: Services, form: SignupForm, email: str, address: str | None) -> None:
    """Throttles, then the form and the INN; raises :class:`SignupRefused`."""
    redis = services.redis
    if not (
        within_rate(redis, "signup-address", email, SIGNUPS_PER_ADDRESS, 3600)
        and within_rate(redis, "signup-client", address or "?", SIGNUPS_PER_CLIENT, 3600)
    ):
        raise SignupRefused({"": t("err.signup.throttled")})
    problems = form_problems(form)
    if problems:
        raise SignupRefused(problems)
    if signups.inn_taken(services.db, form.inn.strip()):
        raise SignupRefused(
            {"inn": t("err.signup.inn_taken")}
        )


def confirmation_pending(services: Services, token: str) -> bool:
    """Whether a confirmation link is live (unused and not expired)."""
    return one_time_tokens.peek_token(services.db, "signup", token) is not None


def confirm_signup(
    services: Services, token: str, address: str | None, queue_check: Callable[[Services, int], object]
) -> tuple[Any, str]:
    """The address is confirmed: create the organization, its contract and its owner as the registries said (active
    at once, or pending while a registry did not answer — then the check is queued with ``queue_check``, the jobs'
    own, passed by the caller). Returns the user (None when the link is dead or the address or INN was taken
    meanwhile) and what happened: approved | pending | expired | taken."""
    grant = one_time_tokens.use_token(services.db, "signup", token)
    if grant is None or not grant.payload:
        return None, "expired"
    p = grant.payload
    if users.user_by_email(services.db, grant.email) is not None or signups.inn_taken(services.db, p["inn"]):
        return None, "taken"
    approved = p["state"] == "approved"
    signup = signups.NewSignup(
        email=grant.email,
        password_hash=p["password_hash"],
        full_name=p["full_name"],
        inn=p["inn"],
        organization_name=p["organization_name"],
        kind="household" if len(p["inn"]) == 12 else "business",
        contract_number=p["contract_number"],
        supplier=p["supplier"],
        signed_on=dt.date.fromisoformat(p["signed_on"]),
    )
    reason = None if approved else t("err.signup.registry_pending") + "; ".join(p["reasons"])
    user_id = signups.create_signup(services.db, signup, "active" if approved else "pending", reason)
    if approved:
        details = {"name": p["organization_name"], "ogrn": p["ogrn"]} if p.get("ogrn") else {}
        audit.log(services, grant.email, "signup.approved", target=p["inn"], ip=address, details=details)
    else:
        audit.log(services, grant.email, "signup.pending", target=p["inn"], ip=address, details={"why": p["reasons"]})
        try:
            queue_check(services, user_id)
        except Exception as exc:  # noqa: BLE001 - the queue being down must not lose the sign-up: admins see it
            log.warning("verification of user %s not queued: %s", user_id, exc)
    return users.user_by_id(services.db, user_id), "approved" if approved else "pending"


def signup_state(services: Services, user_id: int) -> signups.PendingSignup | None:
    """Where a sign-up stands (pending with its reason, active, rejected), for its waiting page."""
    return signups.pending_signup(services.db, user_id)


def recheck_signup(services: Services, user_id: int) -> str:
    """The registry-check job's use case: ask the registries again about a pending sign-up and settle it (the
    change, the audit event and the letter, as an administrator would). Raises ``RegistryUnavailable`` while a
    registry cannot answer (the job is retried); returns what happened."""
    pending = signups.pending_signup(services.db, user_id)
    if pending is None or pending.status != "pending":
        return "settled already"
    fns, contracts = registry_clients(services)
    verdict = verify(fns, contracts, pending.inn, pending.contract_number, pending.signed_on, pending.supplier)
    if verdict.state == "unavailable":
        signups.note_verification_delay(
            services.db, user_id, t("err.signup.registry_pending") + "; ".join(verdict.reasons)
        )
        raise RegistryUnavailable("; ".join(verdict.reasons))
    approved = verdict.state == "approved"
    reason = None if approved else "; ".join(verdict.reasons)
    name = verdict.company.name if verdict.company else None
    ogrn = verdict.company.ogrn if verdict.company else None
    settle_signup(services, REGISTRY_CHECK, user_id, approved, reason, name, details={"ogrn": ogrn})
    return "approved" if approved else "rejected"
