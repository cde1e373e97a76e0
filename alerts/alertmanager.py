"""A small client of Prometheus Alertmanager's v2 API: post alerts, create and expire silences, reload the
configuration."""

from __future__ import annotations

import datetime as dt
from typing import Any

import requests


class AlertmanagerUnavailable(RuntimeError):
    """Alertmanager did not take the request; the message says why."""


class Alertmanager:
    def __init__(self, url: str, timeout: float = 5.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            response = requests.request(method, f"{self.url}{path}", timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise AlertmanagerUnavailable(f"Alertmanager at {self.url} does not answer: {exc}") from None
        if response.status_code >= 300:
            raise AlertmanagerUnavailable(f"Alertmanager answered {response.status_code}: {response.text[:300]}")
        return response

    def post_alerts(self, alerts: list[dict[str, Any]]) -> None:
        if alerts:
            self._call("POST", "/api/v2/alerts", json=alerts)

    def alerts(self, active: bool = True, silenced: bool = True) -> list[dict[str, Any]]:
        params = {"active": str(active).lower(), "silenced": str(silenced).lower()}
        return self._call("GET", "/api/v2/alerts", params=params).json()

    def create_silence(self, matchers: dict[str, str], until: dt.datetime, created_by: str, comment: str) -> str:
        body = {
            "matchers": [{"name": k, "value": v, "isRegex": False, "isEqual": True} for k, v in matchers.items()],
            "startsAt": dt.datetime.now(dt.UTC).isoformat(),
            "endsAt": until.isoformat(),
            "createdBy": created_by,
            "comment": comment,
        }
        return str(self._call("POST", "/api/v2/silences", json=body).json()["silenceID"])

    def expire_silence(self, silence_id: str) -> None:
        try:
            self._call("DELETE", f"/api/v2/silence/{silence_id}")
        except AlertmanagerUnavailable as exc:
            if "404" not in str(exc):  # already gone: nothing to expire
                raise

    def reload(self) -> None:
        self._call("POST", "/-/reload")

    def ready(self) -> bool:
        try:
            self._call("GET", "/-/ready")
            return True
        except AlertmanagerUnavailable:
            return False
