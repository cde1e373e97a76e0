"""``wattboard partners``, ``wattboard import`` and ``wattboard dlq``: partners configured, tried and polled from the
command line, a file imported for one, and the dead letters listed and replayed."""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import cast

import click

from config import load_settings
from runtime.operator import open_services, operator_session


@click.group()
def partners() -> None:
    """Partners: utilities and meter-data operators integrated by configuration."""


@partners.command("create")
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "80020", "espi"]), required=True)
@click.option("--name", default=None)
@click.option("--config", "config_json", default=None, help="More configuration as JSON or @file.json.")
@click.option("--timezone", default=None, help="The partner's time zone (default Europe/Moscow).")
@click.option("--units", type=click.Choice(["Wh", "kWh", "MWh"]), default=None)
@click.option("--value-kind", type=click.Choice(["interval", "cumulative"]), default=None)
@click.option("--interval", "interval_s", type=int, default=None, help="Interval length in seconds (1800).")
@click.option("--auto-create-meters", is_flag=True, help="Create metering points on first sight.")
@click.option(
    "--org-inn",
    default=None,
    help="Organization the partner serves: it may write to its metering points and create new ones.",
)
@click.option("--map", "mappings", multiple=True, help="PARTNER_ID=OUR_CODE, repeatable.")
@click.option("--url", default=None, help="Pull URL template with {since}, {until}, {meter}.")
@click.option("--secret-env", default=None, help="Name of an environment variable holding the pull secret.")
def partners_create(slug: str, fmt: str, name: str | None, config_json: str | None, **options: object) -> None:
    """Create a partner; prints its push API key once."""
    from data.relational import migrate as migrations
    from partners import admin

    settings = load_settings()
    config: dict[str, object] = _json_option(config_json) if config_json else {}
    config["format"] = fmt
    for key in ("timezone", "units", "value_kind", "interval_s"):
        if options.get(key) is not None:
            config[key] = options[key]
    if options.get("auto_create_meters"):
        config["auto_create_meters"] = True
    if options.get("org_inn"):
        config["organization_inn"] = options["org_inn"]
    if options.get("mappings"):
        pairs = [str(m).split("=", 1) for m in cast(tuple[str, ...], options["mappings"])]
        if any(len(p) != 2 for p in pairs):
            raise click.BadParameter("use --map PARTNER_ID=OUR_CODE")
        config["meter_map"] = {**config.get("meter_map", {}), **dict(pairs)}  # type: ignore[dict-item]  # JSON from --config
    if options.get("url"):
        config["pull"] = {**config.get("pull", {}), "url_template": options["url"]}  # type: ignore[dict-item]  # as above
    secret = None
    if options.get("secret_env"):
        secret = os.environ.get(str(options["secret_env"]))
        if not secret:
            raise click.ClickException(f"the environment variable {options['secret_env']} is empty")
    with operator_session(settings) as (services, operator):
        migrations.upgrade(services.db)
        partner, key = admin.create_partner(services, operator, slug, name or slug, config, secret)
        click.echo(f"created partner {partner.slug} ({partner.format}); its push API key, shown once:")
        click.echo(key)


@partners.command("list")
def partners_list() -> None:
    """List partners."""
    from partners.admin import partners_for

    with operator_session(load_settings(), role="operator") as (services, operator):
        found = partners_for(services, operator)
    for p in found:
        pull = (p.config.get("pull") or {}).get("url_template", "push/import only")
        click.echo(f"{p.slug:24} {p.format:6} {'enabled ' if p.enabled else 'disabled'} {pull}")


@partners.command("test")
@click.argument("slug")
def partners_test(slug: str) -> None:
    """Fetch once and show the first parsed rows and any errors, storing nothing."""
    from partners.admin import partner_for
    from partners.polling import poll_window

    with operator_session(load_settings(), role="operator") as (services, operator):
        partner = partner_for(services, operator, slug)
        if partner is None:
            raise click.ClickException(f"no partner {slug}")
        now = dt.datetime.now(dt.UTC)
        summary = poll_window(services, partner, now - dt.timedelta(days=1), now, dry_run=True)
    click.echo(
        json.dumps(
            {
                "records": summary.records,
                "accepted": summary.accepted,
                "rejected": summary.rejected,
                "errors": summary.errors,
                "first_rows": summary.preview,
                "rejected_examples": summary.rejected_examples,
            },
            ensure_ascii=False,
            indent=1,
        )
    )


@partners.command("poll")
@click.argument("slug")
def partners_poll(slug: str) -> None:
    """Poll a partner now (what the scheduler does when it is due)."""
    from partners.polling import poll_now

    with open_services(load_settings()) as services:
        summary = poll_now(services, slug)
    click.echo(f"pages {summary.pages}, accepted {summary.accepted}, rejected {summary.rejected}")
    for error in summary.errors:
        click.echo(f"error: {error}", err=True)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--partner", "slug", required=True)
def import_file(file: str, slug: str) -> None:
    """Import a file in the partner's format (backfill). Importing the same file again changes nothing."""
    from pathlib import Path

    from partners.admin import partner_for
    from partners.streaming import ingest_file

    path = Path(file)
    with operator_session(load_settings(), role="operator") as (services, operator):
        partner = partner_for(services, operator, slug)
        if partner is None:
            raise click.ClickException(f"no partner {slug}")
        report = ingest_file(services, partner, path, "import", file_name=path.name)
    if report.error:
        raise click.ClickException(f"{path.name}: {report.error}")
    click.echo(
        f"{path.name}: {report.records} records, {report.accepted} accepted, "
        f"{len(report.rejected)} rejected (batch {report.batch_id})"
    )
    for item in report.rejected[:20]:
        click.echo(f"  rejected: {item['reason']}", err=True)


@click.group()
def dlq() -> None:
    """The dead-letter topic."""


@dlq.command("list")
@click.option("--limit", type=int, default=100)
def dlq_list(limit: int) -> None:
    """Show rejected records with their reason and source."""
    from partners.dead_letters import read_letters

    with open_services(load_settings()) as services:
        letters = list(read_letters(services, limit=limit))
    for n, (_, letter) in enumerate(letters, start=1):
        source = f"{letter.get('partner') or '?'}/{letter.get('batch') or '?'}"
        record = (
            json.dumps(letter.get("record"), ensure_ascii=False)
            if letter.get("record") is not None
            else (letter.get("raw") or "")[:120]
        )
        click.echo(f"{n:5}  {letter.get('at', '')[:19]}  {source:40}  {letter.get('reason')}  {record}")


@dlq.command("replay")
def dlq_replay() -> None:
    """Republish dead letters a fix made acceptable (unknown meters now mapped, raw messages)."""
    from partners.dead_letters import replay

    with open_services(load_settings()) as services:
        summary = replay(services)
    click.echo(f"replayed {summary.replayed}, left {summary.skipped} that need the source fixed")


def _json_option(value: str) -> dict[str, object]:
    from pathlib import Path

    text = Path(value[1:]).read_text() if value.startswith("@") else value
    try:
        parsed = json.loads(text)
    except ValueError as exc:
        raise click.BadParameter(f"not JSON: {exc}") from None
    if not isinstance(parsed, dict):
        raise click.BadParameter("the configuration must be a JSON object")
    return parsed
