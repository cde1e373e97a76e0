"""One small interface over ClickHouse, with two backends: chDB (embedded) and clickhouse-connect.

chDB holds an exclusive lock on its data directory, so one process owns it; within that process
each thread gets its own connection to the same path.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlparse

import pandas as pd

from data import clickhouse_sql


class AnalyticsStore(Protocol):
    def command(self, sql: str, params: dict[str, Any] | None = None) -> None: ...

    def query_df(self, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame: ...

    def insert_df(self, table: str, frame: pd.DataFrame) -> None: ...

    def close(self) -> None: ...


class StoreUnavailable(RuntimeError):
    """ClickHouse cannot be reached or opened; the message says what to check."""


class ChdbStore:
    """The real ClickHouse engine in-process (chDB), data under ``path``."""

    def __init__(self, path: Path) -> None:
        import chdb

        self._chdb = chdb
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()
        try:
            self._conn()
        except Exception as exc:  # chdb raises plain RuntimeError on a locked directory
            raise StoreUnavailable(f"cannot open chDB at {self.path}: {exc}") from None

    def _conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._chdb.connect(str(self.path))
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def command(self, sql: str, params: dict[str, Any] | None = None) -> None:
        self._conn().query(sql, "CSV", params=_chdb_params(params))

    def query_df(self, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        return self._conn().query(sql, "DataFrame", params=_chdb_params(params))

    def insert_df(self, table: str, frame: pd.DataFrame) -> None:
        columns = ", ".join(frame.columns)
        self._conn().query(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM Python(frame)")

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                with contextlib.suppress(Exception):  # closing is best effort
                    conn.close()
            self._all.clear()
        self._local = threading.local()


class ServerStore:
    """A ClickHouse server over HTTP (clickhouse-connect); one client per thread."""

    def __init__(self, url: str) -> None:
        import clickhouse_connect

        parsed = urlparse(url)
        self._kwargs = {
            "host": parsed.hostname,
            "port": parsed.port or (8443 if parsed.scheme == "https" else 8123),
            "username": unquote(parsed.username or "default"),
            "password": unquote(parsed.password or ""),
            "database": parsed.path.strip("/") or "default",
            "secure": parsed.scheme == "https",
            "connect_timeout": 5,
            "send_receive_timeout": 60,
        }
        self._connect = clickhouse_connect.get_client
        self._local = threading.local()
        try:
            self._client()
        except Exception as exc:
            where = f"{parsed.hostname}:{self._kwargs['port']}"
            message = f"cannot reach ClickHouse at {where}: {exc} — check WATTBOARD_CLICKHOUSE_URL"
            raise StoreUnavailable(message) from None

    def _client(self) -> Any:
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._connect(**self._kwargs)
            self._local.client = client
        return client

    def command(self, sql: str, params: dict[str, Any] | None = None) -> None:
        self._client().command(sql, parameters=params)

    def query_df(self, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        return self._client().query_df(sql, parameters=params)

    def insert_df(self, table: str, frame: pd.DataFrame) -> None:
        self._client().insert_df(table, frame)

    def close(self) -> None:
        client = getattr(self._local, "client", None)
        if client is not None:
            client.close()


def _chdb_params(params: dict[str, Any] | None) -> dict[str, Any] | None:
    """chDB binds scalars and lists; dates and datetimes go as ClickHouse text (UTC)."""
    if not params:
        return None
    return {key: _chdb_value(value) for key, value in params.items()}


def _chdb_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def open_store(clickhouse_url: str | None, chdb_path: Path) -> AnalyticsStore:
    store: AnalyticsStore = ServerStore(clickhouse_url) if clickhouse_url else ChdbStore(chdb_path)
    create_schema(store)
    return store


def create_schema(store: AnalyticsStore) -> None:
    for ddl in clickhouse_sql.SCHEMA:
        store.command(ddl)
