"""Errors answered in the user's language: an HTML page for browsers, JSON for the API and Dash's requests
(Werkzeug's own pages are English)."""

from __future__ import annotations

from html import escape

from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from i18n import t
from web.forms import page

TITLES = {404: "error.not_found", 405: "error.method", 413: "error.too_large"}


def install(server: Flask) -> None:
    @server.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> ResponseReturnValue:
        status = exc.code or 500
        if request.path.startswith(("/api/", "/_dash")):
            return jsonify(error=exc.description or exc.name), status
        title = t(TITLES.get(status, "error.server"))
        text = t("error.not_found_text") if status == 404 else (exc.description or "")
        body = f'<p>{escape(text)}</p><p><a class="btn btn-primary" href="/">{t("error.back")}</a></p>'
        return page(title, body), status

    @server.errorhandler(500)
    def _server_error(_exc: Exception) -> ResponseReturnValue:
        if request.path.startswith(("/api/", "/_dash")):
            return jsonify(error="internal error; it has been logged"), 500
        body = f'<p>{t("error.server_text")}</p><p><a class="btn btn-primary" href="/">{t("error.back")}</a></p>'
        return page(t("error.server"), body), 500
