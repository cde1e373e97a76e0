"""Memory and time of a large CSV import, taken whole and streamed a chunk at a time.

    python -m bench.import_memory [--rows 1000000] [--meters 100]

Writes a CSV of ``--rows`` half-hourly readings, then imports it twice into a fresh Wattboard (embedded Kafka-
protocol broker, chDB, SQLite), each time in a child process of its own: once whole (``ingest_payload`` on the
file's bytes, what every import did before) and once streamed (``partners.streaming.ingest_file``). Prints, for each,
the child's peak resident memory (and how much of it is above a baseline child that loads everything and imports ten
rows), the time and readings/s, and whether both accepted the same number of readings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from auth.inn import complete_inn
from config import load_settings
from data.relational import migrate
from data.services import Services
from partners import admin
from runtime import embedded
from tests.helpers import make_org

T0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def write_csv(path: Path, rows: int, meters: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("meter;ts;value\n")
        for n in range(rows):
            ts = T0 + dt.timedelta(minutes=30 * (n // meters))
            value = f"{1 + (n % 7) * 0.125:.3f}".replace(".", ",")  # a decimal comma, as Russian files have
            out.write(f"BM-{n % meters:04d};{ts:%d.%m.%Y %H:%M};{value}\n")


def child(mode: str, home: str, bootstrap: str, file: str) -> None:
    from data.relational.partners import partner_by_slug
    from partners.ingest import ingest_payload
    from partners.streaming import ingest_file

    services = Services(load_settings(home=Path(home), kafka_bootstrap=bootstrap))
    partner = partner_by_slug(services.db, "bench")
    assert partner is not None, "the bench partner was created above"
    path = Path(file)
    start = time.perf_counter()
    if mode == "baseline":  # the same process with everything loaded, importing ten rows
        with path.open("rb") as f:
            head = b"".join(f.readline() for _ in range(11))
        report = ingest_payload(services, partner, head, "import", file_name="head.csv")
    elif mode == "whole":
        report = ingest_payload(services, partner, path.read_bytes(), "import", file_name=path.name)
    else:
        report = ingest_file(services, partner, path, "import", file_name=path.name)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"records": report.records, "accepted": report.accepted, "seconds": seconds, "peak_mb": peak_mb}))
    services.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--meters", type=int, default=100)
    parser.add_argument("--child", nargs=4, metavar=("MODE", "HOME", "BOOTSTRAP", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    home = Path(tempfile.mkdtemp(prefix="wattboard-bench-"))
    broker = embedded.start_broker(home)
    bootstrap = f"127.0.0.1:{broker.port}"
    try:
        services = Services(load_settings(home=home, kafka_bootstrap=bootstrap))
        migrate.upgrade(services.db)
        codes = [f"BM-{i:04d}" for i in range(args.meters)]
        make_org(services.db, "774500000", "Bench", codes)
        config = {"format": "csv", "timezone": "UTC", "organization_inn": complete_inn("774500000")}
        admin.create(services.db, services.settings, "bench", "Bench", config)
        services.close()
        path = home / "import.csv"
        write_csv(path, args.rows, args.meters)
        size_mb = path.stat().st_size / 1024 / 1024
        print(f"{args.rows:,} rows, {args.meters} metering points, {size_mb:.1f} MB of CSV")
        results = {}
        for mode in ("baseline", "whole", "streamed"):
            out = subprocess.run(
                [sys.executable, "-m", "bench.import_memory", "--child", mode, str(home), bootstrap, str(path)],
                capture_output=True, text=True, check=True,
            )
            results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
            r = results[mode]
            above = r["peak_mb"] - results["baseline"]["peak_mb"]
            print(
                f"{mode:9} peak RSS {r['peak_mb']:6.0f} MB ({above:+5.0f} MB over the baseline)   "
                f"{r['seconds']:6.1f} s   "
                f"{r['accepted'] / r['seconds']:>9,.0f} readings/s   accepted {r['accepted']:,} of {r['records']:,}"
            )
        same = results["whole"]["accepted"] == results["streamed"]["accepted"]
        print(f"both accepted the same readings: {same}")
    finally:
        broker.stop()


if __name__ == "__main__":
    main()
