"""Liveness (``/health``) and readiness (``/ready``: every store answers)."""

from __future__ import annotations

from flask import Blueprint, jsonify

from dashboard.services import services
from data import broker
from data import clickhouse_sql as sql

blueprint = Blueprint("health", __name__)


@blueprint.route("/health")
def health():  # type: ignore[no-untyped-def]
    return jsonify(status="ok")


@blueprint.route("/ready")
def ready():  # type: ignore[no-untyped-def]
    svc = services()
    checks: dict[str, str] = {}
    probes = {
        "relational": svc.db.ping,
        "clickhouse": lambda: svc.store.query_df(sql.PING),
        "kafka": lambda: broker.ping(svc.kafka_bootstrap),
        "redis": lambda: svc.redis.ping(),
    }
    for name, probe in probes.items():
        try:
            probe()
            checks[name] = "ok"
        except Exception as exc:
            checks[name] = f"error: {exc}"[:300]
    ok = all(v == "ok" for v in checks.values())
    return jsonify(status="ok" if ok else "unavailable", checks=checks), 200 if ok else 503
