"""Partners, their ingestion batches (provenance) and cumulative-register state."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from data.relational import Database
from data.relational.models import IngestionBatch, MeteringPoint, Organization, Partner, RegisterState


class PartnerError(ValueError):
    """A partner cannot be created or changed as asked; the message says why, and ``code`` with ``params`` let the
    interface say it in the reader's words (``partners.err.<code>``)."""

    def __init__(self, message: str, code: str | None = None, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class PartnerRecord:
    id: int
    slug: str
    name: str
    format: str
    config: dict[str, Any]
    secret: str | None
    enabled: bool
    last_polled_at: dt.datetime | None


def _record(p: Partner) -> PartnerRecord:
    return PartnerRecord(p.id, p.slug, p.name, p.format, dict(p.config or {}), p.secret, p.enabled, p.last_polled_at)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_partner(
    db: Database, slug: str, name: str, fmt: str, config: dict[str, Any], api_key_hash: str, secret: str | None
) -> PartnerRecord:
    with db.session() as s:
        if s.scalar(select(Partner).where(Partner.slug == slug)):
            raise PartnerError(f"a partner {slug!r} already exists", "exists", slug=slug)
        partner = Partner(slug=slug, name=name, format=fmt, config=config, api_key_hash=api_key_hash, secret=secret)
        s.add(partner)
        s.flush()
        return _record(partner)


def update_partner(db: Database, slug: str, **changes: Any) -> PartnerRecord:
    with db.session() as s:
        partner = s.scalar(select(Partner).where(Partner.slug == slug))
        if partner is None:
            raise PartnerError(f"no partner {slug!r}")
        for key, value in changes.items():
            setattr(partner, key, value)
        return _record(partner)


def partner_by_slug(db: Database, slug: str) -> PartnerRecord | None:
    with db.session() as s:
        partner = s.scalar(select(Partner).where(Partner.slug == slug))
        return _record(partner) if partner else None


def partner_by_key(db: Database, slug: str, key: str) -> PartnerRecord | None:
    with db.session() as s:
        partner = s.scalar(select(Partner).where(Partner.slug == slug, Partner.api_key_hash == hash_key(key)))
        return _record(partner) if partner and partner.enabled else None


def list_partners(db: Database) -> list[PartnerRecord]:
    with db.session() as s:
        return [_record(p) for p in s.scalars(select(Partner).order_by(Partner.slug))]


def record_batch(
    db: Database,
    batch_id: str,
    partner_id: int,
    source: str,
    digest: str,
    payload_bytes: int,
    records: int,
    accepted: int,
    rejected: int,
    file_name: str | None = None,
    error: str | None = None,
) -> None:
    with db.session() as s:
        s.add(
            IngestionBatch(
                id=batch_id,
                partner_id=partner_id,
                source=source,
                payload_sha256=digest,
                payload_bytes=payload_bytes,
                file_name=file_name,
                records=records,
                accepted=accepted,
                rejected=rejected,
                error=error,
            )
        )


def first_batch_with_digest(db: Database, partner_id: int, digest: str) -> IngestionBatch | None:
    """The earliest batch of this partner with the same payload SHA-256: a re-import reuses its version."""
    with db.session() as s:
        stmt = (
            select(IngestionBatch)
            .where(
                IngestionBatch.partner_id == partner_id,
                IngestionBatch.payload_sha256 == digest,
                IngestionBatch.error.is_(None),
            )
            .order_by(IngestionBatch.received_at)
            .limit(1)
        )
        return s.scalar(stmt)


def batches(db: Database, partner_id: int, limit: int = 50) -> list[IngestionBatch]:
    with db.session() as s:
        stmt = (
            select(IngestionBatch)
            .where(IngestionBatch.partner_id == partner_id)
            .order_by(IngestionBatch.received_at.desc())
            .limit(limit)
        )
        return list(s.scalars(stmt))


def register_states(db: Database, partner_id: int, codes: list[str]) -> dict[str, tuple[int, float]]:
    with db.session() as s:
        rows = s.scalars(
            select(RegisterState).where(RegisterState.partner_id == partner_id, RegisterState.meter_code.in_(codes))
        )
        return {r.meter_code: (r.last_ts, r.last_value) for r in rows}


def save_register_states(db: Database, partner_id: int, states: dict[str, tuple[int, float]]) -> None:
    with db.session() as s:
        for code, (ts, value) in states.items():
            row = s.get(RegisterState, (partner_id, code))
            if row is None:
                s.add(RegisterState(partner_id=partner_id, meter_code=code, last_ts=ts, last_value=value))
            elif ts >= row.last_ts:
                row.last_ts, row.last_value = ts, value


def existing_meter_codes(db: Database, codes: list[str]) -> dict[str, str]:
    """The metering points these codes name, compared without regard to case: lower-case code → the code as stored."""
    lowered = sorted({code.lower() for code in codes})
    if not lowered:
        return {}
    with db.session() as s:
        stored = s.scalars(select(MeteringPoint.code).where(func.lower(MeteringPoint.code).in_(lowered)))
        return {code.lower(): code for code in stored}


def raw_configs(db: Database) -> dict[str, dict[str, Any]]:
    """Every partner's stored configuration as saved (a missing key tells which version wrote it)."""
    with db.session() as s:
        return {p.slug: dict(p.config or {}) for p in s.scalars(select(Partner))}


def codes_of_organization(db: Database, codes: list[str], organization_inn: str | None) -> set[str]:
    """Which of these metering points belong to the organization with this INN."""
    if not organization_inn or not codes:
        return set()
    with db.session() as s:
        stmt = (
            select(MeteringPoint.code)
            .join(Organization, Organization.id == MeteringPoint.organization_id)
            .where(MeteringPoint.code.in_(codes), Organization.inn == organization_inn)
        )
        return set(s.scalars(stmt))


def create_metering_points(
    db: Database, codes: list[str], organization_inn: str, timezone: str, names: list[str] | None = None
) -> None:
    """Metering points first seen from a partner, owned by the partner's organization."""
    with db.session() as s:
        org = s.scalar(select(Organization).where(Organization.inn == organization_inn))
        if org is None:
            raise PartnerError(f"no organization with INN {organization_inn} for new metering points")
        lowered = [code.lower() for code in codes]
        stored = s.scalars(select(MeteringPoint.code).where(func.lower(MeteringPoint.code).in_(lowered)))
        known = {c.lower() for c in stored}
        for code, name in zip(codes, names or codes, strict=True):
            if code.lower() not in known:
                s.add(MeteringPoint(code=code, name=name[:200], organization_id=org.id, timezone=timezone))
                known.add(code.lower())
