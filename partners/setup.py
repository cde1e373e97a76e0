"""The guided set-up of a partner: a sample (uploaded, or fetched from the pull address), what Wattboard proposes
from it (:mod:`partners.sniff`), the configuration the operator's choices make, and a live preview of what that
configuration would store and refuse — nothing is saved until the partner is created (``admin.create_partner``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from auth.principal import AccessDenied, Principal
from data.relational.organizations import organizations_with_contracts
from data.relational.partners import PartnerRecord
from data.services import Services
from partners.admin import STAFF, validate_config
from partners.config import PullConfig
from partners.fetcher import FetchError, fetch, render_url
from partners.formats import PARSERS, FormatError
from partners.ingest import IngestReport, ingest_payload

MAX_SAMPLE = 2 * 1024 * 1024  # what a sample may weigh (the preview reads all of it)
MAX_METERS = 50  # the meter ids of a sample the set-up offers to map


@dataclass
class Choices:
    """What the operator chose on the set-up form."""

    format: str
    options: dict[str, Any] = field(default_factory=dict)  # the format's reading options (columns, paths …)
    units: str = "kWh"
    timezone: str = "Europe/Moscow"
    value_kind: str = "interval"
    interval_s: int = 1800
    organization_inn: str | None = None
    auto_create_meters: bool = False
    meter_map: dict[str, str] = field(default_factory=dict)
    pull_url: str | None = None  # None: a push partner
    auth: str = "none"
    auth_header: str = "X-API-Key"
    username: str | None = None
    every_s: int = 900
    allow_private_network: bool = False

    def config(self) -> dict[str, Any]:
        """The partner's configuration, as the advanced view and ``wattboard partners create --config`` take it."""
        config: dict[str, Any] = {
            "format": self.format,
            "format_options": {k: v for k, v in self.options.items() if v not in (None, "")},
            "timezone": self.timezone,
            "units": self.units,
            "value_kind": self.value_kind,
            "interval_s": self.interval_s,
            "auto_create_meters": self.auto_create_meters,
            "organization_inn": self.organization_inn or None,
            "meter_map": {k: v for k, v in self.meter_map.items() if v},
            "allow_private_network": self.allow_private_network,
            "pull": None,
        }
        if self.pull_url:
            config["pull"] = {
                "url_template": self.pull_url,
                "auth": self.auth,
                "auth_header": self.auth_header,
                "username": self.username or None,
                "interval_s": self.every_s,
            }
        return config


def _staff(principal: Principal) -> None:
    if principal.role not in STAFF:
        raise AccessDenied("only administrators and operators set partners up")


def preview(services: Services, principal: Principal, slug: str, config: dict[str, Any], sample: bytes) -> IngestReport:
    """What the configuration makes of the sample — the readings it would store (on which points) and the records
    it would refuse, with their reasons — through the very steps of ingestion, storing and creating nothing.
    ``PartnerError`` when the configuration itself is not accepted."""
    _staff(principal)
    parsed = validate_config(config)
    stored = parsed.model_dump(mode="json")
    candidate = PartnerRecord(-1, slug or "new-partner", slug, parsed.format, stored, None, True, None)
    return ingest_payload(services, candidate, sample[:MAX_SAMPLE], "preview", dry_run=True)


def meter_ids(fmt: str, options: dict[str, Any], sample: bytes) -> list[str]:
    """The partner's own meter ids in the sample as these options read it (for the mapping), at most fifty."""
    try:
        readings = PARSERS[fmt].parse(sample[:MAX_SAMPLE], options).readings
    except (FormatError, KeyError):
        return []
    return sorted({r.meter for r in readings})[:MAX_METERS]


def fetch_sample(
    services: Services,
    principal: Principal,
    url_template: str,
    auth: str = "none",
    auth_header: str = "X-API-Key",
    username: str | None = None,
    secret: str | None = None,
    allow_private: bool = False,
    now: dt.datetime | None = None,
) -> bytes:
    """The last day from the pull address, as the poll would ask for it (the address checked as for any pull;
    private networks only when an administrator allows them). ``FetchError`` says why not."""
    _staff(principal)
    if allow_private and principal.role != "admin":
        raise AccessDenied("only administrators may let a partner reach private networks")
    try:
        pull = PullConfig(url_template=url_template, auth=auth, auth_header=auth_header, username=username, retries=0)
    except ValidationError:
        raise FetchError("the address must start with http:// or https://", "url") from None
    until = now or dt.datetime.now(dt.UTC)
    url = render_url(url_template, since=(until - dt.timedelta(days=1)).isoformat(), until=until.isoformat(), meter="")
    return fetch(url, pull, secret, allow_private).body[:MAX_SAMPLE]


def organizations(services: Services, principal: Principal, with_ids: bool = False) -> list[tuple[Any, ...]]:
    """Every organization a partner may serve, by name: ``(inn, name)`` (with ``with_ids``: ``(inn, name, id)``)."""
    _staff(principal)
    rows = organizations_with_contracts(services.db)
    return sorted(((o.inn, o.name, o.id) if with_ids else (o.inn, o.name) for o in rows), key=lambda r: r[1])
