"""The ``wattboard`` command line: starting the product's processes here, the administrative groups from
:mod:`runtime.commands`."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

import click

from config import Settings, load_settings
from data.queue import QUEUE_NAMES
from runtime.commands import GROUPS
from runtime.errors import explain
from runtime.metrics import prepare_multiprocess
from runtime.metrics import serve as serve_metrics
from runtime.operator import open_services

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
    from data.relational import migrate as migrations
    from partners.admin import bind_existing

    with open_services(_settings()) as services:
        migrations.upgrade(services.db)
        services.store  # noqa: B018 - creates the ClickHouse schema
        for slug, (points, devices) in bind_existing(services).items():
            click.echo(f"partner {slug}: bound to the {points} metering points and {devices} devices it delivered for")
    click.echo("schema is up to date")


@cli.command()
@click.option("--workers", type=int, default=2, help="gunicorn worker processes.")
@click.option("--threads", type=int, default=4, help="threads per worker process (bench.load compares the two).")
def web(workers: int, threads: int) -> None:
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
            str(threads),
            "--bind",
            bind,
            *(["--access-logfile", "-"] if settings.access_log else []),
            "--config",
            "python:runtime.gunicorn_conf",
            "web.wsgi:server",
        ],
    )


@cli.command()
def consume() -> None:
    """Production ingestion consumer (scale by running more, up to the partition count)."""
    from data.messaging import broker
    from data.services import Services
    from runtime.ingestion import ingest_consumer

    settings = _settings()
    _logging(settings)
    serve_metrics(settings.metrics_address)
    services = Services(settings)
    broker.ensure_topics(services.broker_address, services.topics, settings.kafka_partitions)
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


for group in GROUPS:
    cli.add_command(group)


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
