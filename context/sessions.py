"""Flask-Login wiring: the session user, API bearer tokens, session epochs and CSRF tokens; and each request's one
reading of the data versions' counters its session check and pages look at."""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Iterable
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from flask import Flask, abort, g, request, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from auth.principal import Principal
from data.queue import accounts_version, versions
from data.relational import Database, tokens, user_sessions
from data.services import Services

# A web worker trusts a session it checked while no account changed since (data.queue.accounts_version), and never
# longer than this: the check is a query on every request otherwise, a third of a cheap request's cost. A session ends
# only by a write the version follows (a sign-out, signing out everywhere, a block, a password reset): the limit is
# for a change made outside the application (SQL by hand, a lost Redis). At 30 s each worker asked again for every
# reader twice a minute — 2–3 % of the web workers' CPU under load (bench.load, 200 readers).
TRUSTED_S = 120.0
CHECKS_KEPT = 10_000


class SessionUser(UserMixin):
    def __init__(self, principal: Principal, epoch: int, session_id: str | None = None) -> None:
        self.principal = principal
        self.epoch = epoch
        self.session_id = session_id  # None for an API token, which has no browser session

    def get_id(self) -> str:
        return f"{self.principal.user_id}:{self.epoch}:{self.session_id}"


def _principal(user: Any) -> Principal:
    return Principal(
        user_id=user.id,
        email=user.email,
        role=user.role,
        organization_id=user.organization_id,
        language=user.language,
        is_owner=bool(user.is_owner),
    )


def _counters_read_once(app: WSGIApplication) -> WSGIApplication:
    """A request reads the data versions' counters once, all in one round trip to Redis (the session check's and
    those of the points, prices and readers its pages look at: ``data.queue.versions.one_reading``)."""

    def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        with versions.one_reading():
            return app(environ, start_response)

    return wrapped


def install(server: Flask, services: Services) -> LoginManager:
    server.wsgi_app = _counters_read_once(server.wsgi_app)  # type: ignore[method-assign,assignment]  # Flask's way
    manager = LoginManager()
    manager.login_view = "auth.login"
    manager.init_app(server)
    db = services.db
    redis = services.redis if services.redis_url else None  # without Redis every request asks the database
    if redis is not None:
        accounts_version.watch(db, redis)  # as Services does for every process; a database handed in directly too
    checked: dict[tuple[str, int, int], tuple[float, int, Principal]] = {}  # → when, at which version, who

    @manager.user_loader
    def load(user_key: str) -> SessionUser | None:
        user_id, epoch, session_id = (user_key.split(":") + ["", ""])[:3]
        if not user_id.isdecimal() or not epoch.isdecimal() or not session_id:
            return None
        key, now = (session_id, int(user_id), int(epoch)), time.monotonic()
        version = accounts_version.current(redis) if redis is not None else None  # None: nothing earlier is trusted
        earlier = checked.get(key)
        if earlier is not None and earlier[1] == version and now - earlier[0] < TRUSTED_S:
            return SessionUser(earlier[2], int(epoch), session_id)
        user = user_sessions.live_user(db, session_id, int(user_id))
        if user is None or user.status != "active" or user.session_epoch != int(epoch):
            checked.pop(key, None)
            return None
        principal = _principal(user)
        if version is not None:
            if len(checked) >= CHECKS_KEPT:
                checked.clear()
            checked[key] = (now, version, principal)
        return SessionUser(principal, user.session_epoch, session_id)

    @manager.request_loader
    def load_from_token(req: Any) -> SessionUser | None:
        header = req.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        user = tokens.user_for_token(db, header.removeprefix("Bearer ").strip())
        if user is None or user.status != "active":
            return None
        g.authenticated_by_token = True
        return SessionUser(_principal(user), user.session_epoch)

    return manager


def sign_in(db: Database, user: Any) -> None:
    """Start a server-side session for the user and put its id in the session cookie."""
    session.clear()
    session["lang"] = user.language
    session_id = user_sessions.start(db, user.id, request.remote_addr, request.user_agent.string)
    login_user(SessionUser(_principal(user), user.session_epoch, session_id))


def sign_out(db: Database) -> None:
    """End this session on the server (a copy of the cookie stops working too) and clear the cookie."""
    session_id = getattr(current_user, "session_id", None)
    if session_id:
        user_sessions.end(db, session_id)
    logout_user()
    session.clear()


def current_principal() -> Principal | None:
    if current_user and current_user.is_authenticated:
        return current_user.principal
    return None


def caller() -> Principal:
    """The signed-in caller of a view behind the app's login check (a 401 when there is none)."""
    principal = current_principal()
    if principal is None:
        abort(401)
    return principal


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def csrf_valid() -> bool:
    sent = request.form.get("csrf_token", "") or request.headers.get("X-CSRF-Token", "")
    expected = session.get("csrf", "")
    return bool(expected) and hmac.compare_digest(sent, expected)


def working_organization() -> int | None:
    """The organization a staff member last chose in the shell's switch, for this session (None: all of them)."""
    chosen = session.get("org")
    return chosen if isinstance(chosen, int) else None


def work_on(org_id: int | None) -> None:
    session["org"] = org_id
