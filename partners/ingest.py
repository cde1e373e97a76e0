"""The one way partner data enters Wattboard: push, import, polling and backfill all come here.

Parse → map meters (creating them on first sight if the partner allows) → refuse the points the partner does
not serve (only its mapped and bound points and those of its organization) → normalize → hold for review what
is far outside a point's own history (``review``) → publish reading batches to Kafka (key = metering point)
and rejected records to the dead-letter topic → record the batch (provenance: source, counts, SHA-256 of the
raw payload) → audit event. Nothing is written to the readings store here; the ingestion consumer does that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from data.messaging.broker import encode
from data.messaging.device_report import BadReport, DeviceReport, check_report
from data.messaging.reading_batch import encode_columnar
from data.relational import audit
from data.relational import partners as partners_repo
from data.relational.devices import points_of_devices
from data.relational.meters import meters_by_codes
from data.relational.partners import PartnerRecord
from data.services import Services
from partners.codes import resolve, served_codes
from partners.config import PartnerConfig, partner_config
from partners.formats import PARSERS, FormatError
from partners.formats.base import ParseResult
from partners.normalize import normalize
from review.held import hold_readings, plausibility_limits
from review.plausibility import split

log = logging.getLogger(__name__)

CHUNK = 5000
PREVIEW_ROWS = 20


@dataclass
class IngestReport:
    batch_id: str
    records: int = 0
    accepted: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    held: list[dict[str, Any]] = field(default_factory=list)  # implausible: waiting for an operator
    duplicates: int = 0  # exact repeats within the batch, collapsed
    preview: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    next_link: str | None = None

    def as_json(self, limit: int = 1000) -> dict[str, Any]:
        return {
            "batch": self.batch_id,
            "records": self.records,
            "accepted": self.accepted,
            "rejected": len(self.rejected),
            "held": len(self.held),
            "duplicates": self.duplicates,
            "errors": self.rejected[:limit],
            "held_readings": self.held[:limit],
            "error": self.error,
        }


def ingest_payload(
    services: Services,
    partner: PartnerRecord,
    payload: bytes,
    source: str,
    file_name: str | None = None,
    dry_run: bool = False,
    format_options: dict[str, Any] | None = None,
) -> IngestReport:
    report = IngestReport(batch_id=f"{partner.slug}-{uuid.uuid4().hex[:16]}")
    config = partner_config(partner)
    batch = IngestBatch(services, partner, config, report, hashlib.sha256(payload).hexdigest(), dry_run)
    options = {**config.format_options, **(format_options or {})}
    try:
        parsed = PARSERS[config.format].parse(payload, options)
    except FormatError as exc:
        batch.refuse(exc, payload)
        if not dry_run:
            batch.record(source, len(payload), file_name)
        return report
    report.next_link = parsed.next_link
    batch.take(parsed)
    if not dry_run:
        batch.record(source, len(payload), file_name)
        batch.audit(source, file_name)
    return report


class IngestBatch:
    """One ingestion under way: parsed parts go in one after another (a whole payload, or the chunks of a streamed
    file, see :mod:`partners.streaming`), each published as it comes; the batch is recorded and audited once."""

    def __init__(
        self,
        services: Services,
        partner: PartnerRecord,
        config: PartnerConfig,
        report: IngestReport,
        digest: str,
        dry_run: bool = False,
    ) -> None:
        self.services, self.partner, self.config, self.report = services, partner, config, report
        self.digest, self.dry_run = digest, dry_run
        self._version: int | None = None

    def version(self) -> int:
        """The version every reading of this payload carries: when the same payload was first seen (so importing
        the same file again replaces nothing with anything newer)."""
        if self._version is None:
            previous = partners_repo.first_batch_with_digest(self.services.db, self.partner.id, self.digest)
            first_seen = previous.received_at if previous else dt.datetime.now(dt.UTC)
            self._version = int(first_seen.timestamp() * 1000)
        return self._version

    def take(self, parsed: ParseResult) -> None:
        services, partner, config, report = self.services, self.partner, self.config, self.report
        resolved = resolve(services, partner, config, {r.meter for r in parsed.readings}, create=not self.dry_run)
        known = set(resolved.codes.values())
        states = (
            partners_repo.register_states(services.db, partner.id, sorted(known))
            if config.value_kind == "cumulative"
            else {}
        )
        normalized = normalize(parsed, config, resolved.codes, states, refused=resolved.refused)
        meters = {m.code: m for m in meters_by_codes(services.db, sorted(known))}
        kept, held = split(normalized.series, plausibility_limits(services, list(meters.values())))
        report.records += parsed.total
        report.rejected.extend(normalized.rejected)
        report.duplicates += normalized.duplicates
        report.accepted += sum(len(rows) for rows in kept.values())
        report.held.extend(
            {
                "meter": h.code,
                "ts": dt.datetime.fromtimestamp(h.ts, dt.UTC).isoformat(),
                "kwh": h.value,
                "reason": h.reason,
            }
            for h in held
        )
        if self.dry_run:
            report.preview.extend(
                {
                    "meter": code,
                    "ts": dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(),
                    "kwh": round(value, 6),
                    "interval_s": interval,
                    "status": status,
                }
                for (code, interval), rows in kept.items()
                for ts, value, status in rows[:PREVIEW_ROWS]
            )
            del report.preview[PREVIEW_ROWS:]
            return
        version, producer = self.version(), services.producer
        for (code, interval), rows in kept.items():
            for i in range(0, len(rows), CHUNK):
                ts, values, status = (np.asarray(column) for column in zip(*rows[i : i + CHUNK], strict=True))
                producer.send(
                    services.topics.readings,
                    key=code.encode(),
                    value=encode_columnar(code, partner.slug, report.batch_id, version, interval, ts, values, status),
                )
        _dead_letters(services, partner, report, normalized.rejected, None)
        producer.flush(timeout=60)
        if held:
            hold_readings(services, partner, report.batch_id, version, [(meters[h.code], h) for h in held])
        if normalized.registers:
            partners_repo.save_register_states(services.db, partner.id, normalized.registers)

    def refuse(self, exc: FormatError, payload: bytes | None) -> None:
        """The payload (or the rest of a streamed file) cannot be read: say why, and keep it in the dead letters."""
        self.report.error = str(exc)
        if not self.dry_run:
            _dead_letters(self.services, self.partner, self.report, [{"record": None, "reason": str(exc)}], payload)
            self.services.producer.flush(timeout=30)

    def record(self, source: str, size: int, file_name: str | None) -> None:
        _record_batch(self.services, self.partner, self.report, source, self.digest, size, file_name)

    def audit(self, source: str, file_name: str | None) -> None:
        report = self.report
        event = audit.record(
            self.services.db,
            f"partner:{self.partner.slug}",
            f"ingest.{source}",
            target=report.batch_id,
            details={
                "records": report.records,
                "accepted": report.accepted,
                "rejected": len(report.rejected),
                "held": len(report.held),
                "file": file_name,
            },
        )
        audit.publish(self.services.producer, self.services.topics.audit, event)


def _record_batch(
    services: Services,
    partner: PartnerRecord,
    report: IngestReport,
    source: str,
    digest: str,
    size: int,
    file_name: str | None,
) -> None:
    """Provenance of one ingestion: source, counts, error and the SHA-256 of the raw payload."""
    partners_repo.record_batch(
        services.db,
        report.batch_id,
        partner.id,
        source,
        digest,
        size,
        report.records,
        report.accepted,
        len(report.rejected),
        file_name,
        error=report.error,
    )


def _dead_letters(
    services: Services,
    partner: PartnerRecord,
    report: IngestReport,
    rejected: list[dict[str, Any]],
    payload: bytes | None,
) -> None:
    at = dt.datetime.now(dt.UTC).isoformat()
    raw = payload.decode("utf-8", "replace")[:100_000] if payload is not None else None
    for item in rejected:
        letter = {
            "stage": "partner",
            "reason": item["reason"],
            "partner": partner.slug,
            "batch": report.batch_id,
            "record": item["record"],
            "raw": raw,
            "at": at,
        }
        services.producer.send(services.topics.readings_dlq, key=partner.slug.encode(), value=encode(letter))


def ingest_device_states(services: Services, partner: PartnerRecord, payload: bytes) -> IngestReport:
    """Device-state reports (a JSON list of objects, see :mod:`data.messaging.device_report`) to Kafka. Each report is
    checked field by field and refused on its own, with the reason, when it is malformed or names a device that is
    not on a metering point this partner serves (nor bound to it): a partner reports only on its own devices."""
    report = IngestReport(batch_id=f"{partner.slug}-dev-{uuid.uuid4().hex[:12]}")
    try:
        items = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.error = f"not JSON: {exc}"
        return report
    if not isinstance(items, list):
        report.error = "expected a JSON list of device-state objects"
        return report
    checked: list[DeviceReport] = []
    for item in items:
        report.records += 1
        try:
            checked.append(check_report(item, partner.slug))
        except BadReport as exc:
            report.rejected.append({"record": letter_record(item), "reason": str(exc)})
    config = partner_config(partner)
    points = points_of_devices(services.db, sorted({r.device for r in checked}))
    served = served_codes(services, config, {code for code in points.values() if code})
    bound = set(config.devices)
    for state in checked:
        if state.device not in points:
            report.rejected.append({"record": asdict(state), "reason": f"unknown device {state.device!r}"})
        elif state.device not in bound and points[state.device] not in served:
            reason = f"device {state.device!r} is not on a metering point this partner serves"
            report.rejected.append({"record": asdict(state), "reason": reason})
        else:
            services.producer.send(services.topics.device_state, key=state.device.encode(), value=state.encode())
            report.accepted += 1
    _dead_letters(services, partner, report, report.rejected, None)
    services.producer.flush(timeout=30)
    return report


def letter_record(item: Any, limit: int = 2000) -> Any:
    """A record as it is kept in a dead letter and echoed in the answer: whole when small, else a cut text."""
    text = json.dumps(item, ensure_ascii=False, default=str)
    return item if len(text) <= limit else text[:limit] + "…"
