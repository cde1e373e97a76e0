"""The demo's two partners, so that ``/partners`` shows batches, counts and dead letters from the first minute.

- ``spb-uchet``: the office's meter-data operator. Every half hour it pushes a CSV of the closed half-hours of two
  office points to Wattboard's push endpoint (``POST /api/v1/ingest/spb-uchet`` with its key), the way an operator's
  system would; its first file of a run carries two rows Wattboard refuses (a date that does not exist, a point that
  is not the office's), which land in the dead-letter list with their reasons.
- ``ekb-askue``: the factory's metering system (АСКУЭ), a pull partner polled every 15 minutes by the ordinary
  schedule on a local stand-in of its JSON API (:class:`StandInAskue`), answering with the same values for a
  repeated window.

The points they serve (``DemoMeter.partner``) get their history from the demo feed up to the start of yesterday
(UTC); the partners deliver the rest. Keys are new on every start (the push key's hash and the pull key, encrypted,
are stored as for any partner); nothing secret is written to disk.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import requests
from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.serving import make_server

from data.clickhouse.readings import latest_timestamps
from data.relational import partners as partners_repo
from data.relational.meters import meter_directory
from data.services import Services
from demo.feed import HALF_HOUR, partner_start, settled_intervals
from demo.world import ORGS, DemoMeter, DemoOrg
from partners import admin
from security import secrets as partner_secrets

log = logging.getLogger(__name__)

PUSH_SLUG = "spb-uchet"
PULL_SLUG = "ekb-askue"
PUSH_EVERY_S = 1800
CSV_COLUMNS = ("Точка учёта", "Начало интервала", "Энергия, кВт·ч")
CSV_TIME = "%d.%m.%Y %H:%M"
# The operator's first file of a run: a day that does not exist and a point of another organization's.
REFUSED_ROWS = ("SPB-OF-007;31.02.2026 10:00;1,250", "EKB-FC-001;01.12.2026 10:00;310,000")


def served(slug: str) -> tuple[DemoOrg, list[DemoMeter]]:
    """The organization a demo partner works for and the points it delivers."""
    for org in ORGS:
        meters = [m for m in org.meters if m.partner == slug]
        if meters:
            return org, meters
    raise LookupError(slug)


def push_config() -> dict[str, Any]:
    org, meters = served(PUSH_SLUG)
    meter_column, ts_column, value_column = CSV_COLUMNS
    return {
        "format": "csv",
        "format_options": {
            "meter_column": meter_column,
            "ts_column": ts_column,
            "value_column": value_column,
            "ts_format": CSV_TIME,
        },
        "timezone": "Europe/Moscow",
        "units": "kWh",
        "interval_s": HALF_HOUR,
        "organization_inn": org.inn,
        "meters": [m.code for m in meters],
    }


def pull_config(url: str) -> dict[str, Any]:
    org, meters = served(PULL_SLUG)
    return {
        "format": "json",
        "format_options": {"records_path": "data", "meter_path": "point", "ts_path": "time", "value_path": "kwh"},
        "timezone": "Asia/Yekaterinburg",
        "units": "kWh",
        "interval_s": HALF_HOUR,
        "organization_inn": org.inn,
        "meters": [m.code for m in meters],
        "allow_private_network": True,  # the stand-in listens on 127.0.0.1
        "pull": {
            "url_template": f"{url}/api/v1/profile?from={{since}}&to={{until}}",
            "auth": "api_key",
            "auth_header": "X-API-Key",
            "interval_s": 900,
            "lookback_s": 2 * 86_400,
        },
    }


@dataclass
class StandInAskue:
    """The factory's metering system: ``GET /api/v1/profile?from=&to=`` (ISO times) with ``X-API-Key`` answers the
    closed half-hours of its points in that window as ``{"data": [{"point", "time", "kwh"}]}``."""

    key: str
    url: str = ""
    requests: int = 0
    _server: Any = None

    def app(self) -> Flask:
        app = Flask("askue-standin")
        _, meters = served(PULL_SLUG)

        @app.get("/api/v1/profile")
        def profile() -> ResponseReturnValue:
            self.requests += 1
            if request.headers.get("X-API-Key") != self.key:
                return jsonify(error="invalid key"), 403
            try:
                since = dt.datetime.fromisoformat(request.args["from"])
                until = dt.datetime.fromisoformat(request.args["to"])
            except (KeyError, ValueError):
                return jsonify(error="from and to must be ISO 8601 times"), 400
            now = int(dt.datetime.now(dt.UTC).timestamp())
            start, end = int(since.timestamp()), min(int(until.timestamp()), now)
            if end - start > 31 * 86_400:
                return jsonify(error="at most 31 days per request"), 400
            data = []
            for meter in meters:
                ts, kwh = settled_intervals(meter, start - start % HALF_HOUR, end)
                stamps = [dt.datetime.fromtimestamp(int(t), dt.UTC).isoformat() for t in ts]
                data += [{"point": meter.code, "time": t, "kwh": float(v)} for t, v in zip(stamps, kwh, strict=True)]
            return jsonify(data=data)

        return app

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._server = make_server(host, port, self.app(), threaded=True)
        threading.Thread(target=self._server.serve_forever, daemon=True, name="askue-standin").start()
        self.url = f"http://{host}:{self._server.server_port}"
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()


def ensure_partners(services: Services, askue: StandInAskue) -> str:
    """Create the two partners if missing (or point the pull partner at this run's stand-in), with new keys; returns
    the push partner's key."""
    push_key = ""
    for slug, name, config in (
        (PUSH_SLUG, "ООО «Учёт-Сервис» (оператор учёта, Санкт-Петербург)", push_config()),
        (PULL_SLUG, "АСКУЭ АО «Уральский завод металлоконструкций»", pull_config(askue.url)),
    ):
        secret = askue.key if slug == PULL_SLUG else None
        if partners_repo.partner_by_slug(services.db, slug) is None:
            _, key = admin.create(services.db, services.settings, slug, name, config, secret)
        else:
            admin.update_config(services.db, slug, config)
            key = admin.KEY_PREFIX + secrets.token_urlsafe(32)
            changes: dict[str, Any] = {"api_key_hash": partners_repo.hash_key(key), "last_polled_at": None}
            if secret:
                changes["secret"] = partner_secrets.encrypt(services.settings, secret)
            partners_repo.update_partner(services.db, slug, **changes)
        if slug == PUSH_SLUG:
            push_key = key
    return push_key


class DemoOperator:
    """Pushes the operator's CSV every half hour, from where its points' stored readings end (or the start of
    yesterday) to the last closed half-hour."""

    def __init__(self, services: Services, web_url: str, key: str) -> None:
        self.services = services
        self.url = f"{web_url}/api/v1/ingest/{PUSH_SLUG}"
        self.key = key
        _, self.meters = served(PUSH_SLUG)
        self.cursor: int | None = None
        self.first = True

    def _start(self, now_s: int) -> int:
        directory = meter_directory(self.services.db)
        ids = [directory[m.code].id for m in self.meters if m.code in directory]
        latest = [int(t.timestamp()) + HALF_HOUR for t in latest_timestamps(self.services.store, ids).values()]
        return max([partner_start(now_s), *latest]) if len(latest) == len(ids) else partner_start(now_s)

    def file(self, start: int, end: int) -> bytes:
        """The operator's CSV of ``[start, end)``: semicolons, decimal commas, Moscow time."""
        zone = ZoneInfo("Europe/Moscow")
        lines = [";".join(CSV_COLUMNS)]
        for meter in self.meters:
            ts, kwh = settled_intervals(meter, start, end)
            stamps = [dt.datetime.fromtimestamp(int(t), zone).strftime(CSV_TIME) for t in ts]
            values = [f"{v:.3f}".replace(".", ",") for v in kwh]
            lines += [f"{meter.code};{t};{v}" for t, v in zip(stamps, values, strict=True)]
        if self.first:
            lines += REFUSED_ROWS
        return ("\n".join(lines) + "\n").encode()

    def push(self, now: dt.datetime | None = None) -> dict[str, Any] | None:
        now_s = int((now or dt.datetime.now(dt.UTC)).timestamp())
        start = self.cursor if self.cursor is not None else self._start(now_s)
        end = now_s - now_s % HALF_HOUR
        if end <= start:
            return None
        name = f"uchet-{dt.datetime.fromtimestamp(end, dt.UTC):%Y%m%d-%H%M}.csv"
        answer = requests.post(
            self.url,
            data=self.file(start, end),
            headers={"Authorization": f"Bearer {self.key}", "X-File-Name": name, "Content-Type": "text/csv"},
            timeout=60,
        )
        answer.raise_for_status()
        self.cursor, self.first = end, False
        return answer.json()

    def run(self, stop: threading.Event) -> None:
        while True:
            try:
                summary = self.push()
                if summary:
                    log.info("demo: %s pushed %s readings", PUSH_SLUG, summary.get("accepted"))
            except (requests.RequestException, ValueError) as exc:
                log.warning("demo: %s could not push this time: %s", PUSH_SLUG, exc)
            if stop.wait(PUSH_EVERY_S - dt.datetime.now(dt.UTC).timestamp() % PUSH_EVERY_S + 60):
                return
