"""One small interface over ClickHouse, with two backends: chDB (embedded) and clickhouse-connect.

chDB holds an exclusive lock on its data directory, so one process owns it; within that process
each thread gets its own connection to the same path.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlparse

import pandas as pd

from data.clickhouse import sql as clickhouse_sql


class AnalyticsStore(Protocol):
    def command(self, sql: str, params: dict[str, Any] | None = None) -> None: ...

    def query_df(self, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame: ...

    def insert_df(self, table: str, frame: pd.DataFrame) -> None: ...

    def close(self) -> None: ...


class StoreUnavailable(RuntimeError):
    """ClickHouse cannot be reached or opened; the message says what to check."""


class StoreError(RuntimeError):
    """ClickHouse refused a statement; the message carries its error."""


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
    """A ClickHouse server over HTTP (clickhouse-connect); one client shared by the process's threads."""

    def __init__(self, url: str, cluster: str | None = None) -> None:
        import clickhouse_connect

        parsed = urlparse(url)
        self._kwargs: dict[str, Any] = {
            "host": parsed.hostname,
            "port": parsed.port or (8443 if parsed.scheme == "https" else 8123),
            "username": unquote(parsed.username or "default"),
            "password": unquote(parsed.password or ""),
            "database": parsed.path.strip("/") or "default",
            "secure": parsed.scheme == "https",
            "connect_timeout": 5,
            "autogenerate_session_id": False,
            "send_receive_timeout": 60,
            # On a cluster a write through a Distributed table returns once the shards have it: a chart drawn right
            # after an insert sees it.
            "settings": {"insert_distributed_sync": 1} if cluster else {},
        }
        self._connect = clickhouse_connect.get_client
        self._shared: Any = None
        self._lock = threading.Lock()
        self._datetime_columns: dict[str, set[str]] = {}
        try:
            self._client()
        except Exception as exc:
            where = f"{parsed.hostname}:{self._kwargs['port']}"
            message = f"cannot reach ClickHouse at {where}: {exc} — check WATTBOARD_CLICKHOUSE_URL"
            raise StoreUnavailable(message) from None

    def _client(self) -> Any:
        """One client for every thread: without session ids clickhouse-connect's client is safe to share, and making
        one costs a round trip and ~30 ms of CPU reading the server's settings."""
        if self._shared is None:
            with self._lock:
                if self._shared is None:
                    self._shared = self._connect(**self._kwargs)
        return self._shared

    RETRY_PAUSES_S = (0.5, 1.0, 2.0)

    def _call(self, action: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a client call; network trouble is retried with growing pauses, then reported as unavailability, and
        an error of the server becomes :class:`StoreError` with ClickHouse's message."""
        from clickhouse_connect.driver.exceptions import DatabaseError, OperationalError

        for attempt, pause in enumerate((*self.RETRY_PAUSES_S, None)):
            try:
                return fn(*args, **kwargs)
            except OperationalError as exc:
                if pause is None:
                    raise StoreUnavailable(f"ClickHouse did not answer {action} ({attempt + 1} tries): {exc}") from None
                time.sleep(pause)
            except DatabaseError as exc:
                raise StoreError(f"ClickHouse refused {action}: {exc}") from None
        raise AssertionError("unreachable")

    def command(self, sql: str, params: dict[str, Any] | None = None) -> None:
        self._call("a command", self._client().command, sql, parameters=params)

    def query_df(self, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        frame = self._call("a query", self._client().query_df, sql, parameters=params)
        if len(frame.columns) == 0:
            # An empty answer comes without its columns' names over HTTP; chDB in-process names them. Ask for them,
            # so that every backend answers "nothing" as a frame of the query's columns (callers read them by name).
            described = self._call("a query", self._client().query_df, f"DESCRIBE ({sql})", parameters=params)
            frame = pd.DataFrame({name: pd.Series(dtype="object") for name in described["name"]})
        return frame

    def insert_df(self, table: str, frame: pd.DataFrame) -> None:
        self._call(f"an insert into {table}", self._client().insert_df, table, self._epochs_as_ints(table, frame))

    def _epochs_as_ints(self, table: str, frame: pd.DataFrame) -> pd.DataFrame:
        """Frames carry DateTime columns as epoch seconds in numpy integers (what chDB reads fastest);
        clickhouse-connect writes a DateTime from Python ints or datetimes only, so those columns go as Python ints."""
        columns = self._datetime_columns.get(table)
        if columns is None:
            described = self.query_df(f"DESCRIBE TABLE {table}")
            columns = set(described.loc[described["type"].str.startswith("DateTime("), "name"])
            self._datetime_columns[table] = columns
        ints = [c for c in frame.columns if c in columns and pd.api.types.is_integer_dtype(frame[c])]
        if not ints:
            return frame
        return frame.assign(**{c: frame[c].astype(object) for c in ints})

    def close(self) -> None:
        with self._lock:
            if self._shared is not None:
                self._shared.close()
                self._shared = None


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


def open_store(clickhouse_url: str | None, chdb_path: Path, cluster: str | None = None) -> AnalyticsStore:
    store: AnalyticsStore = ServerStore(clickhouse_url, cluster) if clickhouse_url else ChdbStore(chdb_path)
    create_schema(store, cluster)
    return store


def create_schema(store: AnalyticsStore, cluster: str | None = None) -> None:
    for ddl in clickhouse_sql.schema(cluster):
        store.command(ddl)
