"""Two organizations with people and devices, a real Alertmanager, and the jobs of alerting run on a real RQ worker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import requests

from alerts import am_config
from auth.inn import complete_inn
from data.messaging.broker import encode
from data.queue import ALERT_QUEUES, queue
from data.relational.models import Device, MeteringPoint, Organization, User
from data.services import Services
from runtime import embedded
from runtime.rq_runner import InlineWorker
from tests.helpers import make_user, wait_for
from tests.slack_server import SlackServer
from workers import jobs


@dataclass(frozen=True)
class AlertWorld:
    org_a: int
    org_b: int
    owner: int  # of A: bell and email by default
    member: int  # of A: bell only by default
    owner_b: int


def seed(services: Services) -> AlertWorld:
    ids = {}
    with services.db.session() as s:
        for key, digits in (("A", "771600000"), ("B", "771700000")):
            org = Organization(inn=complete_inn(digits), name=f"ООО «{key}-энерго»", kind="business")
            s.add(org)
            s.flush()
            ids[key] = org.id
            point = MeteringPoint(
                code=f"{key}-1", name=f"Цех {key}-1", organization_id=org.id, timezone="Asia/Yekaterinburg"
            )
            s.add(point)
            s.flush()
            s.add(
                Device(
                    serial=f"SN-{key}1",
                    model="Меркурий 234",
                    metering_point_id=point.id,
                    status="online",
                    battery=90.0,
                    last_seen=dt.datetime.now(dt.UTC),
                )
            )
    make_user(services.db, "owner@a.ru", "consumer", complete_inn("771600000"))
    make_user(services.db, "member@a.ru", "consumer", complete_inn("771600000"))
    make_user(services.db, "owner@b.ru", "consumer", complete_inn("771700000"))
    make_user(services.db, "admin@w.ru", "admin")
    with services.db.session() as s:
        people = {u.email: u for u in s.query(User)}
        people["owner@a.ru"].is_owner = True
        people["owner@b.ru"].is_owner = True
        return AlertWorld(
            ids["A"], ids["B"], people["owner@a.ru"].id, people["member@a.ru"].id, people["owner@b.ru"].id
        )


def report(services: Services, serial: str, online: bool = True, error: str = "", battery: float = 90.0) -> None:
    """A device-state report on the device-state topic, as a partner's push or the demo sends it."""
    message = {
        "device": serial,
        "ts": int(dt.datetime.now(dt.UTC).timestamp()),
        "online": int(online),
        "battery": battery,
        "signal": -70,
        "error_code": error,
        "tamper": 0,
        "partner": "test",
    }
    services.producer.send(services.topics.device_state, key=serial.encode(), value=encode(message))
    services.producer.flush(timeout=10)


def pump(services: Services) -> None:
    """What the scheduler does every few seconds: read the alerts topic, hand the outbox to Alertmanager."""
    jobs.bind(services)
    queue(services.redis, "alerts").enqueue("workers.alert_jobs.consume_alert_events")
    queue(services.redis, "delivery").enqueue("workers.alert_jobs.deliver_alerts")
    InlineWorker(list(ALERT_QUEUES), connection=services.redis).work(burst=True, logging_level="WARNING")


class Alerting:
    """A real Alertmanager child process configured by Wattboard (and the Slack stand-in, when a test has one)."""

    def __init__(self, services: Services, home: Path, slack: SlackServer | None = None) -> None:
        self.services = services
        self.home = home
        self.slack = slack
        self.child: embedded.ChildProcess | None = None
        self.port = embedded.free_port()

    def start(self) -> None:
        config, _ = am_config.write(self.services.settings, self.services, self.home / "alertmanager")
        self.child = embedded.start_alertmanager(self.home, config, self.port)
        self.services.alertmanager_url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.child is not None:
            self.child.stop()
            self.child = None

    def _get(self, path: str) -> requests.Response:
        return requests.get(f"http://127.0.0.1:{self.port}{path}", timeout=5)

    def counter(self, name: str) -> float:
        """One of Alertmanager's counters from its /metrics, summed over its labels."""
        lines = self._get("/metrics").text.splitlines()
        return sum(float(line.rsplit(" ", 1)[1]) for line in lines if line.split("{")[0].split(" ")[0] == name)

    def holds(self) -> list[dict]:
        """The alerts Alertmanager holds now (firing, or resolved and not yet dropped)."""
        return self._get("/api/v2/alerts").json()

    def settled(self) -> None:
        """Wait until Alertmanager has nothing more to send now: every group of alerts is gone (all resolved and
        told), or its notification pipeline ran twice more (each run consults the notification log before it sends
        anything, so whatever was due has been sent by then)."""
        start = self.counter("alertmanager_nflog_queries_total")
        wait_for(
            lambda: self._get("/api/v2/alerts/groups").json() == []
            or self.counter("alertmanager_nflog_queries_total") >= start + 2,
            timeout=30,
            interval=0.2,
        )
