"""Administrators' decisions about people, one use case each: change a role, block or unblock, settle a sign-up.

Each owns the permission check, the change, the audit event and the letter; the admin page, the registry-check job
and the CLI call only these. The registry check acts as :data:`REGISTRY_CHECK`.
"""

from __future__ import annotations

import logging
from typing import Any

from auth.letters import language_of, verification_result
from auth.mail import MailUnavailable
from auth.passwords import hash_password
from auth.principal import AccessDenied, Principal
from data.relational import audit, people, signups, tokens, users
from data.relational.models import AuditEvent
from data.relational.organizations import OrganizationRow, organizations_with_contracts
from data.services import Services

log = logging.getLogger(__name__)
AccountError = people.AccountError
STAFF = ("admin", "operator")
REGISTRY_CHECK = Principal(0, "registry-check", "admin", None)  # the job that checks sign-ups against registries


def _admin(principal: Principal) -> None:
    if principal.role != "admin":
        raise AccessDenied("only administrators change accounts")


def _staff(principal: Principal) -> None:
    if principal.role not in STAFF:
        raise AccessDenied("only staff see accounts")


def find_people(
    services: Services, principal: Principal, search: str, role: str | None, status: str | None
) -> tuple[list[people.UserRow], int]:
    """The people staff look for (by email or name, role and status) and how many sign-ups wait for a decision."""
    _staff(principal)
    return people.list_users(services.db, search, role, status), people.count_users(services.db, "pending")


def organizations(services: Services, principal: Principal, search: str) -> list[OrganizationRow]:
    _staff(principal)
    return organizations_with_contracts(services.db, search)


def audit_log(services: Services, principal: Principal, search: str) -> list[AuditEvent]:
    _staff(principal)
    return audit.audit_events(services.db, search)


def create_user(
    services: Services, principal: Principal, email: str, password: str, role: str, org_inn: str | None = None
) -> Any:
    """Create a person directly (``wattboard users create``): administrators only, audited. Raises ``UserError``
    (an address taken, a consumer without an organization) or ``WeakPassword``."""
    _admin(principal)
    user = users.create_user(services.db, email, hash_password(password), role, org_inn)
    audit.log(services, principal.email, "user.created", target=user.email, details={"role": role, "inn": org_inn})
    return user


def issue_api_token(services: Services, principal: Principal, email: str) -> str:
    """A personal API token for a person, returned once and stored as a hash: administrators only, audited."""
    _admin(principal)
    user = users.user_by_email(services.db, email.strip().lower())
    if user is None:
        raise people.AccountError(f"no user {email}")
    token = tokens.issue_token(services.db, user.id)
    audit.log(services, principal.email, "token.issued", target=user.email)
    return token


def change_role(services: Services, principal: Principal, user_id: int, role: str, ip: str | None = None) -> str:
    """Give a person another role; returns their email."""
    _admin(principal)
    email = people.change_user(services.db, user_id, role=role)
    audit.log(services, principal.email, "user.role", target=email, ip=ip, details={"role": role})
    return email


def set_blocked(
    services: Services, principal: Principal, user_id: int, blocked: bool, reason: str, ip: str | None = None
) -> str:
    """Block a person (their sessions end) or let them in again, with the reason; returns their email."""
    _admin(principal)
    status = "blocked" if blocked else "active"
    email = people.change_user(services.db, user_id, status=status, reason=reason)
    audit.log(services, principal.email, f"user.{status}", target=email, ip=ip, details={"reason": reason})
    return email


def settle_signup(
    services: Services,
    principal: Principal,
    user_id: int,
    approved: bool,
    reason: str | None,
    organization_name: str | None = None,
    ip: str | None = None,
    details: dict[str, object] | None = None,
) -> str:
    """Approve or reject a pending sign-up: the account, the audit event (by hand or by the registry check) and the
    letter that tells the person (a letter that cannot be sent does not undo the decision). Returns their email."""
    _admin(principal)
    email = signups.settle_signup(services.db, user_id, approved, reason, organization_name)
    outcome = "approved" if approved else "rejected"
    action = f"signup.{outcome}" if principal is REGISTRY_CHECK else f"signup.{outcome}_by_hand"
    audit.log(services, principal.email, action, target=email, ip=ip, details={"reason": reason, **(details or {})})
    try:
        lang = language_of(users.user_by_email(services.db, email))
        verification_result(services.settings, email, approved, reason, lang)
    except MailUnavailable as exc:
        log.warning("verification letter to %s not sent: %s", email, exc)
    return email
