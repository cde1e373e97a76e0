"""Large CSV imports and pushes are taken a chunk at a time (issue 12): the same outcome as a whole file — counts,
line numbers of bad rows, one batch, one audit event, a second import that changes nothing — with bounded memory
(``python -m bench.import_memory`` prints the figures). The thresholds are lowered here so that a small file is cut
into many chunks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import requests

from auth.inn import complete_inn
from data.clickhouse.readings import count_readings
from data.relational import partners as partners_repo
from data.relational.audit import audit_events
from data.relational.meters import meter_by_code
from partners import admin, streaming
from partners.ingest import ingest_payload
from tests.helpers import make_org, wait_for

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
BAD_LINES = {57, 203, 204, 388}  # 1-based lines of the file (line 1 is the header)


def csv_file(path: Path, rows: int) -> Path:
    lines = ["meter;ts;value\n"]
    for n in range(rows):
        line_no = n + 2
        ts = (T0 + dt.timedelta(minutes=30 * n)).strftime("%d.%m.%Y %H:%M")
        value = "не число" if line_no in BAD_LINES else f"{1 + (n % 5) * 0.25:.2f}".replace(".", ",")
        lines.append(f'"ST-{n % 3}";{ts};{value}\n')
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def partner(services):
    make_org(services.db, "773000000", "ООО «Поток»", ["ST-0", "ST-1", "ST-2"])
    config = {"format": "csv", "timezone": "UTC", "organization_inn": complete_inn("773000000")}
    return admin.create(services.db, services.settings, "stream", "Поток", config)


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(streaming, "STREAM_BYTES", 2_000)
    monkeypatch.setattr(streaming, "CHUNK_BYTES", 1_500)


def stored(services) -> int:
    return count_readings(services.store, [meter_by_code(services.db, f"ST-{i}").id for i in range(3)])


@pytest.mark.parametrize("relational_url", ["postgresql"], indirect=True)
def test_a_large_import_is_taken_in_chunks_with_the_outcome_of_a_whole_file(
    services, running_consumer, partner, small_chunks, tmp_path: Path
) -> None:
    partner, _key = partner
    path = csv_file(tmp_path / "year.csv", 600)
    chunks = list(streaming.csv_chunks(path, streaming.CHUNK_BYTES))
    assert len(chunks) > 10  # the file really is cut

    whole = ingest_payload(services, partner, path.read_bytes(), "import", file_name="year.csv", dry_run=True)
    streamed = streaming.ingest_file(services, partner, path, "import", file_name="year.csv")
    assert (streamed.records, streamed.accepted, len(streamed.rejected)) == (600, 596, 4)
    assert (whole.records, whole.accepted, len(whole.rejected)) == (600, 596, 4)
    lines = sorted(item["record"]["line"] for item in streamed.rejected)
    assert lines == sorted(BAD_LINES) == sorted(item["record"]["line"] for item in whole.rejected)
    assert all(item["reason"].startswith(f"line {item['record']['line']}:") for item in streamed.rejected)
    wait_for(lambda: stored(services) == 596, timeout=60)

    again = streaming.ingest_file(services, partner, path, "import", file_name="year.csv")  # the same file again
    assert again.accepted == 596
    wait_for(lambda: len(partners_repo.batches(services.db, partner.id)) == 2)
    batches = partners_repo.batches(services.db, partner.id)
    assert {b.payload_sha256 for b in batches} == {streaming._sha256(path)}  # one digest for the whole file
    assert {(b.records, b.accepted, b.rejected) for b in batches} == {(600, 596, 4)}
    assert stored(services) == 596
    imports = [e for e in audit_events(services.db, "partner:stream") if e.action == "ingest.import"]
    assert len(imports) == 2 and imports[0].details["accepted"] == 596  # one event per file, not per chunk


def test_a_quoted_line_break_stays_inside_its_chunk(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_bytes(b'meter;ts;value\n"A";01.01.2026 00:00;1\n"B\nC";01.01.2026 00:30;2\n"D";01.01.2026 01:00;3\n')
    chunks = list(streaming.csv_chunks(path, 20))
    assert all(chunk.startswith(b"meter;ts;value\n") for chunk, _ in chunks)
    assert all(chunk.count(b'"') % 2 == 0 for chunk, _ in chunks)
    assert [offset for _, offset in chunks] == [0, 1, 3]  # the chunks start at lines 2, 3 and 5 of the file


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_a_large_push_is_spooled_and_streamed_and_the_limit_still_holds(
    services, live_app, partner, small_chunks, tmp_path: Path
) -> None:
    _partner, key = partner
    body = csv_file(tmp_path / "push.csv", 400).read_bytes()
    url, auth = f"{live_app.url}/api/v1/ingest/stream", {"Authorization": f"Bearer {key}"}
    answer = requests.post(url, data=body, headers=auth, timeout=60)
    assert answer.status_code == 202, answer.text
    report = answer.json()
    assert (report["records"], report["accepted"], report["rejected"]) == (400, 396, 4)
    assert sorted(e["record"]["line"] for e in report["errors"]) == sorted(BAD_LINES)

    partners_repo.update_partner(services.db, "stream", config={**_partner.config, "max_push_mb": 0.01})
    chunked = requests.post(url, data=iter([body[:5000], body[5000:]]), headers=auth, timeout=60)  # no length
    assert chunked.status_code == 413 and "0.01 MB" in chunked.json()["error"]
