"""The handles to every store, opened lazily so a CLI command opens only what it uses."""

from __future__ import annotations

import json
import os
import threading
from functools import cached_property
from pathlib import Path
from typing import Any

from redis import Redis

from config import Settings
from data.clickhouse.store import AnalyticsStore, open_store
from data.messaging.broker import BrokerUnavailable, Topics, make_producer
from data.queue import accounts_version, redis_connection
from data.queue.versions import POINTS, PRICES, READERS
from data.relational import Database

RUNTIME_FILE = "runtime.json"


def embedded_endpoints(home: Path) -> dict[str, str]:
    """The broker and Valkey a running ``wattboard up`` started, so other commands can reach them."""
    path = home / RUNTIME_FILE
    try:
        info = json.loads(path.read_text())
        os.kill(int(info["pid"]), 0)
    except (OSError, ValueError, KeyError):
        return {}
    return {k: v for k, v in info.items() if k in ENDPOINTS}


ENDPOINTS = ("kafka_bootstrap", "redis_url", "fns_url", "contracts_url", "alertmanager_url", "weather_url")


def write_embedded_endpoints(home: Path, kafka_bootstrap: str, redis_url: str, **others: str) -> None:
    endpoints = {"kafka_bootstrap": kafka_bootstrap, "redis_url": redis_url, **others}
    (home / RUNTIME_FILE).write_text(json.dumps({"pid": os.getpid(), **endpoints}))


class Services:
    def __init__(self, settings: Settings, kafka_bootstrap: str | None = None, redis_url: str | None = None) -> None:
        self.settings = settings
        running = embedded_endpoints(settings.home)
        self.kafka_bootstrap = kafka_bootstrap or settings.kafka_bootstrap or running.get("kafka_bootstrap")
        self.redis_url = redis_url or settings.redis_url or running.get("redis_url")
        # The registries sign-up checks against: configured, or the stand-ins `wattboard up` started.
        self.fns_url = settings.fns_url or running.get("fns_url")
        self.contracts_url = settings.contracts_url or running.get("contracts_url")
        # Where alerts are handed over for email and Slack: configured, or the child `wattboard up` started.
        self.alertmanager_url = settings.alertmanager_url or running.get("alertmanager_url") or None
        # Where hourly temperatures come from: configured, or the demo's stand-in `wattboard up` started.
        self.weather_url = settings.weather_url or running.get("weather_url") or None
        self.topics = Topics(settings.topic_prefix)
        self._lock = threading.Lock()

    @cached_property
    def db(self) -> Database:
        return self.watched(Database(self.settings.relational_url))

    def watched(self, db: Database) -> Database:
        """``db`` with its commits moving the counters web workers keep things by (a database handed in, too)."""
        if self.redis_url:  # a changed account moves the version web workers trust their session checks by
            accounts_version.watch(db, self.redis)
            READERS.watch(db, self.redis)  # and a new message or zone the one they keep readers' bells by
            POINTS.watch(db, self.redis)  # and a point's or an organization's change the one they keep points by
            PRICES.watch(db, self.redis)  # and a price's the one they keep the price book by
        return db

    @cached_property
    def store(self) -> AnalyticsStore:
        with self._lock:
            return open_store(self.settings.clickhouse_url, self.settings.chdb_path, self.settings.clickhouse_cluster)

    @property
    def broker_address(self) -> str:
        """The Kafka bootstrap servers: configured, or those `wattboard up` started (:class:`BrokerUnavailable` if
        neither)."""
        if not self.kafka_bootstrap:
            raise BrokerUnavailable("no Kafka broker: start `wattboard up` or set WATTBOARD_KAFKA_BOOTSTRAP")
        return self.kafka_bootstrap

    @cached_property
    def producer(self) -> Any:
        return make_producer(self.broker_address)

    @cached_property
    def redis(self) -> Redis:
        if not self.redis_url:
            raise RuntimeError("no Redis configured (WATTBOARD_REDIS_URL) and none started")
        return redis_connection(self.redis_url)

    def readiness(self) -> dict[str, str]:
        """Whether every store answers now: ``ok`` or the error, per store (what ``/ready`` reports)."""
        from data.clickhouse import sql
        from data.messaging import broker

        probes = {
            "relational": self.db.ping,
            "clickhouse": lambda: self.store.query_df(sql.PING),
            "kafka": lambda: broker.ping(self.broker_address),
            "redis": lambda: self.redis.ping(),
        }
        checks: dict[str, str] = {}
        for name, probe in probes.items():
            try:
                probe()
                checks[name] = "ok"
            except Exception as exc:  # noqa: BLE001 - any failure is "not ready", with its words
                checks[name] = f"error: {exc}"[:300]
        return checks

    def close(self) -> None:
        for name in ("producer",):
            if name in self.__dict__:
                self.__dict__[name].close(timeout=5)
        if "store" in self.__dict__:
            self.store.close()
        if "db" in self.__dict__:
            self.db.dispose()
