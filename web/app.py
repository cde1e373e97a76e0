"""Builds the Flask server and the Dash app around it."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

import dash
import dash_bootstrap_components as dbc
from flask import Flask, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from prometheus_flask_exporter import PrometheusMetrics
from werkzeug.middleware.proxy_fix import ProxyFix

import callbacks
import dashboard
import pages
from config import Settings
from context import sessions
from dashboard import shell
from data.services import Services
from web import (
    account_views,
    answer_json,
    api,
    auth_views,
    error_pages,
    exports,
    health,
    openapi,
    prepared_answers,
    request_guards,
    security_headers,
    signup_views,
    sso_views,
)

ASSETS = Path(dashboard.__file__).resolve().parent / "assets"  # package data: it travels with the wheel


def _modules(package: ModuleType) -> list[str]:
    """Every module of a package (``pages``: one per page; ``callbacks``: one per page and the shell), found on
    disk rather than listed by hand. A new page is a new module in each; nothing here changes."""
    return sorted(f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__) if m.name[0] != "_")


# What answers without a session, as whole routes: these paths exactly, and everything below these folders.
PUBLIC_ROUTES = frozenset(
    {"/login", "/health", "/ready", "/favicon.ico", "/signup", "/signup/status", "/signup/sent", "/sso",
     "/password/forgot", "/api/v1/openapi.json"}
)
PUBLIC_FOLDERS = (
    "/assets/",
    "/_dash-component-suites/",
    "/lang/",
    "/api/v1/ingest/",  # partner push authenticates the partner's own key
    "/api/v1/inn/",  # the sign-up form checks the INN as the user types (rate-limited)
    "/api/v1/alertmanager/",  # Alertmanager's webhook authenticates with its own token
    "/password/reset/",
    "/signup/confirm/",
    "/invite/",
    "/oidc/",  # dash-auth's OpenID Connect login and callback
)


def is_public(path: str) -> bool:
    """A whole public route (``/loginfoo`` and ``/ssoX`` are not ``/login`` and ``/sso``); a path with ``.`` or
    ``..`` segments or empty ones is never public, whatever it starts with."""
    segments = path.split("/")[1:]
    if any(segment in ("", ".", "..") for segment in segments[:-1]) or segments[-1:] in ([".."], ["."]):
        return False
    return path in PUBLIC_ROUTES or (path.startswith(PUBLIC_FOLDERS) and not path.endswith("/"))
MAX_UPLOAD_BYTES = 64 * 1024 * 1024


def create_app(settings: Settings, services: Services | None = None) -> dash.Dash:
    services = services or Services(settings)
    answer_json.install()  # Dash's answers through orjson in one pass
    server = Flask("wattboard")
    server.config.update(
        SECRET_KEY=settings.flask_secret(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=12),
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        # Production sits behind an HTTPS ingress; the embedded mode serves plain HTTP on localhost.
        SESSION_COOKIE_SECURE=settings.mode == "production",
        REMEMBER_COOKIE_SECURE=settings.mode == "production",
    )
    if settings.mode == "production":
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]  # Flask's way
    server.extensions["wattboard"] = services
    sessions.install(server, services)
    server.register_blueprint(auth_views.blueprint)
    server.register_blueprint(account_views.blueprint)
    server.register_blueprint(signup_views.blueprint)
    server.register_blueprint(api.blueprint)
    server.register_blueprint(openapi.blueprint)
    server.register_blueprint(health.blueprint)
    server.register_blueprint(exports.blueprint)
    error_pages.install(server)
    # Metrics are served on their own address by each process (runtime.metrics), never on the public port.
    PrometheusMetrics(server, path=None, group_by="url_rule", defaults_prefix="wattboard")

    @server.before_request
    def _same_origin() -> ResponseReturnValue | None:
        own = [request.host_url, settings.public_url or ""]
        refused = request_guards.foreign_origin(request.method, request.path, request.headers, own)
        if refused:
            return jsonify(error=refused), 403
        return None

    @server.before_request
    def _require_login() -> ResponseReturnValue | None:
        path = request.path
        if is_public(path) or current_user.is_authenticated:
            return None
        if path.startswith(("/api/", "/_dash")):
            return jsonify(error="authentication required"), 401
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    # Callback answers and the shell go out compressed: zstd (level 3) to a browser that takes it (Chromium, Firefox) —
    # in a quarter of gzip's CPU (a chart's answer of 26 KB: 0.055 ms and 2.8 KB against 0.23 ms and 3.8 KB at gzip's
    # level 5; the shell a tenth larger) — and gzip (level 5) to the others.
    server.config.update(
        COMPRESS_ALGORITHM=["zstd", "gzip"], COMPRESS_ZSTD_LEVEL=3, COMPRESS_LEVEL=5, COMPRESS_MIN_SIZE=1000
    )
    app = dash.Dash(
        "wattboard",
        compress=True,
        server=server,  # type: ignore[arg-type]  # Dash 4's annotation leaves out the Flask server it documents
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        assets_ignore=r"^plotly-cartesian\.min\.js$",  # fetched by dcc.Graph where a chart is drawn (plotly-bundle.js)
        title="Wattboard",
        update_title=None,  # type: ignore[arg-type]  # None turns the «Updating…» title off, as Dash documents
        suppress_callback_exceptions=True,
        serve_locally=True,
        external_stylesheets=[],
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    for module in _modules(pages):
        importlib.import_module(module)  # each registers itself with dash.register_page
    app.layout = shell.layout
    for module in _modules(callbacks):
        importlib.import_module(module).register(app)
    sso_views.install(app)
    prepared_answers.install(app, server)  # the callbacks' map and pages' HTML, built once

    inn_check = security_headers.script_hash(signup_views.INN_CHECK_JS)
    security_headers.install(server, lambda: [*app.csp_hashes(), inn_check], settings.mode == "production")

    @server.before_request
    def _well_formed_callback() -> ResponseReturnValue | None:
        if request.method == "POST" and request.path == "/_dash-update-component":
            problem = request_guards.malformed_callback(request.get_json(silent=True), app.callback_map)
            if problem:
                return jsonify(error=problem), 400
        return None

    _ = dbc  # the components register their JS bundle with Dash on import
    return app
