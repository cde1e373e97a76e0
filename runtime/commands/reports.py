"""``wattboard reports monthly``: an organization's monthly report letter, now."""

from __future__ import annotations

import datetime as dt

import click

from runtime.operator import operator_session


@click.group()
def reports() -> None:
    """The monthly report letter (sent by the workers in the first days of a month to members who opted in)."""


@reports.command("monthly")
@click.option("--org-inn", required=True, help="INN of the organization.")
@click.option("--month", default=None, help="YYYY-MM (default: last month in the organization's zone).")
@click.option("--again", is_flag=True, help="Send also to readers who already have this month's letter.")
def reports_monthly(org_inn: str, month: str | None, again: bool) -> None:
    """Send the organization's letter to its members who opted in (each once per month unless --again)."""
    from data.relational.meters import organization_by_inn
    from reports.monthly import NothingToReport, send_monthly

    try:
        chosen = dt.datetime.strptime(month, "%Y-%m").date() if month else None
    except ValueError:
        raise click.BadParameter(f"{month!r} is not YYYY-MM", param_hint="--month") from None
    with operator_session() as (services, operator):
        org_id = organization_by_inn(services.db, org_inn)
        if org_id is None:
            raise click.ClickException(f"no organization with INN {org_inn}")
        try:
            summary = send_monthly(services, operator, org_id, chosen, again=again)
        except NothingToReport:
            raise click.ClickException(f"organization {org_inn} has no metering points to report on") from None
        label = summary.month.strftime("%Y-%m")
        if not (summary.sent or summary.already or summary.failed):
            click.echo(f"{label}: nobody in organization {org_inn} asked for the monthly report")
        for email in summary.sent:
            click.echo(f"{label}: sent to {email}")
        for email in summary.already:
            click.echo(f"{label}: {email} already has it (--again to send it again)")
        for email in summary.failed:
            click.echo(f"{label}: the mail server refused the letter to {email}", err=True)
        if summary.failed:
            raise SystemExit(1)
