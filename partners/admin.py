"""Creating and changing partners: validated configuration, an API key shown once, encrypted secrets."""

from __future__ import annotations

import re
import secrets as stdlib_secrets
from typing import Any

from pydantic import ValidationError

from auth.principal import AccessDenied, Principal
from config import Settings
from data.clickhouse.readings import devices_reported_by, meters_delivered_by
from data.relational import Database, audit
from data.relational import partners as partners_repo
from data.relational.devices import serials_by_ids
from data.relational.meters import meters_by_ids
from data.relational.models import IngestionBatch
from data.relational.partners import PartnerError, PartnerRecord
from data.services import Services
from partners.config import PartnerConfig
from partners.dead_letters import recent_letters
from security import secrets

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$")
KEY_PREFIX = "wbp_"
STAFF = ("admin", "operator")


def validate_config(raw: dict[str, Any]) -> PartnerConfig:
    try:
        return PartnerConfig(**raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'config'}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise PartnerError(problems, "config", problems=problems) from None


def create(
    db: Database, settings: Settings, slug: str, name: str, config: dict[str, Any], secret: str | None = None
) -> tuple[PartnerRecord, str]:
    """Returns the partner and its push API key (shown once; only its hash is stored)."""
    if not SLUG.match(slug):
        raise PartnerError("the slug must be 3-60 lowercase letters, digits and dashes", "slug")
    parsed = validate_config(config)
    key = KEY_PREFIX + stdlib_secrets.token_urlsafe(32)
    stored_secret = secrets.encrypt(settings, secret) if secret else None
    partner = partners_repo.create_partner(
        db,
        slug,
        name or slug,
        parsed.format,
        parsed.model_dump(mode="json"),
        partners_repo.hash_key(key),
        stored_secret,
    )
    return partner, key


def _staff(principal: Principal) -> None:
    if principal.role not in STAFF:
        raise AccessDenied("only administrators and operators manage partners")


def partner_by_key(services: Services, slug: str, key: str) -> PartnerRecord | None:
    """The enabled partner this push key belongs to (None for an unknown slug, a wrong key or a disabled partner)."""
    return partners_repo.partner_by_key(services.db, slug, key)


def partners_for(services: Services, principal: Principal) -> list[PartnerRecord]:
    """Every partner, for staff."""
    _staff(principal)
    return partners_repo.list_partners(services.db)


def partner_for(services: Services, principal: Principal, slug: str) -> PartnerRecord | None:
    _staff(principal)
    return partners_repo.partner_by_slug(services.db, slug)


def recent_batches(
    services: Services, principal: Principal, partner: PartnerRecord, limit: int = 20
) -> list[IngestionBatch]:
    """A partner's latest batches (pushes, imports, polls) with their counts, newest first."""
    _staff(principal)
    return partners_repo.batches(services.db, partner.id, limit)


def recent_rejections(
    services: Services, principal: Principal, partner: PartnerRecord, limit: int = 50
) -> list[dict[str, Any]]:
    """A partner's latest dead letters (reason, record, batch, when), newest first, for staff."""
    _staff(principal)
    return recent_letters(services, partner.slug, limit)


def create_partner(
    services: Services,
    principal: Principal,
    slug: str,
    name: str,
    config: dict[str, Any],
    secret: str | None = None,
    ip: str | None = None,
) -> tuple[PartnerRecord, str]:
    """The use case behind the page and ``wattboard partners create``: staff only, the partner created, the audit
    event recorded (format and the organization it serves; never the secret). Returns the partner and its key."""
    _staff(principal)
    if config.get("allow_private_network") and principal.role != "admin":
        raise AccessDenied("only administrators may let a partner reach private networks")
    partner, key = create(services.db, services.settings, slug, name, config, secret)
    audit.log(
        services,
        principal.email,
        "partner.create",
        target=partner.slug,
        ip=ip,
        details={"format": partner.format, "organization_inn": partner.config.get("organization_inn")},
    )
    return partner, key


def bind_delivered_points(services: Services) -> dict[str, int]:
    """Once per partner that predates confinement (its stored configuration has no ``meters``): bind it to every
    metering point it has delivered readings for, so that confinement stops no feed that worked. Returns how many
    points each partner was bound to."""
    bound: dict[str, int] = {}
    for slug, raw in partners_repo.raw_configs(services.db).items():
        if "meters" in raw:
            continue
        ids = meters_delivered_by(services.store, slug)
        codes = sorted(m.code for m in meters_by_ids(services.db, ids))
        update_config(services.db, slug, {**raw, "meters": codes})
        bound[slug] = len(codes)
    return bound


def bind_reported_devices(services: Services) -> dict[str, int]:
    """Once per partner that predates confined device reports (its stored configuration has no ``devices``): bind it
    to every device it has reported the state of, so that confinement stops no feed that worked. Returns how many
    devices each partner was bound to."""
    bound: dict[str, int] = {}
    for slug, raw in partners_repo.raw_configs(services.db).items():
        if "devices" in raw:
            continue
        serials = serials_by_ids(services.db, devices_reported_by(services.store, slug))
        update_config(services.db, slug, {**raw, "devices": serials})
        bound[slug] = len(serials)
    return bound


def bind_existing(services: Services) -> dict[str, tuple[int, int]]:
    """What ``wattboard migrate`` and ``wattboard up`` do once for partners made before confinement: slug → (points,
    devices) it was bound to."""
    points, devices = bind_delivered_points(services), bind_reported_devices(services)
    return {slug: (points.get(slug, 0), devices.get(slug, 0)) for slug in sorted(points.keys() | devices.keys())}


def update_config(db: Database, slug: str, config: dict[str, Any]) -> PartnerRecord:
    parsed = validate_config(config)
    return partners_repo.update_partner(db, slug, config=parsed.model_dump(mode="json"), format=parsed.format)
