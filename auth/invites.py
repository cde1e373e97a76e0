"""An organization's members, and its owner inviting people: a single-use link by email, valid for a week."""

from __future__ import annotations

import datetime as dt
from typing import Any

from auth.letters import invitation, invitation_existing_account, language_of
from auth.passwords import hash_password
from auth.principal import AccessDenied, Principal
from auth.signup import EMAIL
from auth.throttle import within_rate
from data.relational import audit, one_time_tokens, people, users
from data.relational.meters import organization_name
from data.relational.one_time_tokens import TokenGrant
from data.relational.people import AccountError
from data.services import Services
from i18n import t

INVITE_LIFETIME = dt.timedelta(days=7)
INVITES_PER_ADDRESS = 3  # an hour, per invited address
INVITES_PER_SENDER = 30  # an hour, per owner
__all__ = ["AccountError", "accept_invitation", "invitation_grant", "invite", "own_organization"]


def own_organization(services: Services, principal: Principal) -> tuple[str, list[people.UserRow]] | None:
    """The caller's organization: its name and its members (None for someone in no organization)."""
    if principal.organization_id is None:
        return None
    org_id = principal.organization_id
    return organization_name(services.db, org_id), people.members(services.db, org_id)


def invite(services: Services, principal: Principal, email: str, organization_id: int) -> None:
    """Send an invitation; only the organization's owner (or an admin) may. Raises ValueError on a bad address."""
    if not (principal.role == "admin" or (principal.is_owner and principal.organization_id == organization_id)):
        raise AccessDenied("only the organization's owner invites people")
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise ValueError(t("err.signup.email"))
    if not (
        within_rate(services.redis, "invite-address", email, INVITES_PER_ADDRESS, 3600)
        and within_rate(services.redis, "invite-sender", principal.email, INVITES_PER_SENDER, 3600)
    ):
        raise ValueError(t("err.invite.throttled"))
    name = organization_name(services.db, organization_id)
    if (existing := users.user_by_email(services.db, email)) is not None:  # told to that address, never to the inviter
        invitation_existing_account(services.settings, email, name, principal.email, language_of(existing))
    else:
        token = one_time_tokens.issue_token(
            services.db, "invite", email, INVITE_LIFETIME, organization_id=organization_id, created_by=principal.email
        )
        invitation(services.settings, email, token, name, principal.email, INVITE_LIFETIME.days)
    audit.log(services, principal.email, "invite.sent", target=email, details={"organization_id": organization_id})


def invitation_grant(services: Services, token: str) -> TokenGrant | None:
    """Whom a live invitation link is for and to which organization (None for an unknown, used or expired link)."""
    grant = one_time_tokens.peek_token(services.db, "invite", token)
    return grant if grant is not None and grant.organization_id is not None else None


def accept_invitation(services: Services, token: str, full_name: str, password: str, address: str | None) -> Any:
    """Use the link once and make the person a member (a consumer of that organization); returns the new user, or
    None when the link died meanwhile. Raises :class:`AccountError` when the address got an account meanwhile."""
    grant = one_time_tokens.use_token(services.db, "invite", token)
    if grant is None or grant.organization_id is None:
        return None
    people.add_member(services.db, grant.email, hash_password(password), full_name.strip(), grant.organization_id)
    audit.log(services, grant.email, "invite.accepted", target=str(grant.organization_id), ip=address)
    return users.user_by_email(services.db, grant.email)
