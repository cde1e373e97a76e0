"""Sign-up with an INN and a supply contract, checked against the company and contract registries.

Outcomes: the registries confirm both → the account is active at once; a registry refuses (unknown or
liquidated company, a contract that is not this INN's or not active) → nothing is stored and the user is
told why; a registry is slow or down → nothing is approved silently: the account waits in ``pending``
and a queued job retries with backoff until it can decide, or an admin decides by hand.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from auth.inn import inn_problem
from auth.passwords import hash_password
from auth.user_admin import REGISTRY_CHECK, settle_signup
from data import audit, signups, users
from data.relational import Database
from data.services import Services
from registries.contracts import ContractsClient
from registries.fns import Company, FnsClient
from registries.http import RegistryUnavailable

log = logging.getLogger(__name__)
MIN_PASSWORD = 10
MAX_PASSWORD = 256  # argon2 takes any length; a megabyte of "password" is an attack, not a password
# The longest each field may be: the column it is stored in (a longer value would be cut or, on PostgreSQL, refused).
MAX_LENGTH = {
    "email": users.column_length("email"),
    "full_name": users.column_length("full_name"),
    "contract_number": signups.contract_column_length("number"),
    "supplier": signups.contract_column_length("supplier"),
}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
INN_PROBLEMS_RU = {
    "INN must contain digits only": "ИНН состоит только из цифр",
    "wrong check digit": "контрольное число ИНН не сходится — проверьте цифры",
    "INN has 10 digits (organization) or 12 (individual)": "ИНН организации — 10 цифр, ИНН физлица или ИП — 12",
    "region code 00 does not exist": "первые две цифры ИНН — код региона, а региона 00 нет",
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
    return INN_PROBLEMS_RU.get(problem, problem) if problem else None


def form_problems(form: SignupForm) -> dict[str, str]:
    problems = too_long(form)
    if problems:
        return problems
    if not EMAIL.match(form.email.strip()):
        problems["email"] = "укажите адрес электронной почты"
    if len(form.password) < MIN_PASSWORD:
        problems["password"] = f"пароль — не короче {MIN_PASSWORD} символов"
    if not form.full_name.strip():
        problems["full_name"] = "укажите имя"
    if message := inn_message(form.inn.strip()):
        problems["inn"] = message
    if not form.contract_number.strip():
        problems["contract_number"] = "укажите номер договора энергоснабжения"
    if not form.supplier.strip():
        problems["supplier"] = "укажите поставщика электроэнергии"
    try:
        signed = dt.date.fromisoformat(form.contract_date)
        if signed > dt.date.today():
            problems["contract_date"] = "дата договора не может быть в будущем"
    except ValueError:
        problems["contract_date"] = "укажите дату договора"
    return problems


def too_long(form: SignupForm) -> dict[str, str]:
    """Fields longer than their column (or an absurd password), each with the limit in the message."""
    problems = {
        name: f"не длиннее {limit} символов (сейчас {len(getattr(form, name))})"
        for name, limit in MAX_LENGTH.items()
        if len(getattr(form, name).strip()) > limit
    }
    if len(form.password) > MAX_PASSWORD:
        problems["password"] = f"пароль — не длиннее {MAX_PASSWORD} символов"
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
        return Verdict("refused", [f"ИНН {inn} не найден в реестре ФНС"])
    if not company.active:
        return Verdict("refused", [f"{company.name} (ИНН {inn}): статус в реестре — «{company.status}»"], company)
    try:
        check = contracts.check(number, inn, signed_on, supplier)
    except RegistryUnavailable as exc:
        return Verdict("unavailable", [str(exc)], company)
    if not check.ok:
        return Verdict("refused", [check.reason], company)
    return Verdict("approved", [], company)


def register(db: Database, form: SignupForm, fns: FnsClient, contracts: ContractsClient) -> tuple[int, Verdict]:
    """Create the account as the registries allow; raises :class:`SignupRefused` when nothing may be stored."""
    problems = form_problems(form)
    if problems:
        raise SignupRefused(problems)
    inn, email = form.inn.strip(), form.email.strip().lower()
    if users.user_by_email(db, email) is not None:
        raise SignupRefused({"email": "этот адрес уже зарегистрирован — войдите или восстановите пароль"})
    if signups.inn_taken(db, inn):
        raise SignupRefused(
            {"inn": "организация с этим ИНН уже зарегистрирована — попросите её владельца пригласить вас"}
        )
    signed_on = dt.date.fromisoformat(form.contract_date)
    verdict = verify(fns, contracts, inn, form.contract_number.strip(), signed_on, form.supplier.strip())
    if verdict.state == "refused":
        raise SignupRefused({"": "; ".join(verdict.reasons)})
    approved = verdict.state == "approved"
    signup = signups.NewSignup(
        email=email,
        password_hash=hash_password(form.password),
        full_name=form.full_name.strip(),
        inn=inn,
        organization_name=verdict.company.name if verdict.company else f"ИНН {inn}",
        kind="household" if len(inn) == 12 else "business",
        contract_number=form.contract_number.strip(),
        supplier=form.supplier.strip(),
        signed_on=signed_on,
    )
    reason = None if approved else "проверка ожидает ответа реестра: " + "; ".join(verdict.reasons)
    user_id = signups.create_signup(db, signup, "active" if approved else "pending", reason)
    return user_id, verdict


def sign_up(
    services: Services, form: SignupForm, address: str | None, queue_check: Callable[[Services, int], object]
) -> tuple[Any, Verdict]:
    """The use case behind ``/signup``: register as the registries allow (see :func:`register`), audit the outcome
    and, when a registry did not answer, queue the check with ``queue_check`` (the jobs' own, passed by the caller:
    ``auth`` does not import ``workers``). Returns the user and the verdict; raises :class:`SignupRefused`."""
    fns, contracts = registry_clients(services)
    try:
        user_id, verdict = register(services.db, form, fns, contracts)
    except SignupRefused as exc:
        audit.log(services, form.email or "?", "signup.refused", target=form.inn, ip=address,
                  details={"problems": exc.problems})
        raise
    email = form.email.strip().lower()
    if verdict.state == "approved":
        company = verdict.company
        details = {"name": company.name, "ogrn": company.ogrn} if company else {}
        audit.log(services, email, "signup.approved", target=form.inn, ip=address, details=details)
    else:
        audit.log(services, email, "signup.pending", target=form.inn, ip=address, details={"why": verdict.reasons})
        try:
            queue_check(services, user_id)
        except Exception as exc:  # noqa: BLE001 - the queue being down must not lose the sign-up: admins see it
            log.warning("verification of user %s not queued: %s", user_id, exc)
    return users.user_by_id(services.db, user_id), verdict


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
            services.db, user_id, "проверка ожидает ответа реестра: " + "; ".join(verdict.reasons)
        )
        raise RegistryUnavailable("; ".join(verdict.reasons))
    approved = verdict.state == "approved"
    reason = None if approved else "; ".join(verdict.reasons)
    name = verdict.company.name if verdict.company else None
    ogrn = verdict.company.ogrn if verdict.company else None
    settle_signup(services, REGISTRY_CHECK, user_id, approved, reason, name, details={"ogrn": ogrn})
    return "approved" if approved else "rejected"
