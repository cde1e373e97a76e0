"""Liveness (``/health``) and readiness (``/ready``: every store answers)."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from context.services import services

blueprint = Blueprint("health", __name__)


@blueprint.route("/health")
def health() -> ResponseReturnValue:
    return jsonify(status="ok")


@blueprint.route("/ready")
def ready() -> ResponseReturnValue:
    checks = services().readiness()
    ok = all(v == "ok" for v in checks.values())
    return jsonify(status="ok" if ok else "unavailable", checks=checks), 200 if ok else 503
