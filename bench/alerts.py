"""Alert benchmark: 1,000 devices flapping, end to end through the product as ``wattboard up`` runs it.

    python -m bench.alerts [--devices 1000] [--per-org 10] [--flaps 2] [--group-wait 30s]

A real Kafka-protocol broker, Valkey, Alertmanager (Debian's ``prometheus-alertmanager``) and the embedded mail sink;
the ingestion consumer, the RQ worker threads and the cron scheduler of ``wattboard up``. Each flap publishes an
offline report for every device, waits, then an online report. Printed, for firing and for resolved:

- event published → bell visible: the device report's publish time to the owner's bell message (its stored time);
- event published → SMTP accepted: to the moment the mail sink received the letter naming the device.

Alertmanager gathers a group for ``group_wait`` before the first letter (grouping by organization and kind is the
point: one letter for ten devices, not ten), so the SMTP latency includes it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email
import email.policy
import logging
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select

from alerts import am_config
from auth.inn import complete_inn
from auth.passwords import hash_password
from config import load_settings
from data.messaging.broker import encode
from data.relational.models import Device, MeteringPoint, Notification, Organization, User
from runtime.embedded import free_port
from runtime.supervisor import Supervisor


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--per-org", type=int, default=10)
    parser.add_argument("--flaps", type=int, default=2)
    parser.add_argument("--group-wait", default="30s")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    home = Path(tempfile.mkdtemp(prefix="wattboard-bench-alerts-"))
    settings = load_settings(
        home=home,
        port=free_port(),
        metrics_address="",
        alert_group_wait=args.group_wait,
        alert_group_interval="10s",
        alert_repeat_interval="24h",
    )
    supervisor = Supervisor(settings, demo=False, out=lambda line: None)
    supervisor.start()
    services = supervisor.services
    assert services is not None and services.alertmanager_url, "needs prometheus-alertmanager installed"
    orgs = args.devices // args.per_org
    seed(services, orgs, args.per_org)
    am_config.sync(services)
    serials = [f"SN-{i:05d}" for i in range(args.devices)]
    print(f"{args.devices:,} devices in {orgs} organizations; group_wait {args.group_wait}")
    try:
        for flap in range(args.flaps):
            for online, state in ((False, "firing"), (True, "resolved")):
                published = publish(services, serials, online)
                bell = wait_bell(services, state, published, args.devices)
                mail = wait_mail(home, published, args.devices)
                print(f"flap {flap + 1} {state:8}  bell {summary(bell)}   SMTP {summary(mail)}")
    finally:
        supervisor.stop()


def seed(services, orgs: int, per_org: int) -> None:
    password = hash_password("bench password 1")
    now = dt.datetime.now(dt.UTC)
    with services.db.session() as s:
        s.execute(
            insert(Organization),
            [
                {"id": o + 1, "inn": complete_inn(f"78{o:07d}"), "name": f"Организация {o + 1}", "kind": "business"}
                for o in range(orgs)
            ],
        )
        s.execute(
            insert(MeteringPoint),
            [
                {
                    "id": i + 1,
                    "code": f"BM-{i:05d}",
                    "name": f"Точка {i}",
                    "organization_id": i // per_org + 1,
                    "timezone": "Europe/Moscow",
                    "tariff_plan": "single",
                }  # fmt: skip
                for i in range(orgs * per_org)
            ],
        )
        s.execute(
            insert(Device),
            [
                {
                    "serial": f"SN-{i:05d}",
                    "model": "Меркурий 234",
                    "metering_point_id": i + 1,
                    "status": "online",
                    "battery": 90.0,
                    "last_seen": now,
                }  # fmt: skip
                for i in range(orgs * per_org)
            ],
        )
        s.execute(
            insert(User),
            [
                {
                    "email": f"owner{o + 1}@bench.ru",
                    "password_hash": password,
                    "role": "consumer",
                    "status": "active",
                    "is_owner": True,
                    "organization_id": o + 1,
                    "language": "ru",
                }  # fmt: skip
                for o in range(orgs)
            ],
        )


def publish(services, serials: list[str], online: bool) -> dict[str, float]:
    sent = {}
    for serial in serials:
        report = {"device": serial, "ts": int(time.time()), "online": int(online), "battery": 90.0, "partner": "bench"}
        services.producer.send(services.topics.device_state, key=serial.encode(), value=encode(report))
        sent[serial] = time.time()
    services.producer.flush(timeout=30)
    return sent


def wait_bell(services, state: str, published: dict[str, float], n: int, limit_s: float = 300) -> list[float]:
    """Seconds from each device's report to its owner's bell message."""
    began = time.time()
    since = dt.datetime.fromtimestamp(min(published.values()) - 1, dt.UTC)
    while time.time() - began < limit_s:
        with services.db.session() as s:
            rows = s.execute(
                select(Notification.title, Notification.created_at).where(
                    Notification.kind == "device_offline", Notification.state == state, Notification.created_at >= since
                )
            ).all()
        if len(rows) >= n:
            break
        time.sleep(0.5)
    out = []
    for title, created in rows:
        serial = title.split()[1]
        created = created if created.tzinfo else created.replace(tzinfo=dt.UTC)
        out.append(created.timestamp() - published[serial])
    return out


def wait_mail(home: Path, published: dict[str, float], n: int, limit_s: float = 300) -> list[float]:
    """Seconds from each device's report to the first letter that names it (the mail sink's receipt time)."""
    outbox = home / "outbox"
    seen: dict[str, float] = {}
    began = time.time()
    first = min(published.values())
    while time.time() - began < limit_s and len(seen) < n:
        for path in sorted(outbox.glob("*.eml")) if outbox.exists() else []:
            received = dt.datetime.strptime(path.name[:21], "%Y%m%dT%H%M%S%f").replace(tzinfo=dt.UTC).timestamp()
            if received < first:
                continue
            letter = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            body = letter.get_body(preferencelist=("plain",)).get_content()
            for serial in published:
                if serial not in seen and f"Прибор {serial} " in body:
                    seen[serial] = received - published[serial]
        time.sleep(1)
    return list(seen.values())


def summary(samples: list[float]) -> str:
    if len(samples) < 2:
        return f"{len(samples)} seen"
    q = statistics.quantiles(sorted(samples), n=100, method="inclusive")
    return f"n={len(samples):5}  p50 {q[49]:6.2f} s  p95 {q[94]:6.2f} s"


if __name__ == "__main__":
    main()
