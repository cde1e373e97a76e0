"""The demo world the web benchmarks run against, and ``wattboard web`` serving it (``bench.load``, ``bench.browser``).

The demo world (3 organizations, 21 metering points, 13 months of half-hourly history written with the production
write path) lives in ClickHouse behind its HTTP interface (``tests.clickhouse_server``: the real engine, chDB, in a
process of its own — no ClickHouse server can be installed here), PostgreSQL when ``WATTBOARD_TEST_DATABASE_URL`` is set
(else SQLite), Redis from ``WATTBOARD_TEST_REDIS_URL`` (else an embedded Valkey), and an embedded Kafka-protocol broker.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import requests

from config import Settings, load_settings
from data.clickhouse.readings import readings_frame, write_readings
from data.clickhouse.store import ServerStore, create_schema
from data.relational import migrate
from data.relational.meters import meter_directory
from data.services import Services
from demo.feed import HALF_HOUR, HISTORY_DAYS, _seed, intervals
from demo.world import all_meters, ensure_world
from runtime import embedded

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class WebWorld:
    settings: Settings
    services: Services
    logins: dict[str, str]  # email → password of the demo's accounts
    env: dict[str, str]  # what ``wattboard web`` is started with
    clickhouse: subprocess.Popen
    broker: embedded.ChildProcess
    valkey: embedded.ChildProcess | None

    def forget_answers(self) -> None:
        """Empty the shared answer cache: the next request computes afresh."""
        for key in self.services.redis.scan_iter("wb:answer:*"):
            self.services.redis.delete(key)

    def close(self) -> None:
        self.broker.stop()
        if self.valkey is not None:
            self.valkey.stop()
        self.clickhouse.terminate()
        self.clickhouse.wait(30)


def demo_world(prefix: str) -> WebWorld:
    """Start the stores, create the demo world and write its history (says what it made)."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    clickhouse = subprocess.Popen(  # its own process: the engine must not share an interpreter with the web tier
        [sys.executable, "-m", "tests.clickhouse_server", str(home / "clickhouse")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert clickhouse.stdout is not None
    clickhouse_url = clickhouse.stdout.readline().strip()
    valkey = None
    redis_url = os.environ.get("WATTBOARD_TEST_REDIS_URL")
    if not redis_url:
        valkey = embedded.start_valkey(home)
        redis_url = f"redis://127.0.0.1:{valkey.port}/0"
    broker = embedded.start_broker(home)
    database_url = fresh_postgres(os.environ.get("WATTBOARD_TEST_DATABASE_URL"))
    settings = load_settings(
        home=home,
        database_url=database_url,
        clickhouse_url=clickhouse_url,
        redis_url=redis_url,
        kafka_bootstrap=f"127.0.0.1:{broker.port}",
        metrics_address="",
    )
    services = Services(settings)
    migrate.upgrade(services.db)
    logins = ensure_world(services.db, home)
    store = ServerStore(clickhouse_url)
    create_schema(store)
    began = time.perf_counter()
    rows = fill_history(store, services)
    print(
        f"demo world: {len(logins)} logins, {rows:,} half-hour readings written in {time.perf_counter() - began:.0f} s"
    )
    print(f"relational: {'PostgreSQL' if database_url else 'SQLite'}; ClickHouse: chDB behind its HTTP interface")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATTBOARD_")}
    env.update(
        WATTBOARD_HOME=str(home),
        WATTBOARD_DATABASE_URL=settings.relational_url,
        WATTBOARD_CLICKHOUSE_URL=clickhouse_url,
        WATTBOARD_REDIS_URL=redis_url,
        WATTBOARD_KAFKA_BOOTSTRAP=f"127.0.0.1:{broker.port}",
        WATTBOARD_METRICS_ADDRESS="",
        WATTBOARD_LOG_LEVEL="WARNING",
    )
    return WebWorld(settings, services, logins, env, clickhouse, broker, valkey)


LARGE_OWNER = "owner@bench.ru"  # a consumer of the large world's first organization


def add_large_world(world: WebWorld, points: int, orgs: int = 10, days: int = 365) -> None:
    """bench.pages' world beside the demo's: ``orgs`` organizations sharing ``points`` metering points (each with a
    device, :func:`add_devices`), ``days`` of hourly readings each (written by the engine, rollups by the production
    refresh); the first organization's consumer signs in as :data:`LARGE_OWNER`, and the demo's administrator now sees
    every point of both."""
    from sqlalchemy import func, select

    from auth.passwords import hash_password
    from bench.pages import add_points, fill, settle
    from data.relational import users
    from data.relational.models import MeteringPoint

    with world.services.db.session() as s:
        first_id = int(s.scalar(select(func.max(MeteringPoint.id))) or 0) + 1
    inns = add_points(world.services, points, orgs, first_id)
    add_devices(world.services, points, first_id)
    password = "bench password 1"
    users.create_user(world.services.db, LARGE_OWNER, hash_password(password), "consumer", org_inn=inns[0])
    world.logins[LARGE_OWNER] = password
    store = ServerStore(world.env["WATTBOARD_CLICKHOUSE_URL"])
    end_day = dt.date.today()
    start = dt.datetime.combine(end_day - dt.timedelta(days=days), dt.time(0), dt.UTC) - dt.timedelta(hours=3)
    print(f"large world: {points:,} metering points × {days} days of hourly readings in {orgs} organizations")
    began = time.perf_counter()
    fill(store, points, days, start, first_id)
    print(f"filled and rolled up in {time.perf_counter() - began:.0f} s")
    settle(store)


def add_devices(services: Services, points: int, first_id: int) -> None:
    """A meter on each of the large world's points, as a utility's fleet reports them: most on line, one in fifty
    silent for a day, one in a hundred not heard of for a week, some with an error code or a low battery."""
    from sqlalchemy import insert

    from data.relational.models import Device

    now = dt.datetime.now(dt.UTC)
    rows = []
    for i in range(points):
        status = "offline" if i % 100 == 7 else "stale" if i % 50 == 3 else "online"
        hours = {"offline": 24 * 7, "stale": 24}.get(status, 0.25)
        rows.append(
            {
                "serial": f"BD-{i + 1:05d}",
                "model": "Меркурий 234",
                "metering_point_id": first_id + i,
                "status": status,
                "last_seen": now - dt.timedelta(hours=hours),
                "battery": 15.0 if i % 40 == 11 else 60.0 + i % 40,
                "signal": -70.0 - i % 30,
                "error_code": "E17" if i % 200 == 5 else None,
            }
        )
    with services.db.session() as s:
        s.execute(insert(Device), rows)


def fill_history(store: ServerStore, services: Services) -> int:
    """13 months of the demo world's half-hour readings, through the production write path (rollups included)."""
    directory = meter_directory(services.db)
    end = int(time.time()) // HALF_HOUR * HALF_HOUR
    start = end - HISTORY_DAYS * 86_400
    total = 0
    for _org, meter in all_meters():
        info = directory[meter.code]
        rng = np.random.default_rng(_seed(meter.code))
        ts, kwh = intervals(meter, start, end, HALF_HOUR, rng)
        n = len(ts)
        frame = readings_frame(
            {
                "meter_id": [info.id] * n,
                "ts": ts,
                "value": kwh,
                "interval_s": [HALF_HOUR] * n,
                "status": [0] * n,
                "version": [1] * n,
                "utc_offset": [10_800] * n,
                "partner": ["demo"] * n,
                "batch_id": ["load-history"] * n,
            }
        )
        write_readings(store, frame)
        total += n
    return total


def fresh_postgres(server_url: str | None) -> str | None:
    """A new, empty database on the PostgreSQL server of that URL (None: SQLite in the bench's home)."""
    if not server_url:
        return None
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    name = f"wb_load_{uuid.uuid4().hex[:8]}"
    admin = make_url(server_url).set(drivername="postgresql")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.set(database=name, drivername="postgresql+psycopg").render_as_string(hide_password=False)


def start_web(env: dict[str, str], workers: int, port: int, threads: int = 4) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "runtime.cli", "web", "--workers", str(workers), "--threads", str(threads)],
        env={**env, "WATTBOARD_PORT": str(port)},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except requests.RequestException:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("wattboard web did not start")
