"""Ingestion benchmark: readings through broker → consumer → ClickHouse, and each stage alone.

    python -m bench.ingest [--readings 1000000] [--rate 50000] [--seconds 20]

Prints readings/s end to end for one consumer process (the topic is filled first, then one consumer
drains it into the store), beside consume-only, parse-only and insert-only figures measured in the
same run on the same messages, and the p50/p95/p99 time from publish to queryable while publishing
at a steady ``--rate`` readings/s. Everything real: the embedded Kafka-protocol broker, chDB, SQLite.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from config import load_settings
from data.clickhouse.readings import write_readings
from data.clickhouse.store import ChdbStore, create_schema
from data.messaging.broker import Topics, ensure_topics, make_producer, make_reader
from data.messaging.reading_batch import encode_batch, encode_columnar, parse_batch
from data.relational import migrate
from data.relational.meters import meter_directory
from data.services import Services
from runtime import embedded
from runtime.ingestion import ingest_consumer
from tests.helpers import make_org
from workers.consumer import readings_frame_of

PER_MESSAGE = 500
T0 = 1_735_689_600  # 2025-01-01


def build_messages(codes: list[str], total: int, columnar: bool = True) -> list[tuple[str, bytes]]:
    per_meter = total // len(codes)
    messages = []
    offsets = np.arange(PER_MESSAGE)
    values, status = 0.5 + (offsets % 7) * 0.1, np.zeros(PER_MESSAGE, dtype=np.uint8)
    for chunk in range(per_meter // PER_MESSAGE):
        ts = T0 + (chunk * PER_MESSAGE + offsets) * 1800
        for code in codes:
            if columnar:
                payload = encode_columnar(code, "bench", f"b{chunk}", 1, 1800, ts, values, status)
            else:
                rows = [[int(t), float(v), 0] for t, v in zip(ts, values, strict=True)]
                payload = encode_batch(code, "bench", f"b{chunk}", 1, 1800, rows)
            messages.append((code, payload))
    return messages


def publish(producer, topic: str, messages: list[tuple[str, bytes]]) -> float:
    start = time.perf_counter()
    for code, payload in messages:
        producer.send(topic, key=code.encode(), value=payload)
    producer.flush(120)
    return time.perf_counter() - start


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:>12,.0f} readings/s  ({n:,} in {seconds:.2f} s)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--readings", type=int, default=1_000_000)
    parser.add_argument("--meters", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=50_000, help="readings/s for the latency run")
    parser.add_argument("--seconds", type=int, default=20, help="length of the latency run")
    parser.add_argument(
        "--format", choices=("columnar", "json"), default="columnar", help="the reading batches' format"
    )
    args = parser.parse_args()
    if args.readings < args.meters * PER_MESSAGE:
        # Each point's readings go in messages of PER_MESSAGE: fewer would send nothing and print zeros.
        parser.error(f"--readings must be at least --meters × {PER_MESSAGE} ({args.meters * PER_MESSAGE:,})")

    home = Path(tempfile.mkdtemp(prefix="wattboard-bench-"))
    broker = embedded.start_broker(home)
    valkey = embedded.start_valkey(home)  # the consumer asks for new forecasts after late history, as in production
    bootstrap = f"127.0.0.1:{broker.port}"
    try:
        redis_url = f"redis://127.0.0.1:{valkey.port}/0"
        settings = load_settings(home=home, kafka_bootstrap=bootstrap, redis_url=redis_url, kafka_partitions=4)
        services = Services(settings)
        migrate.upgrade(services.db)
        codes = [f"B-{i:05d}" for i in range(args.meters)]
        make_org(services.db, "774000000", "Bench", codes)
        store = ChdbStore(settings.chdb_path)
        create_schema(store)
        services.__dict__["store"] = store
        messages = build_messages(codes, args.readings, columnar=args.format == "columnar")
        total = len(messages) * PER_MESSAGE
        print(f"{total:,} readings in {len(messages):,} messages of {PER_MESSAGE}, {args.meters} metering points")

        topics = services.topics = Topics("bench-e2e")
        ensure_topics(bootstrap, topics, 4)
        producer = make_producer(bootstrap, linger_ms=50)
        publish_s = publish(producer, topics.readings, messages)

        # Consume only: read every message, nothing else (partitions assigned, no group join to wait for).
        consumer = make_reader(bootstrap, topics.readings)
        raw: list[bytes] = []
        start = time.perf_counter()
        while len(raw) < len(messages):
            for batch in consumer.poll(timeout_ms=500, max_records=5000).values():
                raw.extend(m.value for m in batch)
        consume_s = time.perf_counter() - start
        consumer.close()

        # Parse only: JSON → validated rows → the columnar frame the store takes.
        directory = meter_directory(services.db)
        start = time.perf_counter()
        frames, pending, rows = [], [], 0
        for payload in raw:
            parsed = parse_batch(payload)
            pending.append((directory[parsed.meter], parsed))
            rows += len(parsed.ts)
            if rows >= 200_000:
                frames.append(readings_frame_of(pending))
                pending, rows = [], 0
        if pending:
            frames.append(readings_frame_of(pending))
        parse_s = time.perf_counter() - start

        # Insert only: the frames into the readings table with rollup refresh.
        start = time.perf_counter()
        for frame in frames:
            write_readings(store, frame)
        insert_s = time.perf_counter() - start
        for table in ("readings", "readings_hourly", "readings_daily"):
            store.command(f"TRUNCATE TABLE {table}")

        # End to end: one consumer drains the filled topic into the store.
        ingest = ingest_consumer(services)
        stop = threading.Event()
        start = time.perf_counter()
        thread = threading.Thread(target=ingest.run, args=(stop,), daemon=True)
        thread.start()
        ingest.ready.wait(60)
        joined = time.perf_counter() - start
        while int(store.query_df("SELECT count() FROM readings").iloc[0, 0]) < total:
            time.sleep(0.05)
        e2e_s = time.perf_counter() - start - joined
        stop.set()
        thread.join(60)

        print(f"publish (producer)       {rate(total, publish_s)}")
        print(f"consume only             {rate(total, consume_s)}")
        print(f"parse only               {rate(total, parse_s)}")
        print(f"insert only (+rollups)   {rate(total, insert_s)}")
        print(f"end to end, 1 consumer   {rate(total, e2e_s)}   (group join {joined:.1f} s not counted)")

        # Latency: publish at a steady rate, watch when readings become queryable.
        latency(services, store, bootstrap, codes, args.rate, args.seconds)
    finally:
        broker.stop()
        valkey.stop()


def latency(services: Services, store: ChdbStore, bootstrap: str, codes: list[str], per_s: int, seconds: int) -> None:
    topics = Topics("bench-latency")
    ensure_topics(bootstrap, topics, 4)
    services.topics = topics
    for table in ("readings", "readings_hourly", "readings_daily"):
        store.command(f"TRUNCATE TABLE {table}")
    ingest = ingest_consumer(services, group="bench-latency")
    stop = threading.Event()
    thread = threading.Thread(target=ingest.run, args=(stop,), daemon=True)
    thread.start()
    ingest.ready.wait(60)
    producer = make_producer(bootstrap, linger_ms=5)
    per_message = 500
    published: list[tuple[float, int]] = []  # (time, cumulative readings)
    seen: list[tuple[float, int]] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.append((time.perf_counter(), int(store.query_df("SELECT count() FROM readings").iloc[0, 0])))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    sent, n = 0, 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        # Keep the cumulative count on schedule: rate × elapsed, sent in 500-reading messages.
        while sent < per_s * elapsed:
            code = codes[n % len(codes)]
            rows = [[T0 + 86400 * 400 + (n // len(codes) * per_message + i) * 1800, 1.0, 0] for i in range(per_message)]
            producer.send(topics.readings, key=code.encode(), value=encode_batch(code, "lat", "l", 1, 1800, rows))
            n += 1
            sent += per_message
        producer.flush(10)
        published.append((time.perf_counter(), sent))
        time.sleep(0.02)
    actual_rate = sent / (time.perf_counter() - start)
    deadline = time.perf_counter() + 60
    while (not seen or seen[-1][1] < sent) and time.perf_counter() < deadline:
        time.sleep(0.1)
    done.set()
    watcher.join()
    stop.set()
    thread.join(60)
    delays = []
    for at, cumulative in published:
        visible = next((t for t, count in seen if count >= cumulative), None)
        if visible is not None:
            delays.append(visible - at)
    p50, p95, p99 = np.percentile(delays, [50, 95, 99])
    print(
        f"publish → queryable at {actual_rate:,.0f} readings/s for {seconds} s: "
        f"p50 {p50:.2f} s, p95 {p95:.2f} s, p99 {p99:.2f} s (max {max(delays):.2f} s)"
    )


if __name__ == "__main__":
    main()
