"""REST API v1: the caller's metering points and their readings (session or bearer token)."""

from __future__ import annotations

import datetime as dt
import io
from typing import cast

import pandas as pd
from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue

from advice.service import recommendations
from alerts.actions import latest, unread
from alerts.system import WebhookRefused, receive_webhook
from analytics.categories import CategoryCost
from analytics.consumption import meter_readings
from analytics.series import BadRange, Granularity, checked_days, parse_range
from auth.access import MeterInfo, MeterNotFound, meter_for, visible_meters
from auth.principal import AccessDenied
from context.services import services
from context.sessions import caller
from data.messaging.broker import BrokerError
from forecasting.actions import forecast_view
from i18n import say, t, t_error
from manual.actions import PricedPeriod, create_manual_point, manual_point, submit_reading
from manual.registers import ReadingRefused
from partners.admin import partner_by_key
from partners.config import partner_config
from partners.formats.espi import write as espi_write
from partners.ingest import ingest_device_states, ingest_payload
from partners.streaming import ingest_file, received
from pricing.categories import NotABusiness, compare_categories
from pricing.comparison import comparison_for
from pricing.market import published
from weather.location import PointPlace, point_place, set_point_place

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")


@blueprint.errorhandler(MeterNotFound)
def _not_found(exc: MeterNotFound) -> ResponseReturnValue:
    return jsonify(error=f"metering point {exc.args[0]!r} not found"), 404


@blueprint.errorhandler(ReadingRefused)
def _refused(exc: ReadingRefused) -> ResponseReturnValue:
    """A manual reading or point refused: why, in Russian, and a code for programs."""
    return jsonify(error=t_error("manual.err", exc), code=exc.code), 400


@blueprint.errorhandler(AccessDenied)
def _forbidden(exc: AccessDenied) -> ResponseReturnValue:
    return jsonify(error=say(exc)), 403


@blueprint.errorhandler(ValueError)
def _bad_request(exc: ValueError) -> ResponseReturnValue:
    return jsonify(error=say(exc)), 400


@blueprint.route("/alertmanager/webhook", methods=["POST"])
def alertmanager_webhook() -> ResponseReturnValue:
    """Prometheus' alerts about Wattboard, from Alertmanager's staff receiver, into the staff's bell."""
    token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    try:
        published = receive_webhook(services(), token, request.get_json(silent=True))
    except WebhookRefused as exc:
        return jsonify(error=say(exc)), 401
    except BrokerError as exc:  # Alertmanager retries a failed webhook
        return jsonify(error=f"alerts topic unavailable: {exc}"), 503
    return jsonify(published=published)


@blueprint.route("/meters")
def meters() -> ResponseReturnValue:
    principal = caller()
    return jsonify(meters=[_meter(m) for m in visible_meters(services().db, principal)])


def _meter(m: MeterInfo) -> dict[str, object]:
    return {
        "code": m.code,
        "name": m.name,
        "organization": m.organization_name,
        "timezone": m.timezone,
        "tariff_plan": m.tariff_plan,
        "address": m.address,
    }


@blueprint.route("/meters", methods=["POST"])
def create_meter() -> ResponseReturnValue:
    """An owner adds a metering point read by eye: ``{"code", "name", "tariff_plan", "reading": "manual"}``."""
    body = _body()
    if body.get("reading") != "manual":
        raise ReadingRefused("reading", "only manual points are created here", reading=str(body.get("reading")))
    meter = create_manual_point(
        services(), caller(), str(body.get("code") or ""), str(body.get("name") or ""),
        str(body.get("tariff_plan") or "single"), _text(body.get("address")), _text(body.get("timezone")),
    )  # fmt: skip
    return jsonify(_meter(meter) | {"reading": "manual"}), 201


@blueprint.route("/meters/<code>/register-readings", methods=["POST"])
def add_register_reading(code: str) -> ResponseReturnValue:
    """``{"ts": "2026-11-25T10:00:00+03:00" | "2026-11-25", "registers": {"t1": …, "t2": …}, "replacement": false}``;
    answers the period it closes with its kWh per zone and roubles."""
    body = _body()
    registers = body.get("registers")
    if not isinstance(registers, dict) or not registers:
        raise ReadingRefused("registers_missing", "registers must be an object such as {\"t1\": 12345.6}")
    try:
        ts = dt.datetime.fromisoformat(str(body.get("ts") or ""))
    except ValueError:
        raise ReadingRefused("ts", "ts is not an ISO 8601 moment or date", ts=str(body.get("ts"))[:40]) from None
    closed = submit_reading(
        services(), caller(), code, ts, registers, replacement=bool(body.get("replacement", False))
    )
    return jsonify(meter=code, accepted=True, period=_period(closed) if closed else None), 201


@blueprint.route("/meters/<code>/register-readings")
def register_readings(code: str) -> ResponseReturnValue:
    """The point's readings and the periods between them, with kWh per zone and roubles."""
    point = manual_point(services(), caller(), code)
    return jsonify(
        meter=code,
        tariff_plan=point.meter.tariff_plan,
        timezone=point.meter.timezone,
        readings=[
            {"ts": r.ts.isoformat(), "registers": r.registers, "replacement": r.replacement} for r in point.readings
        ],
        periods=[_period(p) for p in point.periods],
    )


def _period(priced: PricedPeriod) -> dict[str, object]:
    p = priced.period
    return {
        "from": p.start.isoformat(),
        "to": p.end.isoformat(),
        "kwh": {zone: round(v, 3) for zone, v in p.kwh.items()},
        "total_kwh": round(p.total, 3),
        "rub": priced.rub,
    }


def _body() -> dict[str, object]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ReadingRefused("body", "the body must be a JSON object")
    return body


def _text(value: object) -> str | None:
    return str(value) if isinstance(value, str) and value.strip() else None


@blueprint.route("/meters/<code>/place")
def meter_place(code: str) -> ResponseReturnValue:
    """Where the point's weather comes from: its own coordinates, or the settlement its address names."""
    return jsonify(_place(point_place(services(), caller(), code)))


@blueprint.route("/meters/<code>/place", methods=["PUT"])
def set_meter_place(code: str) -> ResponseReturnValue:
    """``{"latitude": 56.84, "longitude": 60.61}`` gives the point its coordinates; both null clears them (its
    address names its place again). The organization's owner or an administrator."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not {"latitude", "longitude"} <= set(body):
        raise ValueError(t("err.place.body"))
    latitude, longitude = (_degrees(body[name], name) for name in ("latitude", "longitude"))
    set_point_place(services(), caller(), code, latitude, longitude)
    return jsonify(_place(point_place(services(), caller(), code)))


def _degrees(value: object, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(t("err.place.number").format(name=name))
    return float(value)


def _place(point: PointPlace) -> dict[str, object]:
    place = point.place
    return {
        "meter": point.code,
        "source": None if place is None else "coordinates" if point.by_coordinates else "address",
        "place": None
        if place is None
        else {"name": place.name, "latitude": place.latitude, "longitude": place.longitude},
        "may_change": point.may_change,
    }


@blueprint.route("/meters/<code>/readings")
def readings(code: str) -> ResponseReturnValue:
    svc = services()
    meter = meter_for(svc.db, caller(), code)
    granularity = request.args.get("granularity", "hour")
    if granularity not in ("raw", "hour", "day"):
        raise ValueError("granularity must be raw, hour or day")
    granularity = cast(Granularity, granularity)
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "csv", "espi"):
        raise ValueError("format must be json, csv or espi")
    start, end = parse_range(request.args.get("from"), request.args.get("to"))
    if fmt == "espi":  # Green Button: the point's own intervals, as they were delivered
        return _espi(meter, start, end)
    frame = meter_readings(svc.store, meter, start, end, granularity)
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


@blueprint.route("/meters/<code>/forecast")
def forecast(code: str) -> ResponseReturnValue:
    """The stored forecast of a point: hourly for the next 7 days, daily to the month end, the model and its error."""
    now = dt.datetime.now(dt.UTC)
    view = forecast_view(services(), caller(), code=code, now=now)
    run = view.run
    if run is None or run.status != "ok":
        status, message = ("none", "no forecast yet") if run is None else (run.status, run.message)
        return jsonify(meter=code, status=status, message=message, model=None, fitted_at=None, mape=None, points=[])
    local_now = pd.Timestamp(now).tz_convert(view.subject.timezone).tz_localize(None).floor("h")
    stamps = pd.to_datetime(view.band["ts"])
    ahead = view.band[(stamps >= local_now) & (stamps < local_now + pd.Timedelta(days=7))]
    shift = pd.Timedelta(seconds=view.subject.utc_offset)
    p = view.projection
    return jsonify(
        meter=code,
        status="ok",
        unit="kWh",
        timezone=view.subject.timezone,
        model=run.model,
        model_version=run.model_version,
        fitted_at=run.fitted_at.isoformat(),
        training={"from": _instant(run.train_start), "to": _instant(run.train_end)},
        mape=_rounded(run.mape),
        coverage=_rounded(run.coverage),
        baseline_mape=_rounded(run.baseline_mape),
        points=[
            {
                "ts": (ts - shift).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "value": _rounded(v),
                "lower": _rounded(lo),
                "upper": _rounded(hi),
            }
            for ts, v, lo, hi in zip(
                pd.to_datetime(ahead["ts"]), ahead["value"], ahead["lower"], ahead["upper"], strict=True
            )
        ],
        days=[
            {"day": day.isoformat(), "value": _rounded(v), "lower": _rounded(lo), "upper": _rounded(hi)}
            for day, v, lo, hi in zip(
                view.month_days["day"], view.month_days["value"], view.month_days["lower"], view.month_days["upper"],
                strict=True,
            )
        ],
        month_end=None
        if p is None
        else {
            "kwh": _rounded(p.kwh),
            "kwh_low": _rounded(p.kwh_low),
            "kwh_high": _rounded(p.kwh_high),
            "rub": _rounded(p.rub, 2),
            "rub_low": _rounded(p.rub_low, 2),
            "rub_high": _rounded(p.rub_high, 2),
        },
    )


@blueprint.route("/meters/<code>/tariffs")
def tariffs(code: str) -> ResponseReturnValue:
    """What the point's actual consumption over ``from``..``to`` (local days, inclusive) costs on every plan."""
    first, last = _day(request.args.get("from"), "from"), _day(request.args.get("to"), "to")
    result = comparison_for(services(), caller(), code, first, last)
    return jsonify(
        meter=code,
        **{"from": first.isoformat(), "to": last.isoformat()},
        current=result.current,
        plans=result.plans,
        cheapest=result.cheapest,
        kwh=result.kwh,
        region=result.region,
    )


@blueprint.route("/meters/<code>/price-categories")
def price_categories(code: str) -> ResponseReturnValue:
    """A business point's cost under every price category it may choose, over local days ``from``..``to`` (default:
    the last twelve months), in total and month by month (roubles without VAT)."""
    try:
        result = compare_categories(
            services(), caller(), code, request.args.get("from"), request.args.get("to")
        )
    except NotABusiness as exc:
        return jsonify(error=say(exc)), 422
    return jsonify(
        meter=code,
        **{"from": result.first.isoformat(), "to": result.last.isoformat()},
        unit="руб без НДС",
        current=result.current,
        allowed=sorted(result.totals),
        cheapest=result.cheapest,
        saving=round(result.saving, 2),
        projected=result.projected,
        demo_prices=result.demo,
        totals={str(c): _category_cost(cost) for c, cost in result.totals.items()},
        months=[
            {"month": month.strftime("%Y-%m"), "costs": {str(c): _category_cost(cost) for c, cost in costs.items()}}
            for month, costs in result.months
        ],
    )


def _category_cost(cost: CategoryCost) -> dict[str, object]:
    return {
        "total": None if cost.missing else round(cost.total, 2),
        "energy": round(cost.energy, 2),
        "capacity": round(cost.capacity, 2),
        "network": round(cost.network, 2),
        "capacity_mw": round(cost.capacity_mw, 6),
        "network_mw": round(cost.network_mw, 6),
        "kwh": round(cost.kwh, 3),
        "projected": cost.projected,
        "missing": cost.missing,
    }


@blueprint.route("/prices")
def prices() -> ResponseReturnValue:
    """A region's published business price levels and peak hours for a month (``?region=…&month=YYYY-MM``)."""
    region = (request.args.get("region") or "").strip()
    if not region:
        raise BadRange("missing_region")
    text = request.args.get("month") or ""
    try:
        month = dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise BadRange("month", text=repr(text[:20])) from None
    checked_days(month, month)
    return jsonify(published(services(), caller(), region, month))


@blueprint.route("/recommendations")
def recommendations_list() -> ResponseReturnValue:
    """The caller's organization's recommendations (staff: ``?org=<id>``), largest yearly saving first."""
    principal = caller()
    org = request.args.get("org", "")
    rows = recommendations(services(), principal, int(org) if org.isdecimal() else None)
    return jsonify(
        recommendations=[
            {
                "id": r.id,
                "kind": r.kind,
                "meter": r.meter_code,
                "saving_rub_year": round(r.saving_rub_year, 2),
                "saving_kwh_year": round(r.saving_kwh_year, 1),
                "state": r.state,
                "params": r.params,
                "updated_at": r.updated_at.isoformat(),
            }
            for r in rows
        ]
    )


@blueprint.route("/notifications")
def notifications_list() -> ResponseReturnValue:
    """The caller's notifications, newest first (``?limit=`` up to 500, ``?unread=1`` for unread ones only)."""
    principal = caller()
    asked = request.args.get("limit", "")
    limit = min(500, max(1, int(asked))) if asked.isdecimal() else 100
    rows = latest(services(), principal, limit=limit)
    if request.args.get("unread") == "1":
        rows = [r for r in rows if not r.read]
    return jsonify(
        unread=unread(services(), principal),
        notifications=[
            {
                "id": r.id,
                "kind": r.kind,
                "severity": r.severity,
                "state": r.state,
                "title": r.title,
                "text": r.body,
                "link": r.link,
                "created_at": r.created_at.isoformat(),
                "read": r.read,
            }
            for r in rows
        ],
    )


def _espi(meter: MeterInfo, start: dt.datetime, end: dt.datetime) -> Response:
    """The point's raw readings over ``start``..``end`` as a Green Button (ESPI) file."""
    frame = meter_readings(services().store, meter, start, end, "raw")
    stamps = pd.to_datetime(frame["ts"], utc=True)
    epochs = ((stamps - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)).astype("int64")
    rows = [
        (int(ts), int(length), float(kwh))
        for ts, length, kwh in zip(epochs, frame["interval_s"], frame["value"], strict=True)
        if pd.notna(kwh)
    ]
    body = espi_write(meter.code, f"{meter.code} — {meter.name}", rows, meter.utc_offset, dt.datetime.now(dt.UTC))
    name = f"{meter.code}-{start:%Y%m%d}-{end:%Y%m%d}-greenbutton.xml".replace("/", "_").replace(":", "_")
    disposition = f'attachment; filename="{name}"'
    return Response(body, mimetype="application/atom+xml", headers={"Content-Disposition": disposition})


def _day(text: str | None, name: str) -> dt.date:
    if not text:
        raise BadRange("missing_day", name=f"range.{name}")
    return checked_days(text, text)[0]


def _instant(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), digits)


def _iso(ts: pd.Series, granularity: str) -> pd.Series:
    if granularity == "day":
        return pd.to_datetime(ts).dt.strftime("%Y-%m-%d")
    return pd.to_datetime(ts, utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def _too_large(limit: int) -> ResponseReturnValue:
    megabytes = limit / 1024 / 1024
    return jsonify(error=f"the body is larger than this partner's limit of {megabytes:.3g} MB (max_push_mb)"), 413


@blueprint.route("/ingest/<slug>", methods=["POST"])
@blueprint.route("/ingest/<slug>/<kind>", methods=["POST"])
def ingest(slug: str, kind: str = "readings") -> ResponseReturnValue:
    """Push from a partner: body in the partner's format, ``Authorization: Bearer <partner key>``.

    ``/ingest/<slug>`` takes readings; ``/ingest/<slug>/devices`` takes device-state reports.
    """
    svc = services()
    header = request.headers.get("Authorization", "")
    partner = (
        partner_by_key(svc, slug, header.removeprefix("Bearer ").strip())
        if header.startswith("Bearer ")
        else None
    )
    if partner is None:
        return jsonify(error="unknown partner or wrong key"), 401
    limit = int(partner_config(partner).max_push_mb * 1024 * 1024)
    if (request.content_length or 0) > limit:
        return _too_large(limit)
    if kind not in ("readings", "devices"):
        return jsonify(error=f"unknown ingest kind {kind!r}: use readings or devices"), 404
    # A large body is spooled to disk and a large CSV taken a chunk at a time (partners.streaming).
    with received(request.stream, limit) as body:
        if body is None:
            return _too_large(limit)
        if body == b"":
            raise ValueError("the request body is empty")
        name = request.headers.get("X-File-Name")
        try:
            if kind == "devices":
                report = ingest_device_states(svc, partner, body if isinstance(body, bytes) else body.read_bytes())
            elif isinstance(body, bytes):
                report = ingest_payload(svc, partner, body, "push", file_name=name)
            else:
                report = ingest_file(svc, partner, body, "push", file_name=name)
        except BrokerError as exc:
            return jsonify(error=f"the broker is unavailable, nothing was accepted; retry later ({exc})"), 503
    return jsonify(report.as_json()), (422 if report.error else 202)


@blueprint.route("/<path:_unknown>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown_endpoint(_unknown: str) -> ResponseReturnValue:
    """Without this, Dash's catch-all page route would answer an unknown API path with its HTML and 200."""
    return jsonify(error=f"no API endpoint {request.path}"), 404
