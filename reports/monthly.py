"""The monthly report's use cases, called by the overview's button, the profile page, the CLI and the jobs: each owns
its check, its write, its audit event and the letters.

Letters go out once per organization, month and reader: a reader's letter is claimed
(``data.relational.reports.record_sent``) before it is handed to the mail server and released if the server
refuses it, so two workers never send it twice and a refused letter is sent at the next attempt.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import numpy as np

from advice.service import recommendations
from analytics.consumption import period_cost
from analytics.series import local_date
from auth import mail
from auth.access import MeterInfo, visible_meters
from auth.principal import AccessDenied, Principal
from data.clickhouse.readings import group_series, meter_totals
from data.queue import enqueue
from data.relational import alert_settings, audit
from data.relational import reports as store
from data.relational.meters import organization_name
from data.services import Services
from forecasting.actions import organization_projection
from pricing.book import price_book
from reports.comparison import MonthlyReport, Saving, best_month, peers
from reports.letter import month_name, render

log = logging.getLogger(__name__)

SYSTEM = Principal(0, "wattboard", "admin", None)  # the reports' own reads: every organization's figures
SEND_JOB = "workers.jobs.send_monthly_report"
TOP_SAVINGS = 3
SCHEDULED_DAYS = 5  # the scheduled run sends last month's letters during the first days of a month only


class NothingToReport(LookupError):
    """The organization has no metering points."""


@dataclass
class SendSummary:
    month: dt.date
    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def first_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def last_month(meters: list[MeterInfo], now: dt.datetime) -> dt.date:
    """The month before ``now`` in the organization's zone (its points')."""
    today = local_date(now, meters[0].utc_offset if meters else 3 * 3600)
    return add_months(first_of(today), -1)


def gather(
    services: Services, organization_id: int, month: dt.date | None, now: dt.datetime
) -> MonthlyReport:
    """An organization's month (default: last month): its figures, the thirteen months for the chart, the
    comparison, the current month's projection and its largest open savings."""
    meters = visible_meters(services.db, SYSTEM, organization_id)
    if not meters:
        raise NothingToReport(organization_id)
    month = first_of(month) if month else last_month(meters, now)
    ids, offset = [m.id for m in meters], meters[0].utc_offset
    first = add_months(month, -12)
    frame = group_series(services.store, ids, first, add_months(month, 1), "month")
    by_month = {
        first_of(dt.date.fromisoformat(str(ts)[:10])): float(v) if samples else None
        for ts, v, samples in zip(frame["ts"], frame["value"], frame["samples"], strict=True)
    }
    history = [(add_months(first, i), by_month.get(add_months(first, i))) for i in range(13)]
    book = price_book(services.db)

    def cost(m: dt.date) -> float | None:
        if by_month.get(m) is None:
            return None
        start = dt.datetime.combine(m, dt.time(0), dt.UTC) - dt.timedelta(seconds=offset)
        end = dt.datetime.combine(add_months(m, 1), dt.time(0), dt.UTC) - dt.timedelta(seconds=offset)
        value = period_cost(services.store, meters, start, end, book)
        return None if np.isnan(value) else round(value, 2)

    kwh = history[-1][1]
    crowd = None
    similar = store.similar_organizations(services.db, organization_id)
    if kwh is not None and similar:
        totals = meter_totals(services.store, [p for points in similar.values() for p in points], month,
                              add_months(month, 1))  # fmt: skip
        crowd = peers(kwh, len(meters), [(sum(totals.get(p, 0.0) for p in pts), len(pts)) for pts in similar.values()])
    rows = [r for r in recommendations(services, SYSTEM, organization_id) if r.state == "open"]
    rows.sort(key=lambda r: -r.saving_rub_year)
    return MonthlyReport(
        organization_id=organization_id,
        organization_name=organization_name(services.db, organization_id),
        month=month,
        points=len(meters),
        kwh=kwh,
        rub=cost(month),
        previous_kwh=history[-2][1],
        previous_rub=cost(add_months(month, -1)),
        last_year_kwh=history[0][1],
        last_year_rub=cost(first),
        history=history,
        peers=crowd,
        best=best_month(history, month) if crowd is None else None,
        outlook=organization_projection(services, SYSTEM, organization_id, now),
        savings=[Saving(r.kind, r.meter_code, r.saving_rub_year) for r in rows[:TOP_SAVINGS]],
        base_url=services.settings.base_url,
    )


def send_monthly(
    services: Services,
    principal: Principal,
    organization_id: int,
    month: dt.date | None = None,
    *,
    only_user: int | None = None,
    again: bool = False,
    now: dt.datetime | None = None,
) -> SendSummary:
    """Send the organization's letter for ``month`` (default: last month) to its readers who opted in, or to
    ``only_user`` (who asked for it); a reader who already has it is skipped unless ``again``."""
    _may_send(principal, organization_id, only_user)
    now = now or dt.datetime.now(dt.UTC)
    report = gather(services, organization_id, month, now)
    month = report.month
    readers = [only_user] if only_user is not None else store.readers(services.db, organization_id)
    summary = SendSummary(month)
    for user_id in readers:
        person = alert_settings.person(services.db, user_id)
        if person is None or person.organization_id != organization_id:
            continue
        if again:
            store.forget_sent(services.db, organization_id, month, user_id)
        if not store.record_sent(services.db, organization_id, month, user_id):
            summary.already.append(person.email)
            continue
        letter = render(report, person.language)
        try:
            mail.send(services.settings, person.email, letter.subject, letter.text, letter.html, letter.images)
        except mail.MailUnavailable as exc:
            store.forget_sent(services.db, organization_id, month, user_id)
            summary.failed.append(person.email)
            log.warning("monthly report for %s not sent: %s", person.email, exc)
            continue
        summary.sent.append(person.email)
    if summary.sent or summary.failed:
        audit.log(
            services,
            principal.email,
            "report.monthly_sent",
            report.organization_name,
            details={"month": month.strftime("%Y-%m"), "sent": len(summary.sent), "failed": len(summary.failed)},
        )
    return summary


def request_letter(services: Services, principal: Principal, organization_id: int | None) -> dt.date:
    """The caller asks for last month's letter now (from the overview): queued for the workers; returns the month."""
    org = principal.organization_scope(organization_id)
    if org is None or not principal.can_see_organization(org):
        raise AccessDenied("choose an organization")
    meters = visible_meters(services.db, SYSTEM, org)
    if not meters:
        raise NothingToReport(org)
    month = last_month(meters, dt.datetime.now(dt.UTC))
    enqueue(services.redis, "delivery", SEND_JOB, org, month.isoformat(), principal.user_id, job_timeout=300)
    return month


def due_organizations(services: Services, now: dt.datetime) -> list[int]:
    """Organizations whose readers should get last month's letter now (the first days of a month)."""
    if now.day > SCHEDULED_DAYS:
        return []
    return store.organizations_with_readers(services.db)


def subscribed(services: Services, principal: Principal) -> bool:
    return store.opted_in(services.db, principal.user_id)


def subscribe(services: Services, principal: Principal, wanted: bool) -> None:
    """The caller's own choice on the profile page."""
    if wanted == store.opted_in(services.db, principal.user_id):
        return
    store.set_opt_in(services.db, principal.user_id, wanted)
    audit.log(services, principal.email, "report.subscribed" if wanted else "report.unsubscribed", principal.email)


def month_label(month: dt.date, language: str) -> str:
    return month_name(month, language)


def _may_send(principal: Principal, organization_id: int, only_user: int | None) -> None:
    if principal.sees_all_organizations:
        return
    if principal.organization_id != organization_id:
        raise AccessDenied("another organization's report")
    if only_user != principal.user_id and not principal.is_owner:
        raise AccessDenied("only the owner sends the report to everyone")
