"""Turning start-up failures into one line that says what to fix."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from auth.passwords import WeakPassword
from config import SettingsError
from data.broker import BrokerUnavailable
from data.clickhouse_store import StoreUnavailable
from data.partners import PartnerError
from data.users import UserError
from partners.fetcher import FetchError
from partners.secrets import SecretUnavailable


class StartupError(RuntimeError):
    """A start-up problem already phrased for the user."""


def explain(exc: BaseException, database_url: str | None = None) -> str | None:
    """One line for the problems a user can fix, or None for a real bug (shown as a traceback)."""
    if isinstance(
        exc,
        StartupError
        | SettingsError
        | BrokerUnavailable
        | StoreUnavailable
        | UserError
        | WeakPassword
        | PartnerError
        | FetchError
        | SecretUnavailable,
    ):
        return str(exc)
    if isinstance(exc, OperationalError):
        where = _where(database_url)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
        return f"cannot connect to the relational database{where}: {reason} — check WATTBOARD_DATABASE_URL"
    if isinstance(exc, ArgumentError):
        return f"WATTBOARD_DATABASE_URL is not a database URL: {exc}"
    return None


def _where(url: str | None) -> str:
    if not url:
        return ""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return ""
    if parsed.host:
        return f" at {parsed.host}:{parsed.port or 5432}"
    return f" {parsed.database}" if parsed.database else ""
