"""Signing in with a password and choosing the interface language: the use cases behind ``/login`` and
``/lang/<code>``. Each owns the throttle, the check, the audit event; the view only opens the session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auth.passwords import verify_password
from auth.principal import Principal
from auth.throttle import LoginThrottle
from data.relational import audit, users
from data.services import Services


@dataclass(frozen=True)
class LoginResult:
    """``outcome``: ``ok`` (open a session for ``user``), ``pending`` (the sign-up waits for its checks),
    ``inactive`` (rejected or blocked: ``user.status``), ``failed`` or ``locked`` (for ``minutes``)."""

    outcome: str
    user: Any = None
    minutes: int = 0


def throttle(services: Services) -> LoginThrottle:
    settings = services.settings
    return LoginThrottle(services.redis, settings.login_max_failures, settings.lockout_minutes * 60)


def password_login(services: Services, email: str, password: str, address: str) -> LoginResult:
    """Check an email and password under the throttle (per account and per address) and audit the outcome."""
    email = email.strip().lower()
    guard = throttle(services)
    wait_s = guard.locked_for(email, address)
    if wait_s:
        audit.log(services, email or "?", "login.locked_out", ip=address)
        return LoginResult("locked", minutes=max(1, (wait_s + 59) // 60))
    user = users.user_by_email(services.db, email)
    if user is None or not verify_password(user.password_hash, password):
        locked = guard.failed(email, address)
        audit.log(services, email or "?", "login.failed", ip=address, details={"locked": locked})
        if locked:
            return LoginResult("locked", minutes=services.settings.lockout_minutes)
        return LoginResult("failed")
    guard.succeeded(email)
    if user.status == "pending":
        return LoginResult("pending", user)
    if user.status != "active":
        return LoginResult("inactive", user)
    audit.log(services, user.email, "login", ip=address)
    return LoginResult("ok", user)


def remember_language(services: Services, principal: Principal | None, code: str) -> None:
    """Keep the chosen interface language with the account (the session keeps it for anyone)."""
    if principal is not None:
        users.set_language(services.db, principal.user_id, code)
