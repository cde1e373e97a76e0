"""``wattboard up``: the whole product in one process on embedded defaults.

chDB allows one process per data directory, so everything that touches ClickHouse (web app,
ingestion consumer, RQ jobs, demo feed) runs here as threads; the Kafka-protocol broker and Valkey
run as child processes that die with us. Ctrl-C or SIGTERM stops producers first, lets the consumer
drain the broker into the store, then stops the children.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from pydantic import SecretStr
from werkzeug.serving import BaseWSGIServer, make_server

from alerts import am_config
from config import Settings
from data.messaging import broker
from data.queue import ALERT_QUEUES, WORK_QUEUES, queue
from data.relational import migrate
from data.services import Services, write_embedded_endpoints
from partners.admin import bind_existing
from runtime import embedded
from runtime.errors import StartupError
from runtime.ingestion import ingest_consumer
from runtime.mail_sink import MailSink, outbox_writer
from runtime.metrics import serve as serve_metrics
from runtime.rq_runner import run_scheduler_thread, run_worker_thread
from workers import jobs

log = logging.getLogger(__name__)


def hold_home(home: Path) -> IO[str]:
    """Take the data directory for this process (chDB and SQLite allow one ``wattboard up`` per directory); the lock
    goes with the process, however it ends."""
    handle = open(home / "wattboard.lock", "a+")  # noqa: SIM115 - held for the life of the process
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "?"
        handle.close()
        raise StartupError(
            f"another `wattboard up` (pid {holder}) is using the data directory {home.resolve()} — stop it, "
            "or give this one its own WATTBOARD_HOME"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


class Supervisor:
    def __init__(self, settings: Settings, demo: bool, out: Callable[[str], None] = print) -> None:
        self.settings = settings
        self.demo = demo
        self.out = out
        self.stop_requested = threading.Event()
        self.children: list[embedded.ChildProcess] = []
        self.standins: list[Any] = []  # registry stand-ins (HTTP servers in threads)
        self.threads: list[tuple[str, threading.Thread, threading.Event]] = []
        self.web: BaseWSGIServer | None = None
        self.services: Services | None = None
        self.mail_sink: MailSink | None = None
        self.home_lock: IO[str] | None = None

    def _thread(self, name: str, target: Callable[[threading.Event], None]) -> None:
        stop = threading.Event()

        def run() -> None:
            try:
                target(stop)
            except Exception:
                log.exception("%s stopped with an error", name)

        thread = threading.Thread(target=run, name=name, daemon=True)
        thread.start()
        self.threads.append((name, thread, stop))

    def start(self) -> None:
        s = self.settings
        s.home.mkdir(parents=True, exist_ok=True)
        self.home_lock = hold_home(s.home)
        if embedded.port_in_use(s.host, s.port):
            raise StartupError(
                f"port {s.port} on {s.host} is already in use — stop what holds it or pass --port / set WATTBOARD_PORT"
            )
        s.home.mkdir(parents=True, exist_ok=True)
        bootstrap, redis_url = s.kafka_bootstrap, s.redis_url
        if bootstrap is None:
            child = embedded.start_broker(s.home)
            self.children.append(child)
            bootstrap = f"127.0.0.1:{child.port}"
        if redis_url is None:
            child = embedded.start_valkey(s.home)
            self.children.append(child)
            redis_url = f"redis://127.0.0.1:{child.port}/0"
        s = self.settings = self._mail_for_alertmanager(s)
        services = self.services = Services(s, kafka_bootstrap=bootstrap, redis_url=redis_url)
        self._start_registry_standins(services)
        self._start_weather_standin(services)
        migrate.upgrade(services.db)
        for slug, (points, devices) in bind_existing(services).items():
            log.info("partner %s bound to the %d points and %d devices it delivered for", slug, points, devices)
        self._start_alertmanager(services)
        if self.children or self.standins:
            write_embedded_endpoints(
                s.home,
                bootstrap,
                redis_url,
                fns_url=services.fns_url or "",
                contracts_url=services.contracts_url or "",
                alertmanager_url=services.alertmanager_url or "",
                weather_url=services.weather_url or "",
            )
        services.store  # noqa: B018 - opens chDB (or the server) and creates the schema now
        broker.ensure_topics(bootstrap, services.topics, s.kafka_partitions)
        jobs.bind(services)

        from web import create_app

        app = create_app(s, services)
        serve_metrics(s.metrics_address, queues=services.redis)
        consumer = ingest_consumer(services)
        self._thread("ingest-consumer", consumer.run)
        for n in range(s.workers):
            self._thread(f"rq-worker-{n + 1}", lambda stop: run_worker_thread(services.redis, stop, queues=WORK_QUEUES))
        self._thread("rq-worker-alerts", lambda stop: run_worker_thread(services.redis, stop, 0.3, ALERT_QUEUES))
        self._thread("rq-scheduler", lambda stop: run_scheduler_thread(services.redis, stop))
        self.web = web = make_server(s.host, s.port, app.server, threaded=True)
        web_thread = threading.Thread(target=web.serve_forever, name="web", daemon=True)
        web_thread.start()
        logins: dict[str, str] = {}
        if self.demo:
            from demo.feed import DemoFeed
            from demo.world import ensure_world

            logins = ensure_world(services.db, s.home)
            from demo.prices import ensure_prices

            ensure_prices(services.db)
            # The world's places get their weather now, before the first forecasts, not at the schedule's next turn.
            queue(services.redis, "ingest").enqueue(jobs.pull_weather, job_timeout=300)
            feed = DemoFeed(services, s.demo_interval)
            self._thread("demo-feed", feed.run)
            self._start_demo_partners(services)
        self._announce(logins)

    def _mail_for_alertmanager(self, s: Settings) -> Settings:
        """Alertmanager sends mail over SMTP only: without a mail server configured, a local one writes the letters
        into the outbox (account letters go the same way)."""
        if s.smtp_url is not None or s.alertmanager_url is not None or embedded.alertmanager_binary() is None:
            return s
        self.mail_sink = MailSink(outbox_writer(s.home))
        return s.model_copy(update={"smtp_url": SecretStr(self.mail_sink.url)})

    def _start_alertmanager(self, services: Services) -> None:
        s = self.settings
        if s.alertmanager_url is not None:
            return
        if embedded.alertmanager_binary() is None:
            self.out(
                "Alertmanager is not installed: alerts ring the bell, email and Slack wait in the outbox "
                "(apt-get install prometheus-alertmanager)"
            )
            return
        config, _ = am_config.write(s, services, s.am_config_dir)  # type: ignore[arg-type]  # embedded: always a folder
        child = embedded.start_alertmanager(s.home, config)
        self.children.append(child)
        services.alertmanager_url = f"http://127.0.0.1:{child.port}"

    def _start_registry_standins(self, services: Services) -> None:
        """Without configured registries, sign-up checks against local stand-ins that know the demo companies."""
        from demo import registries as demo_registries
        from registries.standin import StandInRegistry

        s = self.settings
        if s.fns_url and s.contracts_url:
            return
        fns = StandInRegistry(key=s.fns_key.get_secret_value() if s.fns_key else "")
        contracts = StandInRegistry(key=s.contracts_key.get_secret_value() if s.contracts_key else "")
        demo_registries.fill(fns, contracts)
        if not s.fns_url:
            services.fns_url = fns.start()
            self.standins.append(fns)
        if not s.contracts_url:
            services.contracts_url = contracts.start()
            self.standins.append(contracts)

    def _start_weather_standin(self, services: Services) -> None:
        """Without a configured weather source, hourly temperatures come from a local stand-in of the same API whose
        synthetic weather follows the demo's seasons."""
        from weather.standin import StandInWeather

        if self.settings.weather_url:
            return
        standin = StandInWeather()
        services.weather_url = standin.start()
        self.standins.append(standin)

    def _start_demo_partners(self, services: Services) -> None:
        """The office's meter-data operator pushing to this server, the factory's АСКУЭ on a local stand-in."""
        import secrets

        from demo.partners import DemoOperator, StandInAskue, ensure_partners

        askue = StandInAskue(key=secrets.token_urlsafe(24))
        askue.start()
        self.standins.append(askue)
        push_key = ensure_partners(services, askue)
        host = self.settings.host if self.settings.host not in ("0.0.0.0", "::", "") else "127.0.0.1"
        port = self.web.server_port if self.web is not None else self.settings.port
        operator = DemoOperator(services, f"http://{host}:{port}", push_key)
        self._thread("demo-operator", operator.run)

    def _announce(self, logins: dict[str, str]) -> None:
        url = f"http://{self.settings.host}:{self.settings.port}/"
        self.out(f"Wattboard is running at {url}  (Ctrl-C stops it)")
        if logins:
            self.out("Demo logins (email / password):")
            for email, password in logins.items():
                self.out(f"  {email:32} {password}")
        if self.services is not None and not (self.settings.fns_url and self.settings.contracts_url):
            from demo.registries import next_signup

            ready = next_signup(self.services.db)
            if ready is None:
                self.out("Sign-up checks use local registry stand-ins; every demo company has signed up already")
            else:
                inn, (number, supplier, signed) = ready
                self.out(f"Sign-up checks use local registry stand-ins; try INN {inn}, contract {number}")
                self.out(f"  ({supplier}, {signed}). Letters go to {self.settings.home / 'outbox'}")

    def handle_signals(self) -> None:
        """Ctrl-C and SIGTERM ask for a clean stop, even while still starting."""
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: self.stop_requested.set())

    def wait(self) -> None:
        self.stop_requested.wait()

    def stop(self) -> None:
        self.out("Stopping Wattboard…")
        if self.web is not None:
            self.web.shutdown()
        # Producers first, then the consumer drains what the broker holds, then the rest.
        order = ["demo-feed", "ingest-consumer", "rq-scheduler", "rq-worker"]
        for name in order:
            for thread_name, thread, stop in self.threads:
                if thread_name == name or thread_name.startswith(f"{name}-"):
                    stop.set()
                    thread.join(timeout=60)
                    if name == "demo-feed" and self.services is not None:
                        self.services.producer.flush(timeout=10)
        if self.services is not None:
            self.services.close()
        for standin in self.standins:
            standin.stop()
        for child in reversed(self.children):
            child.stop()
        if self.mail_sink is not None:
            self.mail_sink.stop()
        self.out("Stopped.")
