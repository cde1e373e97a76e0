"""``wattboard up``: the whole product in one process on embedded defaults.

chDB allows one process per data directory, so everything that touches ClickHouse (web app,
ingestion consumer, RQ jobs, demo feed) runs here as threads; the Kafka-protocol broker and Valkey
run as child processes that die with us. Ctrl-C or SIGTERM stops producers first, lets the consumer
drain the broker into the store, then stops the children.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from typing import Any

from werkzeug.serving import make_server

from config import Settings
from data import broker, migrate
from data.services import Services, write_embedded_endpoints
from runtime import embedded
from runtime.errors import StartupError
from runtime.rq_runner import run_scheduler_thread, run_worker_thread
from workers import jobs
from workers.consumer import IngestConsumer

log = logging.getLogger(__name__)


class Supervisor:
    def __init__(self, settings: Settings, demo: bool, out: Callable[[str], None] = print) -> None:
        self.settings = settings
        self.demo = demo
        self.out = out
        self.stop_requested = threading.Event()
        self.children: list[embedded.ChildProcess] = []
        self.standins: list[Any] = []  # registry stand-ins (HTTP servers in threads)
        self.threads: list[tuple[str, threading.Thread, threading.Event]] = []
        self.web = None
        self.services: Services | None = None

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
        services = self.services = Services(s, kafka_bootstrap=bootstrap, redis_url=redis_url)
        self._start_registry_standins(services)
        if self.children or self.standins:
            write_embedded_endpoints(
                s.home, bootstrap, redis_url, fns_url=services.fns_url or "", contracts_url=services.contracts_url or ""
            )
        migrate.upgrade(services.db)
        services.store  # noqa: B018 - opens chDB (or the server) and creates the schema now
        broker.ensure_topics(bootstrap, services.topics, s.kafka_partitions)
        jobs.bind(services)

        from dashboard import create_app

        app = create_app(s, services)
        consumer = IngestConsumer(services)
        self._thread("ingest-consumer", consumer.run)
        self._thread("rq-worker", lambda stop: run_worker_thread(services.redis, stop))
        self._thread("rq-scheduler", lambda stop: run_scheduler_thread(services.redis, stop))
        self.web = make_server(s.host, s.port, app.server, threaded=True)
        web_thread = threading.Thread(target=self.web.serve_forever, name="web", daemon=True)
        web_thread.start()
        logins: dict[str, str] = {}
        if self.demo:
            from demo.feed import DemoFeed
            from demo.world import ensure_world

            logins = ensure_world(services.db, s.home)
            feed = DemoFeed(services, s.demo_interval)
            self._thread("demo-feed", feed.run)
        self._announce(logins)

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

    def _announce(self, logins: dict[str, str]) -> None:
        url = f"http://{self.settings.host}:{self.settings.port}/"
        self.out(f"Wattboard is running at {url}  (Ctrl-C stops it)")
        if logins:
            self.out("Demo logins (email / password):")
            for email, password in logins.items():
                self.out(f"  {email:32} {password}")
        if self.standins:
            from demo.registries import SIGNUP_CONTRACT, SIGNUP_INN

            number, supplier, signed = SIGNUP_CONTRACT
            self.out(f"Sign-up checks use local registry stand-ins; try INN {SIGNUP_INN}, contract {number}")
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
                if thread_name == name:
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
        self.out("Stopped.")
