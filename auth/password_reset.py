"""A forgotten password and ending every session: the use cases behind ``/password/forgot``,
``/password/reset/<token>`` and ``/logout/everywhere``. Each owns the check, the change, the audit event and the
letter; the views only render and open or close the session."""

from __future__ import annotations

import datetime as dt

from auth.letters import password_reset
from auth.mail import MailUnavailable
from auth.passwords import hash_password
from auth.principal import Principal
from auth.throttle import within_rate
from data.relational import audit, one_time_tokens, people, users
from data.relational.one_time_tokens import TokenGrant
from data.services import Services

RESET_LIFETIME = dt.timedelta(minutes=60)
RESETS_PER_WINDOW, RESET_WINDOW_S = 5, 900


def request_reset(services: Services, email: str, address: str | None) -> None:
    """Email a single-use reset link to an active account of that address. The caller answers the same whether or
    not the address is known; raises :class:`MailUnavailable` (audited) when the letter cannot be sent."""
    email = email.strip().lower()
    if not within_rate(services.redis, "reset", f"{address}|{email}", RESETS_PER_WINDOW, RESET_WINDOW_S):
        return
    user = users.user_by_email(services.db, email)
    if user is None or user.status != "active":
        return
    token = one_time_tokens.issue_token(services.db, "reset", user.email, RESET_LIFETIME, user_id=user.id)
    try:
        password_reset(services.settings, user.email, token, int(RESET_LIFETIME.total_seconds() // 60), user.language)
    except MailUnavailable as exc:
        audit.log(services, user.email, "password.reset_mail_failed", ip=address, details={"error": str(exc)})
        raise
    audit.log(services, user.email, "password.reset_requested", ip=address)


def reset_grant(services: Services, token: str) -> TokenGrant | None:
    """Who a live reset link is for (None for an unknown, used or expired link)."""
    grant = one_time_tokens.peek_token(services.db, "reset", token)
    return grant if grant is not None and grant.user_id is not None else None


def reset_password(services: Services, token: str, password: str, address: str | None) -> str | None:
    """Use the link once and set the new password (every session of the person ends); the email, or None when the
    link died meanwhile (another tab)."""
    grant = one_time_tokens.use_token(services.db, "reset", token)
    if grant is None or grant.user_id is None:
        return None
    email = people.set_password(services.db, grant.user_id, hash_password(password))
    audit.log(services, email, "password.reset", ip=address)
    return email


def end_every_session(services: Services, principal: Principal, address: str | None) -> int:
    """End every browser session of the caller; returns how many were live."""
    ended = people.end_all_sessions(services.db, principal.user_id)
    audit.log(services, principal.email, "logout.everywhere", ip=address, details={"sessions": ended})
    return ended
