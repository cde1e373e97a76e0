"""The relational store (PostgreSQL through psycopg 3, or a SQLite file): this module holds the engine and
sessions; beside it the model (``models``), its migrations (``migrations``, ``migrate``) and one repository per
capability, each taking a :class:`Database` and returning plain dataclasses, never ORM objects."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, Engine, Result, String, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)


# A pooled connection is pinged before use only when it lay idle this long: one used a moment ago is alive (a ping on
# every checkout was a round trip more on every session, several per request), one that lay idle may have been cut
# by a restart or a firewall, and a dead one is replaced before the request sees it.
IDLE_BEFORE_PING_S = 10.0


def _mark_idle(_dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dialect: Any) -> Any:
    """The pool's checkout listener: SQLAlchemy's own ping (``pool_pre_ping``'s), for idle connections only."""

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is not None and time.monotonic() - since < IDLE_BEFORE_PING_S:
            return
        try:
            alive = dialect.do_ping(dbapi_connection)
        except Exception as exc:  # the driver's error for a closed or broken connection
            raise DisconnectionError(str(exc)) from exc  # the pool drops it and hands out a fresh one
        if not alive:
            raise DisconnectionError("the connection did not answer")

    return checkout


T = TypeVar("T")
KEPT_AT_MOST = 20_000  # answers a database keeps by its counters (Database.kept)
_CHANGED = "wattboard_changed_tables"  # Session.info: the tables whose rows this transaction updated or deleted
_ADDED = "wattboard_added_tables"  # Session.info: the tables this transaction added rows to


def _note_flushed(session: Session, _context: Any) -> None:
    changed = (*session.dirty, *session.deleted)
    session.info.setdefault(_CHANGED, set()).update(getattr(o, "__tablename__", "") for o in changed)
    session.info.setdefault(_ADDED, set()).update(getattr(o, "__tablename__", "") for o in session.new)


def _note_statement(state: Any) -> None:  # sqlalchemy.orm.ORMExecuteState
    table = getattr(state.statement, "table", None)
    if (state.is_update or state.is_delete) and table is not None:
        state.session.info.setdefault(_CHANGED, set()).add(getattr(table, "name", ""))
    elif state.is_insert and table is not None:
        state.session.info.setdefault(_ADDED, set()).add(getattr(table, "name", ""))


def _forget_changes(session: Session, transaction: Any) -> None:
    if not transaction.nested:  # a savepoint's rollback leaves what the transaction wrote before it
        session.info.pop(_CHANGED, None)
        session.info.pop(_ADDED, None)


class Database:
    """One engine and its session factory; ``session()`` commits on success, rolls back on error."""

    def __init__(self, url: str) -> None:
        self.url = url
        parsed = make_url(url)
        if parsed.drivername == "postgresql":  # plain postgresql:// means psycopg 3 here
            parsed = parsed.set(drivername="postgresql+psycopg")
        if parsed.get_backend_name() == "sqlite":
            if parsed.database:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(parsed, connect_args={"timeout": 30})
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_engine(parsed, pool_size=5, max_overflow=10, connect_args={"connect_timeout": 5})
            event.listen(self.engine, "checkin", _mark_idle)
            event.listen(self.engine, "checkout", _ping_if_idle(self.engine.dialect))
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        self._watchers: dict[str, tuple[frozenset[str], frozenset[str], Callable[[], None]]] = {}
        self._counters: dict[str, Callable[[], int | None]] = {}
        self._kept: dict[tuple[str, object], tuple[int, Any]] = {}  # (counter, key) → (its value, what was read)
        event.listen(self._factory, "after_flush", _note_flushed)
        event.listen(self._factory, "do_orm_execute", _note_statement)
        event.listen(self._factory, "after_commit", self._announce)
        event.listen(self._factory, "after_soft_rollback", _forget_changes)

    def on_commit_changing(
        self, name: str, tables: Iterable[str], callback: Callable[[], None], added: Iterable[str] = ()
    ) -> None:
        """Call ``callback`` after every commit (through this object's sessions) that updated or deleted rows of one
        of ``tables`` — by ORM objects or by an ORM ``update``/``delete`` statement — or added rows to one of ``added``
        (ORM objects or an ORM ``insert``; for most readers a new row changes nothing they read before). A raw SQL
        text is not seen. A watcher of the same ``name`` is replaced."""
        self._watchers[name] = (frozenset(tables), frozenset(added), callback)

    def count_by(self, name: str, current: Callable[[], int | None]) -> None:
        """Where to read the counter ``name`` that a watcher moves (``data.queue.versions``): :meth:`kept` keeps
        what was read by it."""
        self._counters[name] = current

    def kept(self, name: str, key: object, read: Callable[[], T], unkept: Callable[[], T] | None = None) -> T:
        """``read()``, or what it gave for the same ``key`` while the counter ``name`` has not moved — in this process
        and any other writing through a database that moves it. Without such a counter (a database built without
        Redis) or when it cannot be read, nothing is kept: ``unkept()`` answers if given (a narrower read than one
        worth keeping), else ``read()``. At most :data:`KEPT_AT_MOST` keys are kept."""
        return self.kept_at(name, key, read, unkept)[1]

    def kept_at(
        self, name: str, key: object, read: Callable[[], T], unkept: Callable[[], T] | None = None
    ) -> tuple[int | None, T]:
        """:meth:`kept`, with the counter's value it holds for (None: nothing kept)."""
        counter = self._counters.get(name)
        value = counter() if counter is not None else None
        if value is None:
            return None, (unkept or read)()
        earlier = self._kept.get((name, key))
        if earlier is not None and earlier[0] == value:
            return value, cast(T, earlier[1])
        answer = read()  # the counter was read first: a change committed meanwhile moves it after
        if len(self._kept) >= KEPT_AT_MOST:
            self._kept.clear()
        self._kept[(name, key)] = (value, answer)
        return value, answer

    def _announce(self, session: Session) -> None:
        changed, new = session.info.pop(_CHANGED, set()), session.info.pop(_ADDED, set())
        for tables, added, callback in list(self._watchers.values()):
            if changed & tables or new & added:
                try:
                    callback()
                except Exception:  # a watcher's failure must not turn a committed write into an error
                    log.exception("a watcher of tables %s failed", sorted(tables))

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._factory() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


def connection_problem(exc: BaseException, url: str | None) -> str | None:
    """One line for a relational database that cannot be reached or a URL that is not one, else None."""
    from sqlalchemy.exc import ArgumentError, OperationalError

    if isinstance(exc, OperationalError):
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
        return f"cannot connect to the relational database{_where(url)}: {reason} — check WATTBOARD_DATABASE_URL"
    if isinstance(exc, ArgumentError):
        return f"WATTBOARD_DATABASE_URL is not a database URL: {exc}"
    return None


def _where(url: str | None) -> str:
    from sqlalchemy.exc import ArgumentError

    if not url:
        return ""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return ""
    if parsed.host:
        return f" at {parsed.host}:{parsed.port or 5432}"
    return f" {parsed.database}" if parsed.database else ""


def _sqlite_pragmas(dbapi_conn: Any, _record: object) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed (what a session returns for one is a cursor's result)."""
    return cast(CursorResult[Any], result).rowcount or 0


def text_length(model: Any, column: str) -> int:
    """The longest value a text column of a model holds (a form checks it before the database refuses)."""
    kind = model.__table__.c[column].type
    if not isinstance(kind, String) or kind.length is None:
        raise TypeError(f"{column} is not a text column of bounded length")
    return kind.length
