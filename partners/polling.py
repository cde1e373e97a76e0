"""Pulling from a partner: one window (poll), or a long range split into days (backfill)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from croniter import croniter

from auth.principal import AccessDenied, Principal
from data.relational import partners as partners_repo
from data.relational.partners import PartnerRecord
from data.services import Services
from partners.config import partner_config
from partners.fetcher import FetchError, fetch, render_url
from partners.ingest import IngestReport, ingest_payload
from security import secrets


@dataclass
class PollSummary:
    pages: int = 0
    records: int = 0
    accepted: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    rejected_examples: list[dict[str, Any]] = field(default_factory=list)

    def add(self, report: IngestReport) -> None:
        self.pages += 1
        self.records += report.records
        self.accepted += report.accepted
        self.rejected += len(report.rejected)
        self.preview.extend(report.preview[: max(0, 20 - len(self.preview))])
        self.rejected_examples.extend(report.rejected[: max(0, 20 - len(self.rejected_examples))])
        if report.error:
            self.errors.append(report.error)


QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def connection_preview(services: Services, principal: Principal, slug: str, now: dt.datetime) -> PollSummary | None:
    """The "test connection" use case (staff only): fetch the last day once, store nothing, and show what would be
    stored. A host that does not speak the partner's format is never echoed: when nothing of its answer reads as
    readings, the preview keeps the counts and a short error with every quoted part masked, and no records."""
    if principal.role not in ("admin", "operator"):
        raise AccessDenied("only administrators and operators test partner connections")
    partner = partners_repo.partner_by_slug(services.db, slug)
    if partner is None:
        return None
    summary = poll_window(services, partner, now - dt.timedelta(days=1), now, dry_run=True)
    if not summary.preview:
        summary.errors = [QUOTED.sub("'…'", error)[:200] for error in summary.errors]
        summary.rejected_examples = []
    return summary


def _secret(services: Services, partner: PartnerRecord) -> str | None:
    return secrets.decrypt(services.settings, partner.secret) if partner.secret else None


def poll_window(
    services: Services,
    partner: PartnerRecord,
    since: dt.datetime,
    until: dt.datetime,
    source: str = "poll",
    dry_run: bool = False,
    max_pages: int | None = None,
) -> PollSummary:
    config = partner_config(partner)
    if config.pull is None:
        raise FetchError(f"partner {partner.slug} has no pull endpoint configured", "no_pull")
    pull = config.pull
    secret = _secret(services, partner)
    summary = PollSummary()
    meters = sorted(config.meter_map) if "{meter}" in pull.url_template else [None]
    limit = max_pages or pull.max_pages
    for meter in meters:
        values = {"since": since.isoformat(), "until": until.isoformat(), "meter": meter or ""}
        base = render_url(pull.url_template, **values)
        url: str | None = base
        page = 1
        while url and page <= limit:
            if pull.pagination == "page":
                url = f"{base}{'&' if '?' in base else '?'}{pull.page_param}={page}"
            fetched = fetch(url, pull, secret, config.allow_private_network)
            report = ingest_payload(
                services,
                partner,
                fetched.body,
                source,
                file_name=fetched.url,
                dry_run=dry_run,
                format_options={"meter": meter} if meter else None,
            )
            summary.add(report)
            if dry_run or report.error:
                return summary
            if pull.pagination == "next_link":
                url = report.next_link or fetched.next_link
            elif pull.pagination != "page" or not report.records:
                url = None
            page += 1
    return summary


def backfill(
    services: Services,
    partner: PartnerRecord,
    start: dt.datetime,
    end: dt.datetime,
    progress: Callable[[float, PollSummary], None] | None = None,
) -> PollSummary:
    """Fetch ``[start, end)`` a day at a time, reporting progress after each day."""
    total = PollSummary()
    days = max(1, int((end - start).total_seconds() // 86_400) + (1 if (end - start).seconds else 0))
    for i in range(days):
        lo = start + dt.timedelta(days=i)
        hi = min(end, lo + dt.timedelta(days=1))
        part = poll_window(services, partner, lo, hi, source="backfill")
        for name in ("pages", "records", "accepted", "rejected"):
            setattr(total, name, getattr(total, name) + getattr(part, name))
        total.errors.extend(part.errors)
        if progress:
            progress((i + 1) / days, total)
    return total


def is_due(partner: PartnerRecord, now: dt.datetime) -> bool:
    pull = partner_config(partner).pull
    if pull is None or not partner.enabled:
        return False
    last = partner.last_polled_at
    if last is None:
        return True
    if last.tzinfo is None:
        last = last.replace(tzinfo=dt.UTC)
    if pull.cron:
        return croniter(pull.cron, last).get_next(dt.datetime) <= now
    return (now - last).total_seconds() >= (pull.interval_s or 900)


def due_partners(services: Services, now: dt.datetime) -> list[str]:
    """The partners whose interval or cron schedule says a poll is due now."""
    return [p.slug for p in partners_repo.list_partners(services.db) if is_due(p, now)]


def backfill_by_slug(
    services: Services, slug: str, start: dt.datetime, end: dt.datetime, progress: Callable[[float, PollSummary], None]
) -> PollSummary:
    """The backfill job's entry: :func:`backfill` for the partner of that slug (FetchError when there is none)."""
    partner = partners_repo.partner_by_slug(services.db, slug)
    if partner is None:
        raise FetchError(f"no partner {slug!r}")
    return backfill(services, partner, start, end, progress)


def poll_now(services: Services, slug: str) -> PollSummary:
    partner = partners_repo.partner_by_slug(services.db, slug)
    if partner is None:
        raise FetchError(f"no partner {slug!r}")
    config = partner_config(partner)
    now = dt.datetime.now(dt.UTC)
    last = partner.last_polled_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=dt.UTC)
    since = last - dt.timedelta(hours=1) if last else now - dt.timedelta(seconds=config.pull.lookback_s)  # type: ignore[union-attr]  # polled: a pull partner
    summary = poll_window(services, partner, since, now)
    partners_repo.update_partner(services.db, slug, last_polled_at=now)
    return summary
