"""Broker → consumer → ClickHouse on the real Kafka-protocol broker and the real engine."""

from __future__ import annotations

import datetime as dt
import json
import time

from data.clickhouse.readings import count_readings, series
from data.messaging.broker import make_consumer
from data.messaging.reading_batch import encode_batch
from data.services import Services
from tests.helpers import epoch, make_org, wait_for

T0 = epoch(2026, 2, 1)


def publish(services: Services, meter: str, rows: list, version: int = 1, batch: str = "b1", **kw) -> None:
    payload = encode_batch(meter, "acme", batch, version, 1800, rows, **kw)
    services.producer.send(services.topics.readings, key=meter.encode(), value=payload)
    services.producer.flush(10)


def dead_letters(services: Services, expected: int) -> list[dict]:
    consumer = make_consumer(services.broker_address, [services.topics.readings_dlq], f"dlq-{services.topics.prefix}")
    letters: list[dict] = []
    try:

        def collect() -> bool:
            for messages in consumer.poll(timeout_ms=500).values():
                letters.extend(json.loads(m.value) for m in messages)
            return len(letters) >= expected

        wait_for(collect, timeout=30)
    finally:
        consumer.close()
    return letters


def utc(s: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(s, dt.UTC)


def test_a_point_created_a_moment_before_its_readings_is_never_dead_lettered(services, running_consumer) -> None:
    """Issue 12's race, made deterministic: the consumer's directory of points was read just before a push created
    a point and sent its readings; they must be stored, not parked in the dead-letter topic."""
    from data.relational.meters import meter_by_code

    make_org(services.db, "770550000", "ООО «Гонка»", ["RC-1"])
    publish(services, "RC-1", [[T0, 1.0, 0]])
    wait_for(lambda: count_readings(services.store, [meter_by_code(services.db, "RC-1").id]) == 1)
    running_consumer.directory.read_at = time.monotonic() + 3600  # as if the directory had been read this instant
    make_org(services.db, "770560000", "ООО «Только что»", ["RC-2"])
    publish(services, "RC-2", [[T0 + i * 1800, 0.5, 0] for i in range(4)])
    wait_for(lambda: count_readings(services.store, [meter_by_code(services.db, "RC-2").id]) == 4)
    from partners.dead_letters import read_letters

    assert not [letter for _, letter in read_letters(services) if "RC-2" in str(letter)]


def test_readings_flow_to_the_store_and_bad_records_to_the_dead_letter_topic(services, running_consumer) -> None:
    make_org(services.db, "770500000", "ООО «Поток»", ["P-1", "P-2"])
    publish(services, "P-1", [[T0 + i * 1800, 1.25, 0] for i in range(48)])
    publish(services, "P-2", [[T0, 2.0, 0], [T0 + 1800, -1.0, 0], [T0 + 3600, 3.0, 0]], batch="b2")
    publish(services, "NO-SUCH", [[T0, 1.0, 0]], batch="b3")
    services.producer.send(services.topics.readings, key=b"x", value=b"{not json")
    services.producer.flush(10)

    # Rollups are recomputed right after each insert: wait for them, not only for the raw rows.
    wait_for(lambda: series(services.store, 1, utc(T0), utc(T0 + 86400), "hour")["value"].sum() == 60.0)
    assert count_readings(services.store, [1, 2]) == 50
    assert series(services.store, 2, utc(T0), utc(T0 + 86400), "raw")["value"].tolist() == [2.0, 3.0]

    letters = dead_letters(services, 3)
    by_reason = {letter["reason"].split(" '")[0].split(":")[0]: letter for letter in letters}
    assert by_reason["negative consumption"]["record"] == [T0 + 1800, -1.0, 0]
    assert by_reason["negative consumption"]["partner"] == "acme"
    assert by_reason["negative consumption"]["batch"] == "b2"
    assert "unknown metering point" in by_reason
    assert "not JSON" in by_reason and by_reason["not JSON"]["raw"] == "{not json"


def test_replays_collapse_and_corrections_replace(services, running_consumer) -> None:
    make_org(services.db, "770600000", "ООО «Повтор»", ["R-1"])
    rows = [[T0 + i * 1800, 1.0, 0] for i in range(4)]
    for _ in range(3):
        publish(services, "R-1", rows, version=10)
    publish(services, "R-1", [[T0 + 1800, 5.0, 0]], version=11, batch="fix")
    wait_for(lambda: series(services.store, 1, utc(T0), utc(T0 + 7200), "hour")["value"].tolist() == [6.0, 2.0])
    assert series(services.store, 1, utc(T0), utc(T0 + 7200), "raw")["value"].tolist() == [1, 5, 1, 1]
    assert count_readings(services.store, [1]) == 4


def test_device_state_updates_the_current_state_and_the_history(services, running_consumer) -> None:
    from data.relational.models import Device

    make_org(services.db, "770700000", "ООО «Приборы»", ["D-1"])
    with services.db.session() as s:
        s.add(Device(serial="SN-D-1", model="Меркурий", metering_point_id=1, status="offline"))
    report = {"device": "SN-D-1", "ts": T0, "online": 1, "battery": 77.5, "signal": -70, "error_code": "E42"}
    services.producer.send(services.topics.device_state, value=json.dumps(report).encode())
    services.producer.flush(10)

    def updated() -> bool:
        with services.db.session() as s:
            device = s.get(Device, 1)
            return device is not None and device.status == "online" and device.battery == 77.5

    wait_for(updated)
    history = wait_for(lambda: services.store.query_df("SELECT error_code FROM device_status")["error_code"].tolist())
    assert history == ["E42"]
