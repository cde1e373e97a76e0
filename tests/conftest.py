"""Real components for the tests: Tansu (Kafka protocol), chDB, SQLite and PostgreSQL, Redis/Valkey.

PostgreSQL and Redis come from ``WATTBOARD_TEST_DATABASE_URL`` / ``WATTBOARD_TEST_REDIS_URL`` when set
(CI sets both); otherwise the relational tests run on SQLite only and Valkey is started embedded.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import requests
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from config import Settings, load_settings
from data.clickhouse import sql
from data.clickhouse.store import ChdbStore, create_schema
from data.messaging import broker
from data.relational import Database, migrate
from data.services import Services
from demo import registries as demo_registries
from registries.standin import StandInRegistry
from runtime import embedded
from runtime.ingestion import ingest_consumer
from tests import openapi_check
from tests.clickhouse_server import ClickHouseServer
from tests.smtp_server import SmtpServer
from workers.consumer import IngestConsumer

PG_URL = os.environ.get("WATTBOARD_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("WATTBOARD_TEST_REDIS_URL")

RELATIONAL_BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(scope="session", autouse=True)
def api_held_to_its_document() -> Iterator[None]:
    """Every API response any test receives through ``requests`` is checked against the OpenAPI document."""
    original = requests.sessions.Session.request

    def request(self, method, url, *args, **kwargs):
        response = original(self, method, url, *args, **kwargs)
        # Wattboard's answers carry its security headers; the stand-ins' /api/v1 (registries) are not its API.
        if "/api/v1/" in str(url) and "Content-Security-Policy" in response.headers:
            kind = response.headers.get("Content-Type", "")
            body = response.json() if kind.startswith("application/json") and response.content else None
            openapi_check.check(str(method).upper(), response.url, response.status_code, kind, body)
        return response

    requests.sessions.Session.request = request  # type: ignore[method-assign]  # every response is checked against the OpenAPI document
    yield
    requests.sessions.Session.request = original  # type: ignore[method-assign]  # put back


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("wattboard")


@pytest.fixture(scope="session")
def kafka_bootstrap(session_dir: Path) -> Iterator[str]:
    child = embedded.start_broker(session_dir)
    yield f"127.0.0.1:{child.port}"
    child.stop()


@pytest.fixture(scope="session")
def redis_url(session_dir: Path) -> Iterator[str]:
    if REDIS_URL:
        yield _per_worker(REDIS_URL)
        return
    child = embedded.start_valkey(session_dir)
    yield f"redis://127.0.0.1:{child.port}/0"
    child.stop()


def _per_worker(url: str) -> str:
    """Under pytest-xdist each worker gets a Redis database of its own (RQ queues and throttles must not mix):
    worker gwN uses the configured database number minus N."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return url
    base, _, number = url.rpartition("/")
    database = int(number) if number.isdigit() else 0
    return f"{base}/{max(0, database - int(worker[2:]))}"


@pytest.fixture(scope="session")
def chdb_store(session_dir: Path) -> Iterator[ChdbStore]:
    """chDB opens one data directory per process, so the tests share it and empty it between tests."""
    store = ChdbStore(session_dir / "clickhouse")
    create_schema(store)
    yield store
    store.close()


@pytest.fixture(scope="session")
def clickhouse_http(chdb_store: ChdbStore) -> Iterator[ClickHouseServer]:
    """ClickHouse's HTTP interface in front of the same engine: what ServerStore and other processes talk to."""
    server = ClickHouseServer(chdb_store.path)
    yield server
    server.stop()


@pytest.fixture
def store(chdb_store: ChdbStore) -> ChdbStore:
    for table in sql.TABLES:
        chdb_store.command(f"TRUNCATE TABLE {table.name}")
    return chdb_store


def _fresh_postgres_database() -> tuple[str, str]:
    name = f"wb_test_{uuid.uuid4().hex[:10]}"
    admin = make_url(PG_URL or "").set(drivername="postgresql")  # only called with a PostgreSQL configured
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.set(database=name, drivername="postgresql+psycopg").render_as_string(hide_password=False), name


def _drop_postgres_database(name: str) -> None:
    admin = make_url(PG_URL or "").set(drivername="postgresql")  # only called with a PostgreSQL configured
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=RELATIONAL_BACKENDS)
def relational_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'wattboard.db'}"
        return
    url, name = _fresh_postgres_database()
    yield url
    _drop_postgres_database(name)


@pytest.fixture
def db(relational_url: str) -> Iterator[Database]:
    database = Database(relational_url)
    migrate.upgrade(database)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def registries_running() -> Iterator[tuple[StandInRegistry, StandInRegistry]]:
    """The company and contract registry stand-ins: real HTTP servers (the clients are the production code)."""
    fns, contracts = StandInRegistry(key="fns-test-key"), StandInRegistry(key="contracts-test-key")
    fns.start()
    contracts.start()
    yield fns, contracts
    fns.stop()
    contracts.stop()


@pytest.fixture
def registries(registries_running) -> tuple[StandInRegistry, StandInRegistry]:
    """Both stand-ins with the demo companies and contracts, answering promptly."""
    for registry in registries_running:
        registry.companies.clear()
        registry.contracts.clear()
        registry.latency_s, registry.fail, registry.requests = 0.0, "", 0
    demo_registries.fill(*registries_running)
    return registries_running


@pytest.fixture(scope="session")
def smtp_running() -> Iterator[SmtpServer]:
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_running: SmtpServer) -> SmtpServer:
    smtp_running.received.clear()
    return smtp_running


@pytest.fixture
def settings(
    tmp_path: Path, relational_url: str, kafka_bootstrap: str, redis_url: str, registries, smtp
) -> Settings:
    fns, contracts = registries
    return load_settings(
        home=tmp_path,
        database_url=relational_url,
        kafka_bootstrap=kafka_bootstrap,
        redis_url=redis_url,
        topic_prefix=f"t{uuid.uuid4().hex[:8]}",
        kafka_partitions=2,
        fns_url=fns.url,
        fns_key=fns.key,
        contracts_url=contracts.url,
        contracts_key=contracts.key,
        smtp_url=smtp.url,
        public_url="http://wattboard.test",
    )


@pytest.fixture
def services(settings: Settings, db: Database, store: ChdbStore) -> Iterator[Services]:
    svc = Services(settings)
    svc.__dict__["db"] = svc.watched(db)  # already migrated
    svc.__dict__["store"] = store  # the process-wide chDB
    broker.ensure_topics(svc.broker_address, svc.topics, settings.kafka_partitions)
    for key in svc.redis.scan_iter("wb:*"):  # login throttles and rate limits start fresh in every test
        svc.redis.delete(key)
    yield svc
    if "producer" in svc.__dict__:
        svc.producer.close(timeout=5)


class LiveServer:
    def __init__(self, app, port: int | None = None) -> None:
        self.app = app
        self.port = port or embedded.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = make_server("127.0.0.1", self.port, app.server, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()


@pytest.fixture
def live_app(services: Services) -> Iterator[LiveServer]:
    """The real web app on a real HTTP port."""
    from web import create_app

    server = LiveServer(create_app(services.settings, services))
    yield server
    server.stop()


@pytest.fixture
def running_consumer(services: Services) -> Iterator[IngestConsumer]:
    """The ingestion consumer in a thread, joined to its group before the test starts."""
    consumer = ingest_consumer(services, max_wait_s=0.3, group=f"g-{services.topics.prefix}")
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    assert consumer.ready.wait(30), "consumer did not join its group"
    yield consumer
    stop.set()
    thread.join(30)
