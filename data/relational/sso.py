"""Organizations' single sign-on settings (table ``organization_sso``): one OpenID Connect provider per
organization, found by the organization or by the email domain its members sign in with."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, select

from data.relational import Database, rows_changed
from data.relational.models import Organization, OrganizationSso


@dataclass(frozen=True)
class SsoSettings:
    organization_id: int
    organization_name: str
    issuer: str
    client_id: str
    client_secret: str  # encrypted (security.secrets)
    email_domain: str
    allow_private: bool


def _settings(row: OrganizationSso, org_name: str) -> SsoSettings:
    return SsoSettings(
        row.organization_id, org_name, row.issuer, row.client_id, row.client_secret, row.email_domain,
        bool(row.allow_private),
    )


def _one(db: Database, condition: ColumnElement[bool]) -> SsoSettings | None:
    with db.session() as s:
        found = s.execute(
            select(OrganizationSso, Organization.name)
            .join(Organization, Organization.id == OrganizationSso.organization_id)
            .where(condition)
        ).first()
        return None if found is None else _settings(found[0], found[1])


def for_organization(db: Database, organization_id: int) -> SsoSettings | None:
    return _one(db, OrganizationSso.organization_id == organization_id)


def for_domain(db: Database, email_domain: str) -> SsoSettings | None:
    return _one(db, OrganizationSso.email_domain == email_domain.lower())


def domain_owner(db: Database, email_domain: str) -> int | None:
    """The organization that signs in the addresses of this domain, if any."""
    found = for_domain(db, email_domain)
    return None if found is None else found.organization_id


def save(
    db: Database, organization_id: int, issuer: str, client_id: str, encrypted_secret: str, email_domain: str,
    allow_private: bool,
) -> bool:
    """Store an organization's provider (replacing the one it had); returns whether it had one."""
    with db.session() as s:
        row = s.get(OrganizationSso, organization_id)
        had = row is not None
        if row is None:
            row = OrganizationSso(organization_id=organization_id)
            s.add(row)
        row.issuer, row.client_id, row.client_secret = issuer, client_id, encrypted_secret
        row.email_domain, row.allow_private = email_domain.lower(), allow_private
        return had


def remove(db: Database, organization_id: int) -> bool:
    with db.session() as s:
        done = s.execute(delete(OrganizationSso).where(OrganizationSso.organization_id == organization_id))
        return rows_changed(done) > 0
