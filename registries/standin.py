"""Local stand-ins for the registries, for the demo and the tests: real HTTP servers speaking the same protocol.

Data, latency and failures are plain attributes that a test (or the demo) changes while the server runs:
``fail = "down"`` answers 503, ``latency_s = 10`` answers late, ``key`` is the access key it accepts.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, abort, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.serving import make_server


@dataclass
class StandInRegistry:
    key: str = "standin-key"
    companies: dict[str, dict[str, Any]] = field(default_factory=dict)  # INN -> {"ЮЛ": {...}} or {"ИП": {...}}
    contracts: dict[str, dict[str, Any]] = field(default_factory=dict)  # number -> contract
    latency_s: float = 0.0
    fail: str = ""  # "" | "down"
    requests: int = 0
    url: str = ""
    _server: Any = None

    def add_company(self, inn: str, name: str, ogrn: str, status: str = "Действующее") -> None:
        if len(inn) == 12:
            self.companies[inn] = {"ИП": {"ИНН": inn, "ФИОПолн": name, "ОГРНИП": ogrn, "Статус": status}}
        else:
            self.companies[inn] = {"ЮЛ": {"ИНН": inn, "НаимСокрЮЛ": name, "ОГРН": ogrn, "Статус": status}}

    def add_contract(self, number: str, inn: str, supplier: str, signed_on: str, status: str = "active") -> None:
        self.contracts[number] = {
            "number": number,
            "consumer_inn": inn,
            "supplier": supplier,
            "signed_on": signed_on,
            "status": status,
        }

    def app(self) -> Flask:
        app = Flask("registry-standin")

        @app.before_request
        def _behave() -> ResponseReturnValue | None:
            self.requests += 1
            if self.latency_s:
                time.sleep(self.latency_s)
            if self.fail == "down":
                abort(503)
            return None

        @app.get("/api/egr")
        def egr() -> ResponseReturnValue:
            if request.args.get("key") != self.key:
                return jsonify(error="Неверный ключ"), 403
            company = self.companies.get(request.args.get("req", ""))
            return jsonify(items=[company] if company else [])

        @app.get("/api/v1/contracts")
        def contracts() -> ResponseReturnValue:
            if request.headers.get("X-Api-Key") != self.key:
                return jsonify(error="invalid key"), 403
            contract = self.contracts.get(request.args.get("number", "").strip())
            return jsonify(items=[contract] if contract else [])

        return app

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._server = make_server(host, port, self.app(), threaded=True)
        threading.Thread(target=self._server.serve_forever, daemon=True, name="registry-standin").start()
        self.url = f"http://{host}:{self._server.server_port}"
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
