"""What the pipeline promises when things go wrong: a killed consumer, a stalled broker, a missing table.

All on the real Kafka-protocol broker and the real ClickHouse engine.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from data.clickhouse.readings import count_readings, series
from data.messaging.broker import Topics, ensure_topics, make_producer
from data.messaging.reading_batch import encode_batch
from data.relational import Database, migrate
from tests.helpers import epoch, make_org, wait_for

ROOT = Path(__file__).resolve().parent.parent
T0 = epoch(2025, 6, 1)


def query(home: Path, sql: str) -> list:
    out = subprocess.run(
        [sys.executable, "-m", "tests.query_store", str(home / "clickhouse"), sql],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=True,
    )
    return json.loads(out.stdout)


def start_consumer(
    home: Path, bootstrap: str, prefix: str, log: Path | None = None, **settings: str
) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATTBOARD_")}
    env.update(
        {
            "WATTBOARD_HOME": str(home),
            "WATTBOARD_KAFKA_BOOTSTRAP": bootstrap,
            "WATTBOARD_TOPIC_PREFIX": prefix,
            "WATTBOARD_KAFKA_PARTITIONS": "4",
            **{f"WATTBOARD_{key.upper()}": value for key, value in settings.items()},
        }
    )
    out = open(log or home / f"consume-{time.monotonic_ns()}.log", "wb")  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "runtime.cli", "consume"], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
    )


def held_partitions(log: Path, topic: str) -> set[int]:
    """The readings partitions a consumer says it holds now (its last "assigned partitions" line)."""
    lines = [line for line in log.read_text(errors="replace").splitlines() if "assigned partitions" in line]
    if not lines:
        return set()
    for part in lines[-1].split("assigned partitions", 1)[1].split():
        name, _, numbers = part.rpartition(":")
        if name == topic:
            return {int(n) for n in numbers.split(",")}
    return set()


def stream_of_100_points(home: Path, bootstrap: str, prefix: str, inn_prefix: str):
    """A 4-partition readings topic, an organization of 100 points in a fresh SQLite under ``home``, and the 400
    messages × 500 readings (200,000) to publish: (topics, producer, publish, messages)."""
    topics = Topics(prefix)
    ensure_topics(bootstrap, topics, 4)
    db = Database(f"sqlite:///{home / 'wattboard.db'}")
    migrate.upgrade(db)
    codes = [f"{prefix[:4].upper()}-{i:03d}" for i in range(100)]
    make_org(db, inn_prefix, f"ООО «{prefix}»", codes)
    producer, publish = publisher(bootstrap, topics)
    return topics, producer, publish, [(code, chunk) for chunk in range(4) for code in codes]


def publisher(bootstrap: str, topics: Topics):
    producer = make_producer(bootstrap)

    def publish(part: list[tuple[str, int]]) -> None:
        for code, chunk in part:
            rows = [[T0 + (chunk * 500 + i) * 1800, 0.25, 0] for i in range(500)]
            producer.send(
                topics.readings, key=code.encode(), value=encode_batch(code, "test", f"b{chunk}", 1, 1800, rows)
            )
        producer.flush(30)

    return producer, publish


def committed(bootstrap: str, topic: str) -> int:
    from kafka import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        offsets = admin.list_group_offsets("wattboard-ingest").get("wattboard-ingest", {})
    except Exception:
        return 0
    finally:
        admin.close()
    return sum(meta.offset for tp, meta in offsets.items() if tp.topic == topic and meta.offset > 0)


def test_sigkill_mid_stream_then_restart_stores_every_reading_exactly_once(
    tmp_path: Path, kafka_bootstrap: str
) -> None:
    prefix = f"kill{int(time.time())}"
    topics, producer, publish, messages = stream_of_100_points(tmp_path, kafka_bootstrap, prefix, "773000000")
    consumer = start_consumer(tmp_path, kafka_bootstrap, prefix)
    try:
        publish(messages[:200])
        wait_for(lambda: committed(kafka_bootstrap, topics.readings) > 0, timeout=60, interval=0.1)
        publish(messages[200:])
        time.sleep(0.3)
        consumer.send_signal(signal.SIGKILL)  # in the middle: some batches written and committed, some not
        consumer.wait(10)
        at_kill = committed(kafka_bootstrap, topics.readings)
        assert 0 < at_kill < len(messages), at_kill
        consumer = start_consumer(tmp_path, kafka_bootstrap, prefix)
        wait_for(lambda: committed(kafka_bootstrap, topics.readings) == len(messages), timeout=120, interval=1)
    finally:
        consumer.send_signal(signal.SIGTERM)
        consumer.wait(60)
        producer.close()
    total, energy = query(tmp_path, "SELECT count(), sum(value) FROM readings FINAL")[0]
    assert int(total) == 200_000 and float(energy) == 50_000.0
    hourly = query(tmp_path, "SELECT sum(value), sum(samples) FROM readings_hourly FINAL")[0]
    assert float(hourly[0]) == 50_000.0 and int(hourly[1]) == 200_000


def test_two_consumers_share_the_partitions_and_the_survivor_of_a_sigkill_takes_them_over(
    tmp_path: Path,
    kafka_bootstrap: str,
    store,
    clickhouse_http,
) -> None:
    """Two `wattboard consume` processes in one group on a 4-partition topic, writing to one ClickHouse (over HTTP,
    as in production); one is killed mid-stream, and every reading is still stored exactly once."""
    prefix = f"pair{int(time.time())}"
    topics, producer, publish, messages = stream_of_100_points(tmp_path, kafka_bootstrap, prefix, "773200000")
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    shared = {"clickhouse_url": clickhouse_http.url, "metrics_address": ""}
    first, second = (start_consumer(tmp_path, kafka_bootstrap, prefix, log, **shared) for log in logs)
    try:
        halves = wait_for(
            lambda: (
                (a := held_partitions(logs[0], topics.readings))
                and (b := held_partitions(logs[1], topics.readings))
                and not a & b
                and a | b == {0, 1, 2, 3}
                and (a, b)
            ),
            timeout=90,
            interval=0.5,
        )
        assert all(len(half) == 2 for half in halves)  # the group split the topic between them
        publish(messages[:200])
        wait_for(lambda: committed(kafka_bootstrap, topics.readings) > 0, timeout=60, interval=0.1)
        publish(messages[200:])
        time.sleep(0.3)
        first.send_signal(signal.SIGKILL)  # mid-stream: its uncommitted batches are replayed by the survivor
        first.wait(10)
        wait_for(lambda: held_partitions(logs[1], topics.readings) == {0, 1, 2, 3}, timeout=90, interval=0.5)
        wait_for(lambda: committed(kafka_bootstrap, topics.readings) == len(messages), timeout=120, interval=1)
    finally:
        for consumer in (first, second):
            if consumer.poll() is None:
                consumer.send_signal(signal.SIGTERM)
                consumer.wait(60)
        producer.close()
    total, energy = store.query_df("SELECT count() AS n, sum(value) AS kwh FROM readings FINAL").iloc[0]
    assert int(total) == 200_000 and float(energy) == 50_000.0
    hourly = store.query_df("SELECT sum(value) AS kwh, sum(samples) AS n FROM readings_hourly FINAL").iloc[0]
    assert float(hourly["kwh"]) == 50_000.0 and int(hourly["n"]) == 200_000


def test_a_stalled_broker_delays_but_loses_nothing(services, running_consumer) -> None:
    make_org(services.db, "773100000", "ООО «Пауза»", ["BR-1"])
    pid = broker_pid(services.broker_address)
    send(services, "BR-1", 0, 48)
    os.kill(pid, signal.SIGSTOP)
    try:
        time.sleep(8)  # longer than the consumer's session timeout
    finally:
        os.kill(pid, signal.SIGCONT)
    send(services, "BR-1", 48, 96)
    wait_for(lambda: count_readings(services.store, [1]) == 96, timeout=90)
    wait_for(lambda: total(services, 1) == 96.0, timeout=10)  # the rollup follows the raw insert


def test_a_missing_table_makes_the_consumer_back_off_and_resume(services, running_consumer, caplog) -> None:
    make_org(services.db, "773200000", "ООО «Склад»", ["ST-1"])
    services.store.command("DETACH TABLE readings")
    try:
        send(services, "ST-1", 0, 48)
        wait_for(lambda: "does not answer" in caplog.text, timeout=30)
        time.sleep(2)  # a few failed attempts; nothing may be committed meanwhile
    finally:
        services.store.command("ATTACH TABLE readings")
    wait_for(lambda: count_readings(services.store, [1]) == 48, timeout=60)
    wait_for(lambda: total(services, 1) == 48.0, timeout=10)  # the rollup follows the raw insert
    # A missing table is the store's problem, not the data's: nothing was set aside as a dead letter.
    assert "set aside as a dead letter" not in caplog.text


def send(services, code: str, start: int, end: int) -> None:
    rows = [[T0 + i * 1800, 1.0, 0] for i in range(start, end)]
    services.producer.send(
        services.topics.readings, key=code.encode(), value=encode_batch(code, "test", f"b{start}", 1, 1800, rows)
    )
    services.producer.flush(30)


def total(services, meter_id: int) -> float:
    import datetime as dt

    start = dt.datetime.fromtimestamp(T0 - 86400, dt.UTC)
    return float(series(services.store, meter_id, start, start + dt.timedelta(days=10), "hour")["value"].sum())


def broker_pid(bootstrap: str) -> int:
    port = bootstrap.rsplit(":", 1)[1]
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if any(b"tansu" in a for a in args[:1]) and any(f":{port}".encode() in a for a in args):
            return int(cmdline.parent.name)
    raise AssertionError(f"no broker process listens on {bootstrap}")
