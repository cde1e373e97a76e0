"""Creating and changing partners: validated configuration, an API key shown once, encrypted secrets."""

from __future__ import annotations

import re
import secrets as stdlib_secrets
from typing import Any

from pydantic import ValidationError

from config import Settings
from data import partners as partners_repo
from data.partners import PartnerError, PartnerRecord
from data.relational import Database
from partners import secrets
from partners.config import PartnerConfig

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$")
KEY_PREFIX = "wbp_"


def validate_config(raw: dict[str, Any]) -> PartnerConfig:
    try:
        return PartnerConfig(**raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'config'}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise PartnerError(problems) from None


def create(
    db: Database, settings: Settings, slug: str, name: str, config: dict[str, Any], secret: str | None = None
) -> tuple[PartnerRecord, str]:
    """Returns the partner and its push API key (shown once; only its hash is stored)."""
    if not SLUG.match(slug):
        raise PartnerError("the slug must be 3-60 lowercase letters, digits and dashes")
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


def update_config(db: Database, slug: str, config: dict[str, Any]) -> PartnerRecord:
    parsed = validate_config(config)
    return partners_repo.update_partner(db, slug, config=parsed.model_dump(mode="json"), format=parsed.format)
