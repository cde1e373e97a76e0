"""The ``wattboard`` command line."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import signal
import sys
import threading

import click

from config import Settings, load_settings
from data.queue import QUEUE_NAMES
from runtime.errors import explain
from runtime.forecast_commands import forecast
from runtime.metrics import prepare_multiprocess
from runtime.metrics import serve as serve_metrics
from runtime.operator import open_services, operator_session
from runtime.price_commands import prices, set_category
from runtime.report_commands import reports
from runtime.review_commands import meters, review
from runtime.weather_commands import set_place, weather

METRICS_PORT_OFFSET = 9108 - 8050  # the default metrics port sits this far above the default web port


def _settings(**overrides: object) -> Settings:
    return load_settings(**{k: v for k, v in overrides.items() if v is not None})


def _logging(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("werkzeug", "rq.worker", "rq.cron", "chdb"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("kafka").setLevel(logging.ERROR)  # its event-loop timing warnings are not ours


@click.group()
def cli() -> None:
    """Wattboard: electricity-consumption analytics."""


@cli.command()
@click.option("--demo", is_flag=True, help="Create the demo world and keep producing live readings.")
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1).")
@click.option(
    "--port",
    type=int,
    default=None,
    help="Port of the web app (default 8050); the metrics move with it (port + 1058, so 8050 → 9108) unless "
    "WATTBOARD_METRICS_ADDRESS is set.",
)
def up(demo: bool, host: str | None, port: int | None) -> None:
    """Start everything in one process on embedded defaults."""
    from runtime.supervisor import Supervisor

    metrics = None
    if port is not None and "WATTBOARD_METRICS_ADDRESS" not in os.environ:  # a second demo on one machine
        metrics = f"127.0.0.1:{port + METRICS_PORT_OFFSET}"
    settings = _settings(host=host, port=port, metrics_address=metrics)
    _logging(settings)
    supervisor = Supervisor(settings, demo=demo, out=lambda line: print(line, flush=True))
    supervisor.handle_signals()
    try:
        supervisor.start()
        supervisor.wait()
    finally:
        supervisor.stop()


@cli.command()
def migrate() -> None:
    """Bring the relational schema up to date (and create the ClickHouse tables)."""
    from data import migrate as migrations
    from partners.admin import bind_existing

    with open_services(_settings()) as services:
        migrations.upgrade(services.db)
        services.store  # noqa: B018 - creates the ClickHouse schema
        for slug, (points, devices) in bind_existing(services).items():
            click.echo(f"partner {slug}: bound to the {points} metering points and {devices} devices it delivered for")
    click.echo("schema is up to date")


@cli.command()
@click.option("--workers", type=int, default=2, help="gunicorn worker processes.")
def web(workers: int) -> None:
    """Production web server (gunicorn, web.wsgi:server)."""
    settings = _settings()
    bind = f"{settings.host}:{settings.port}"
    prepare_multiprocess(settings.home, "web")  # the workers write their metrics there; the master serves the sum
    os.environ["WATTBOARD_METRICS_ADDRESS"] = settings.metrics_address
    os.execvp(
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--bind",
            bind,
            "--access-logfile",
            "-",
            "--config",
            "python:runtime.gunicorn_conf",
            "web.wsgi:server",
        ],
    )


@cli.command()
def consume() -> None:
    """Production ingestion consumer (scale by running more, up to the partition count)."""
    from data import broker
    from data.services import Services
    from runtime.ingestion import ingest_consumer

    settings = _settings()
    _logging(settings)
    serve_metrics(settings.metrics_address)
    services = Services(settings)
    broker.ensure_topics(services.kafka_bootstrap, services.topics, settings.kafka_partitions)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        ingest_consumer(services).run(stop)
    finally:
        services.close()


@cli.command()
@click.option(
    "--queues",
    default=",".join(QUEUE_NAMES),
    show_default=True,
    help="Queues to take jobs from, comma-separated (e.g. alerts,delivery for a worker of alerting alone).",
)
def worker(queues: str) -> None:
    """Production RQ worker."""
    settings = _settings()
    prepare_multiprocess(settings.home, f"worker-{os.getpid()}")  # before anything imports prometheus_client

    from runtime.rq_runner import run_worker_process
    from workers import jobs

    _logging(settings)
    serve_metrics(settings.metrics_address, multiprocess=True)
    wanted = tuple(q.strip() for q in queues.split(",") if q.strip())
    unknown = sorted(set(wanted) - set(QUEUE_NAMES))
    if unknown:
        raise click.BadParameter(f"unknown queue(s) {', '.join(unknown)}; known: {', '.join(QUEUE_NAMES)}")
    with open_services(settings) as services:
        jobs.bind(services)
        run_worker_process(services.redis, wanted)


@cli.command()
def scheduler() -> None:
    """Production RQ cron scheduler."""
    from runtime.rq_runner import run_scheduler_process

    settings = _settings()
    _logging(settings)
    with open_services(settings) as services:
        serve_metrics(settings.metrics_address, queues=services.redis)
        run_scheduler_process(services.redis)


@cli.group()
def users() -> None:
    """Manage users."""


@users.command("create")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", type=click.Choice(["admin", "operator", "consumer"]), required=True)
@click.option("--org-inn", default=None, help="INN of the organization (required for consumers).")
def users_create(email: str, password: str, role: str, org_inn: str | None) -> None:
    """Create a user."""
    from auth.user_admin import create_user
    from data import migrate as migrations

    with operator_session(_settings()) as (services, operator):
        migrations.upgrade(services.db)  # the first administrator may come before anything else
        user = create_user(services, operator, email, password, role, org_inn)
    click.echo(f"created {user.email} ({user.role})")


@cli.group()
def tokens() -> None:
    """Personal API tokens."""


@tokens.command("create")
@click.argument("email")
def tokens_create(email: str) -> None:
    """Issue an API token for a user; it is printed once and stored only as a hash."""
    from auth.user_admin import AccountError, issue_api_token

    with operator_session(_settings()) as (services, operator):
        try:
            click.echo(issue_api_token(services, operator, email))
        except AccountError as exc:
            raise click.ClickException(str(exc)) from None


@cli.group()
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
    from data import migrate as migrations
    from partners import admin

    settings = _settings()
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
        pairs = [str(m).split("=", 1) for m in options["mappings"]]  # type: ignore[union-attr]
        if any(len(p) != 2 for p in pairs):
            raise click.BadParameter("use --map PARTNER_ID=OUR_CODE")
        config["meter_map"] = {**config.get("meter_map", {}), **dict(pairs)}  # type: ignore[dict-item]
    if options.get("url"):
        config["pull"] = {**config.get("pull", {}), "url_template": options["url"]}  # type: ignore[dict-item]
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

    with operator_session(_settings(), role="operator") as (services, operator):
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

    with operator_session(_settings(), role="operator") as (services, operator):
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

    with open_services(_settings()) as services:
        summary = poll_now(services, slug)
    click.echo(f"pages {summary.pages}, accepted {summary.accepted}, rejected {summary.rejected}")
    for error in summary.errors:
        click.echo(f"error: {error}", err=True)


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--partner", "slug", required=True)
def import_file(file: str, slug: str) -> None:
    """Import a file in the partner's format (backfill). Importing the same file again changes nothing."""
    from pathlib import Path

    from partners.admin import partner_for
    from partners.streaming import ingest_file

    path = Path(file)
    with operator_session(_settings(), role="operator") as (services, operator):
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


@cli.group()
def dlq() -> None:
    """The dead-letter topic."""


@dlq.command("list")
@click.option("--limit", type=int, default=100)
def dlq_list(limit: int) -> None:
    """Show rejected records with their reason and source."""
    from partners.dead_letters import read_letters

    with open_services(_settings()) as services:
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

    with open_services(_settings()) as services:
        summary = replay(services)
    click.echo(f"replayed {summary.replayed}, left {summary.skipped} that need the source fixed")


@cli.group()
def orgs() -> None:
    """Organizations."""


@orgs.command("set-slack")
@click.argument("inn")
@click.argument("url", required=False)
@click.option("--allow-private", is_flag=True, help="Let the webhook be on a private or loopback address.")
@click.option("--remove", is_flag=True, help="Disconnect the organization's Slack.")
def orgs_set_slack(inn: str, url: str | None, allow_private: bool, remove: bool) -> None:
    """Connect an organization's Slack incoming webhook (stored encrypted; the address is checked)."""
    from alerts.actions import set_slack
    from data.meters import organization_by_inn

    if not url and not remove:
        raise click.UsageError("give the webhook URL, or --remove")
    with operator_session(_settings()) as (services, operator):
        org_id = organization_by_inn(services.db, inn)
        if org_id is None:
            raise click.ClickException(f"no organization with INN {inn}")
        try:
            set_slack(services, operator, org_id, None if remove else url, allow_private)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Slack {'disconnected' if remove else 'connected'} for organization {inn}")


@orgs.command("set-sso")
@click.argument("inn")
@click.option("--issuer", help="The provider's issuer URL (discovery: <issuer>/.well-known/openid-configuration).")
@click.option("--client-id", help="Wattboard's client id at the provider.")
@click.option("--domain", help="The email domain the organization's members sign in with, e.g. example.ru.")
@click.option(
    "--client-secret-env",
    default="WATTBOARD_SSO_CLIENT_SECRET",
    show_default=True,
    help="The environment variable holding the client secret (asked for when it is not set).",
)
@click.option("--allow-private", is_flag=True, help="Let the issuer be on a private or loopback address.")
@click.option("--remove", is_flag=True, help="Disconnect the organization's single sign-on.")
def orgs_set_sso(
    inn: str, issuer: str | None, client_id: str | None, domain: str | None, client_secret_env: str,
    allow_private: bool, remove: bool,
) -> None:
    """Connect an organization's OpenID Connect provider: its members then sign in there (matched by verified
    email at the domain; roles stay Wattboard's). The client secret is stored encrypted."""
    from data.meters import organization_by_inn
    from sso.providers import connect, disconnect, provider

    if not remove and not (issuer and client_id and domain):
        raise click.UsageError("give --issuer, --client-id and --domain, or --remove")
    with operator_session(_settings()) as (services, operator):
        org_id = organization_by_inn(services.db, inn)
        if org_id is None:
            raise click.ClickException(f"no organization with INN {inn}")
        if remove:
            had = disconnect(services, operator, org_id)
            click.echo(f"single sign-on {'disconnected' if had else 'was not connected'} for organization {inn}")
            return
        secret = os.environ.get(client_secret_env) or click.prompt("Client secret", hide_input=True)
        try:
            connect(services, operator, org_id, issuer or "", client_id or "", secret, domain or "", allow_private)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        stored = provider(services, org_id)
        assert stored is not None
        click.echo(f"single sign-on connected for organization {inn}: {stored.email_domain} through {stored.issuer}")
        callback = f"{services.settings.base_url}/oidc/{stored.name}/callback"
        click.echo(f"redirect URI to register at the provider: {callback}")


@cli.group()
def alertmanager() -> None:
    """The Alertmanager that delivers alert letters and Slack messages."""


@alertmanager.command("config")
@click.option("--reload/--no-reload", default=True, help="Ask Alertmanager to reload when the file changed.")
def alertmanager_config(reload: bool) -> None:
    """Write Alertmanager's configuration (receivers per user and organization) into its directory.

    Kubernetes runs this as the Alertmanager pod's init container (``--no-reload``) so that Alertmanager starts with
    a configuration; the alerting worker keeps it current every minute after that."""
    from alerts import am_config
    from alerts.alertmanager import Alertmanager, AlertmanagerUnavailable
    from data.services import Services

    settings = _settings()
    directory = settings.am_config_dir
    if directory is None:
        raise click.ClickException("set WATTBOARD_ALERTMANAGER_CONFIG_DIR: where Alertmanager reads its configuration")
    services = Services(settings)
    try:
        try:
            path, changed = am_config.write(settings, services, directory)
        except am_config.ConfigInvalid as exc:
            raise click.ClickException(f"amtool refused the configuration: {exc}") from None
        click.echo(f"{path} {'written' if changed else 'unchanged'}")
        if changed and reload and services.alertmanager_url:
            try:
                Alertmanager(services.alertmanager_url).reload()
            except AlertmanagerUnavailable as exc:
                raise click.ClickException(f"written, but Alertmanager did not reload: {exc}") from None
    finally:
        services.close()


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


cli.add_command(forecast)
cli.add_command(review)
cli.add_command(meters)
cli.add_command(prices)
meters.add_command(set_category)
meters.add_command(set_place)
cli.add_command(weather)
cli.add_command(reports)


def main() -> None:
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except Exception as exc:
        try:
            url = Settings().database_url
        except Exception:
            url = None
        message = explain(exc, url)
        if message is None:
            raise
        click.echo(f"wattboard: error: {message}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
