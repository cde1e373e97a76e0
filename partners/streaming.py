"""Large partner files taken a chunk at a time, so that memory stays bounded whatever the file's size.

A CSV file of interval values larger than :data:`STREAM_BYTES` is read twice: once to hash it (the batch's
provenance, and the version that makes a second import of the same file change nothing), then in chunks of about
:data:`CHUNK_BYTES` of whole lines, each parsed with the header in front and published before the next is read;
every message still names the line of the file. One batch, recorded and audited once, as for a small file. Other
formats (80020 and ESPI XML, JSON documents) and cumulative registers, whose readings depend on the one before, are
taken whole. A pushed body larger than :data:`STREAM_BYTES` is spooled to a temporary file first (never more than the
partner's limit); a smaller one stays in memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from data.relational.partners import PartnerRecord
from data.services import Services
from partners.config import PartnerConfig, partner_config
from partners.formats import PARSERS, FormatError
from partners.ingest import IngestBatch, IngestReport, ingest_payload

STREAM_BYTES = 16 * 1024 * 1024
CHUNK_BYTES = 2 * 1024 * 1024  # about 70,000 rows: some 60 MB of parsed readings at a time (bench.import_memory)
_BLOCK = 1024 * 1024


def streamable(config: PartnerConfig) -> bool:
    return config.format == "csv" and config.value_kind == "interval"


def ingest_file(
    services: Services, partner: PartnerRecord, path: Path, source: str, file_name: str | None = None
) -> IngestReport:
    """Ingest a file (see the module's docstring for when it is streamed); the same report as for a payload."""
    config = partner_config(partner)
    size = path.stat().st_size
    if size <= STREAM_BYTES or not streamable(config):
        return ingest_payload(services, partner, path.read_bytes(), source, file_name)
    report = IngestReport(batch_id=f"{partner.slug}-{uuid.uuid4().hex[:16]}")
    batch = IngestBatch(services, partner, config, report, _sha256(path))
    parser, options = PARSERS[config.format], dict(config.format_options)
    for chunk, line_offset in csv_chunks(path, CHUNK_BYTES):
        try:
            parsed = parser.parse(chunk, {**options, "line_offset": line_offset})
        except FormatError as exc:  # what came before stays accepted; the rest of the file is refused, with why
            batch.refuse(exc, chunk[:100_000])
            break
        batch.take(parsed)
    batch.record(source, size, file_name)
    if report.records:
        batch.audit(source, file_name)
    return report


def csv_chunks(path: Path, chunk_bytes: int) -> Iterator[tuple[bytes, int]]:
    """The file's header line followed by about ``chunk_bytes`` of whole lines (a quoted field's line breaks stay
    inside one chunk), with the line offset that makes the parser name lines of the file."""
    with path.open("rb") as f:
        header = f.readline()
        lines_before = 1  # lines of the file before the chunk's first data line
        while block := f.read(chunk_bytes):
            block += f.readline()
            while block.count(b'"') % 2 and (more := f.readline()):
                block += more
            yield header + block, lines_before - 1
            lines_before += block.count(b"\n")


@contextlib.contextmanager
def received(stream: IO[bytes], limit: int) -> Iterator[bytes | Path | None]:
    """A pushed body: its bytes when it is no larger than :data:`STREAM_BYTES` (the usual push never touches the
    disk), else the path of a temporary file it was copied to a megabyte at a time; None when it holds more than
    ``limit`` bytes (checked as it arrives, also for a chunked body, which has no length to check first)."""
    in_memory = min(limit, STREAM_BYTES)
    head = stream.read(in_memory + 1)
    if len(head) <= in_memory:
        yield head
        return
    with tempfile.TemporaryDirectory(prefix="wattboard-push-") as directory:
        path, written = Path(directory) / "body", len(head)
        with path.open("wb") as out:
            out.write(head)
            while written <= limit and (block := stream.read(_BLOCK)):
                written += len(block)
                out.write(block)
        yield path if written <= limit else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()
