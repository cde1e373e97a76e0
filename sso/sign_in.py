"""Who an organization's provider says signed in, checked before Wattboard opens a session for them.

The ID token's signature, issuer, expiry and nonce are already checked by Authlib (through dash-auth); here the
token must also be meant for this organization's client (audience), the email must be verified by the provider,
belong to the organization's domain and be an active member of that organization. Roles stay Wattboard's: a
person the organization has not invited is not created, only told whom to ask."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from data.relational import audit, users
from data.services import Services
from sso.providers import Provider


class SignInRefused(Exception):
    """The provider's answer does not let this person in. ``reason`` names a message for the user."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def _audience_ok(claims: Mapping[str, Any], client_id: str) -> bool:
    aud = claims.get("aud")
    audiences = [aud] if isinstance(aud, str) else list(aud or [])
    if client_id not in audiences:
        return False
    return len(audiences) == 1 or claims.get("azp") == client_id


def _verified(claims: Mapping[str, Any]) -> bool:
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")


def check(services: Services, provider: Provider, claims: Mapping[str, Any]) -> Any:
    """The active member of ``provider``'s organization these claims prove, or :class:`SignInRefused`."""
    if claims.get("iss", "").rstrip("/") != provider.issuer.rstrip("/"):
        raise SignInRefused("sso.invalid_token", f"issuer {claims.get('iss')!r}")
    if not _audience_ok(claims, provider.client_id):
        raise SignInRefused("sso.invalid_token", f"audience {claims.get('aud')!r}, azp {claims.get('azp')!r}")
    email = str(claims.get("email") or "").strip().lower()
    if not email:
        raise SignInRefused("sso.no_email")
    if not _verified(claims):
        raise SignInRefused("sso.unverified", email)
    if email.rpartition("@")[2] != provider.email_domain:
        raise SignInRefused("sso.other_domain", email)
    user = users.user_by_email(services.db, email)
    if user is None or user.organization_id != provider.organization_id:
        raise SignInRefused("sso.unknown_user", email)
    if user.status != "active":
        raise SignInRefused("sso.not_active", email)
    return user


def accept(services: Services, provider: Provider, claims: Mapping[str, Any], address: str | None) -> Any:
    """Check the claims (see :func:`check`) and audit the outcome; returns the user to sign in."""
    try:
        user = check(services, provider, claims)
    except SignInRefused as refused:
        refuse(services, provider, refused, address)
        raise
    audit.log(services, user.email, "login.sso", provider.organization_name, ip=address,
              details={"issuer": provider.issuer})
    return user


def refuse(services: Services, provider: Provider, refused: SignInRefused, address: str | None) -> None:
    audit.log(
        services, refused.detail if "@" in refused.detail else "?", "login.sso_refused", provider.organization_name,
        ip=address, details={"reason": refused.reason, "detail": refused.detail[:300]},
    )
