"""Liveness (``/health``) and readiness (``/ready``: every store answers)."""

from __future__ import annotations

from flask import Blueprint, jsonify

from dashboard.services import services

blueprint = Blueprint("health", __name__)


@blueprint.route("/health")
def health():  # type: ignore[no-untyped-def]
    return jsonify(status="ok")


@blueprint.route("/ready")
def ready():  # type: ignore[no-untyped-def]
    checks = services().readiness()
    ok = all(v == "ok" for v in checks.values())
    return jsonify(status="ok" if ok else "unavailable", checks=checks), 200 if ok else 503
