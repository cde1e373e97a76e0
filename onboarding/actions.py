"""The first run's use cases: each owns its tenant check, its write, its audit event and its side effects."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

from alerts.events import firing, publish
from analytics.overview import has_interval_data
from auth.access import meter_for, visible_meters
from auth.principal import AccessDenied, Principal
from data.relational import audit, register_readings
from data.relational import partners as partners_repo
from data.relational.audit import audit_events
from data.relational.meters import MeterInfo, organization_inn
from data.relational.partners import PartnerRecord
from data.services import Services
from manual.actions import create_manual_point
from partners import admin
from partners.formats import PARSERS, FormatError
from partners.ingest import IngestReport, ingest_payload
from partners.sniff import FileKind, UnknownFile, file_kind

WAYS = ("partner", "file", "manual")
REQUESTED = "point.connection_requested"
MAX_TEXT = 200


class RequestRefused(ValueError):
    """A connection request without what the staff need; ``code`` for the interface."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class FirstRun:
    organization_id: int
    points: list[MeterInfo]  # the organization's points, none of which has data yet
    manual: set[str]  # the codes of those read by hand


def first_run(services: Services, principal: Principal, organization_id: int | None = None) -> FirstRun | None:
    """Where a consumer's organization stands on its first run: its points while none of them has data (interval
    readings stored, or two readings by hand), else None (and always None for staff)."""
    if principal.role != "consumer" or principal.organization_id is None:
        return None
    points = visible_meters(services.db, principal, organization_id)
    if has_interval_data(services, points):
        return None
    by_hand = register_readings.manual_ids(services.db)
    manual = {p.code for p in points if p.id in by_hand}
    if any(len(register_readings.readings(services.db, p.id)) >= 2 for p in points if p.code in manual):
        return None
    return FirstRun(principal.organization_id, points, manual)


def add_point(
    services: Services,
    principal: Principal,
    code: str,
    name: str,
    tariff_plan: str,
    address: str | None,
    way: str,
) -> MeterInfo:
    """The organization's point, read by hand (``way="manual"``) or filled by a partner or files."""
    if way not in WAYS:
        raise ValueError(f"the way is one of {', '.join(WAYS)}")
    mode = "manual" if way == "manual" else "interval"
    return create_manual_point(services, principal, code, name, tariff_plan, address, reading_mode=mode)


def request_connection(
    services: Services, principal: Principal, code: str, supplier: str, contact: str, ip: str | None = None
) -> None:
    """Ask the staff to connect the point through its supplier or meter-data operator: audited, and the staff's bell
    rings (their list is on ``/partners``)."""
    meter = meter_for(services.db, principal, code)
    if principal.role != "consumer":
        raise AccessDenied("a connection is asked for by the organization's people")
    supplier, contact = (supplier or "").strip()[:MAX_TEXT], (contact or "").strip()[:MAX_TEXT]
    if not supplier:
        raise RequestRefused("supplier", "name the supplier or the meter-data operator that reads the meter")
    details = {"supplier": supplier, "contact": contact, "organization": meter.organization_name}
    audit.log(services, principal.email, REQUESTED, meter.code, ip=ip, details=details)
    event = firing(
        "connection_request",
        f"{meter.code}-{int(dt.datetime.now(dt.UTC).timestamp())}",
        meter.organization_name,
        meter=meter.code,
        link="/partners",
        params={"point": meter.code, "supplier": supplier, "contact": contact or "—"},
    )
    publish(services, [event])


@dataclass(frozen=True)
class ConnectionRequest:
    at: dt.datetime
    by: str
    point: str
    organization: str
    supplier: str
    contact: str


def connection_requests(services: Services, principal: Principal, limit: int = 50) -> list[ConnectionRequest]:
    """The latest connection requests, newest first, for staff."""
    if principal.role not in admin.STAFF:
        raise AccessDenied("only administrators and operators see connection requests")
    events = [e for e in audit_events(services.db, REQUESTED, limit * 4) if e.action == REQUESTED][:limit]
    return [
        ConnectionRequest(
            e.at,
            e.actor,
            e.target or "",
            str((e.details or {}).get("organization", "")),
            str((e.details or {}).get("supplier", "")),
            str((e.details or {}).get("contact", "")),
        )
        for e in events
    ]


def _upload_partner(services: Services, meter: MeterInfo, kind: FileKind, meter_ids: set[str]) -> PartnerRecord:
    """The organization's own upload partner, set for this file: confined to the organization's points (its
    ``organization_inn``), the file's meter ids mapped to the point it was uploaded for, read in the point's zone."""
    organization_id = meter.organization_id
    slug = f"own-{organization_id}"
    config = {
        "format": kind.format,
        "format_options": kind.options,
        "units": kind.units,
        "interval_s": kind.interval_s,
        "timezone": meter.timezone,
        "organization_inn": organization_inn(services.db, organization_id),
        "meter_map": {meter_id: meter.code for meter_id in meter_ids},
    }
    if partners_repo.partner_by_slug(services.db, slug) is None:
        name = f"Загрузки: {meter.organization_name}"[:200]
        return admin.create(services.db, services.settings, slug, name, config)[0]
    return admin.update_config(services.db, slug, config)


def upload_file(
    services: Services, principal: Principal, code: str, payload: bytes, file_name: str | None
) -> IngestReport:
    """A file the point's supplier or meter software exported, read for that point: its format and columns told
    from the file, the partners' steps (normalize, hold the implausible, dead letters, batch record), only ever
    onto the organization's own points. ``UnknownFile`` when Wattboard cannot tell what the file is, or when it holds
    several points (an 80020 file's reactive channels are not points: they are refused one by one)."""
    meter = meter_for(services.db, principal, code)
    if principal.role != "consumer":
        raise AccessDenied("files are uploaded by the organization's people")
    kind = file_kind(payload)
    meter_ids: set[str] = set()
    if kind.format == "csv":  # a file of one meter: every row is this point's
        kind = FileKind(kind.format, {**kind.options, "meter": meter.code}, kind.units, kind.interval_s)
    else:
        with contextlib.suppress(FormatError):  # the ingest says why, in its batch record and its answer
            found = {r.meter for r in PARSERS[kind.format].parse(payload, kind.options).readings}
            meter_ids = {m for m in found if ":" not in m}  # 80020's channels 02–04 (reactive) stay unmapped: refused
        if len(meter_ids) > 1:
            raise UnknownFile("several", f"the file holds {len(meter_ids)} metering points", count=len(meter_ids))
    partner = _upload_partner(services, meter, kind, meter_ids)
    report = ingest_payload(services, partner, payload, "import", file_name=file_name)
    audit.log(
        services, principal.email, "point.file_imported", meter.code,
        details={"file": file_name, "format": kind.format, "accepted": report.accepted,
                 "rejected": len(report.rejected)},
    )  # fmt: skip
    return report
