"""REST API v1: the caller's metering points and their readings (session or bearer token)."""

from __future__ import annotations

import io

import pandas as pd
from flask import Blueprint, Response, jsonify, request
from kafka.errors import KafkaError

from analytics.series import parse_range, query_bounds, with_gaps
from auth.access import MeterNotFound, meter_for, visible_meters
from auth.sessions import current_principal
from dashboard.services import services
from data import partners as partners_repo
from data.readings import series
from partners.ingest import ingest_device_states, ingest_payload

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")


@blueprint.errorhandler(MeterNotFound)
def _not_found(exc: MeterNotFound):  # type: ignore[no-untyped-def]
    return jsonify(error=f"metering point {exc.args[0]!r} not found"), 404


@blueprint.errorhandler(ValueError)
def _bad_request(exc: ValueError):  # type: ignore[no-untyped-def]
    return jsonify(error=str(exc)), 400


@blueprint.route("/meters")
def meters():  # type: ignore[no-untyped-def]
    principal = current_principal()
    rows = visible_meters(services().db, principal)
    return jsonify(
        meters=[
            {
                "code": m.code,
                "name": m.name,
                "organization": m.organization_name,
                "timezone": m.timezone,
                "tariff_plan": m.tariff_plan,
                "address": m.address,
            }
            for m in rows
        ]
    )


@blueprint.route("/meters/<code>/readings")
def readings(code: str):  # type: ignore[no-untyped-def]
    svc = services()
    meter = meter_for(svc.db, current_principal(), code)
    granularity = request.args.get("granularity", "hour")
    if granularity not in ("raw", "hour", "day"):
        raise ValueError("granularity must be raw, hour or day")
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "csv"):
        raise ValueError("format must be json or csv")
    start, end = parse_range(request.args.get("from"), request.args.get("to"))
    lo, hi = query_bounds(granularity, start, end, meter.utc_offset)  # type: ignore[arg-type]
    frame = with_gaps(series(svc.store, meter.id, lo, hi, granularity), granularity, lo, hi)  # type: ignore[arg-type]
    out = pd.DataFrame(
        {
            "ts": _iso(frame["ts"], granularity) if not frame.empty else [],
            "value_kwh": frame["value"].round(6) if not frame.empty else [],
            "status": frame["status"] if not frame.empty else [],
        }
    )
    if fmt == "csv":
        buffer = io.StringIO()
        out.to_csv(buffer, index=False)
        return Response(
            buffer.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{code}-{granularity}.csv"'},
        )
    records = [
        {"ts": ts, "value_kwh": None if pd.isna(v) else float(v), "status": None if pd.isna(s) else int(s)}
        for ts, v, s in zip(out["ts"], out["value_kwh"], out["status"], strict=True)
    ]
    return jsonify(
        meter=code,
        granularity=granularity,
        unit="kWh",
        timezone=meter.timezone,
        **{"from": start.isoformat(), "to": end.isoformat()},
        readings=records,
    )


def _iso(ts: pd.Series, granularity: str) -> pd.Series:
    if granularity == "day":
        return pd.to_datetime(ts).dt.strftime("%Y-%m-%d")
    return pd.to_datetime(ts, utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")


@blueprint.route("/ingest/<slug>", methods=["POST"])
@blueprint.route("/ingest/<slug>/<kind>", methods=["POST"])
def ingest(slug: str, kind: str = "readings"):  # type: ignore[no-untyped-def]
    """Push from a partner: body in the partner's format, ``Authorization: Bearer <partner key>``.

    ``/ingest/<slug>`` takes readings; ``/ingest/<slug>/devices`` takes device-state reports.
    """
    svc = services()
    header = request.headers.get("Authorization", "")
    partner = (
        partners_repo.partner_by_key(svc.db, slug, header.removeprefix("Bearer ").strip())
        if header.startswith("Bearer ")
        else None
    )
    if partner is None:
        return jsonify(error="unknown partner or wrong key"), 401
    payload = request.get_data(cache=False)
    if not payload:
        raise ValueError("the request body is empty")
    try:
        if kind == "devices":
            report = ingest_device_states(svc, partner, payload)
        elif kind == "readings":
            report = ingest_payload(svc, partner, payload, "push", file_name=request.headers.get("X-File-Name"))
        else:
            return jsonify(error=f"unknown ingest kind {kind!r}: use readings or devices"), 404
    except KafkaError as exc:
        return jsonify(error=f"the broker is unavailable, nothing was accepted; retry later ({exc})"), 503
    body = report.as_json()
    return jsonify(body), (422 if report.error else 202)
