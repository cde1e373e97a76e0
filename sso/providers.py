"""Connecting and disconnecting an organization's OpenID Connect provider (administrators only, audited).

The client secret is stored encrypted like partner secrets; the issuer's address passes the same guard as a
partner's (no private or loopback address unless an administrator allows it)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from auth.principal import AccessDenied, Principal
from data.relational import audit, sso
from data.relational.meters import organization_name
from data.relational.sso import SsoSettings
from data.services import Services
from security import secrets
from security.outbound import outbound_url

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class Provider:
    """What the sign-in needs to talk to an organization's provider (the secret decrypted)."""

    name: str  # the provider's name in dash-auth's registry and in its URLs: org-<id>
    organization_id: int
    organization_name: str
    issuer: str
    client_id: str
    client_secret: str
    email_domain: str

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer.rstrip('/')}/.well-known/openid-configuration"


def provider_name(organization_id: int) -> str:
    return f"org-{organization_id}"


def organization_of(name: str) -> int | None:
    """The organization behind a provider name from a URL (``org-12`` → 12), None for anything else."""
    prefix, _, number = name.partition("-")
    return int(number) if prefix == "org" and number.isdecimal() else None


def _provider(services: Services, found: SsoSettings) -> Provider:
    return Provider(
        provider_name(found.organization_id), found.organization_id, found.organization_name, found.issuer,
        found.client_id, secrets.decrypt(services.settings, found.client_secret), found.email_domain,
    )


def provider(services: Services, organization_id: int) -> Provider | None:
    found = sso.for_organization(services.db, organization_id)
    return None if found is None else _provider(services, found)


def provider_for_email(services: Services, email: str) -> Provider | None:
    """The provider that signs in this address (by its domain), if its organization has one."""
    domain = email.strip().lower().rpartition("@")[2]
    found = sso.for_domain(services.db, domain) if domain else None
    return None if found is None else _provider(services, found)


def connect(
    services: Services,
    principal: Principal,
    organization_id: int,
    issuer: str,
    client_id: str,
    client_secret: str,
    email_domain: str,
    allow_private: bool = False,
) -> None:
    """Connect (or replace) an organization's provider. Raises ValueError with a reason a person can act on."""
    if principal.role != "admin":
        raise AccessDenied("only an administrator connects single sign-on")
    issuer = outbound_url(issuer, allow_private, "an OpenID Connect issuer's address").rstrip("/")
    client_id, email_domain = client_id.strip(), email_domain.strip().lower()
    if not client_id or len(client_id) > 200:
        raise ValueError("the client id is empty or longer than 200 characters")
    if not client_secret:
        raise ValueError("the client secret is empty")
    if not _DOMAIN.match(email_domain):
        raise ValueError(f"{email_domain!r} is not an email domain (e.g. example.ru)")
    owner = sso.domain_owner(services.db, email_domain)
    if owner is not None and owner != organization_id:
        raise ValueError(f"the domain {email_domain} already signs in through {organization_name(services.db, owner)}")
    had = sso.save(
        services.db, organization_id, issuer, client_id, secrets.encrypt(services.settings, client_secret),
        email_domain, allow_private,
    )
    audit.log(
        services, principal.email, "sso.connected", organization_name(services.db, organization_id),
        details={"issuer": issuer, "client_id": client_id, "domain": email_domain, "replaced": had},
    )


def disconnect(services: Services, principal: Principal, organization_id: int) -> bool:
    if principal.role != "admin":
        raise AccessDenied("only an administrator disconnects single sign-on")
    had = sso.remove(services.db, organization_id)
    if had:
        audit.log(services, principal.email, "sso.disconnected", organization_name(services.db, organization_id))
    return had
