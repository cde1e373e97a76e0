"""Property-based: every parser, fed arbitrary bytes or mutated valid files, gives a clear error or
rows, never a crash and never a silent partial drop (every record it saw is read or rejected)."""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partners.formats import PARSERS, FormatError
from partners.formats.base import ParseResult
from tests.samples import espi, xml80020

# Fixed seed so CI is repeatable; WATTBOARD_FUZZ_RANDOM=1 explores new inputs (and more of them).
RANDOM = os.environ.get("WATTBOARD_FUZZ_RANDOM") == "1"
FUZZ = settings(
    max_examples=1000 if RANDOM else 150,
    derandomize=not RANDOM,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

JSON_OPTIONS = {"records_path": "items", "meter_path": "m", "ts_path": "t", "value_path": "v", "ts_format": "epoch"}
CSV_OPTIONS = {"meter_column": "m", "ts_column": "t", "value_column": "v", "ts_format": "iso"}
VALID = {
    "json": (
        json.dumps({"items": [{"m": "A", "t": 1768435200 + i * 1800, "v": 1.5} for i in range(6)]}).encode(),
        JSON_OPTIONS,
    ),
    "csv": (("m;t;v\n" + "".join(f"A;2026-01-15T0{i}:00;1,5\n" for i in range(6))).encode(), CSV_OPTIONS),
    "80020": (xml80020(points={"1": {"01": [(f"0{i}00", f"0{i}30", str(i)) for i in range(6)]}}), {}),
    "espi": (espi(readings=[(1768435200 + 3600 * i, 3600, 100 + i) for i in range(6)]), {}),
}


def parse_or_error(fmt: str, payload: bytes, options: dict) -> ParseResult | None:
    try:
        return PARSERS[fmt].parse(payload, options)
    except FormatError as exc:
        assert str(exc), "a FormatError says why"
        return None


def records_in(fmt: str, payload: bytes) -> int | None:
    """How many records a payload holds, counted independently of the parser (None: can't tell)."""
    if fmt == "json":
        try:
            items = json.loads(payload).get("items")
        except (ValueError, AttributeError, UnicodeDecodeError):
            return None
        return len(items) if isinstance(items, list) else None
    if fmt == "csv":
        try:
            return sum(1 for _ in csv.DictReader(io.StringIO(payload.decode("utf-8"), newline=""), delimiter=";"))
        except (UnicodeDecodeError, csv.Error):
            return None
    try:
        root = ET.fromstring(payload)
    except (ET.ParseError, ValueError, LookupError):
        return None
    if fmt == "80020":
        return len(root.findall("./area/measuringpoint/measuringchannel/period"))

    def name(node: ET.Element) -> str:
        return node.tag.rsplit("}", 1)[-1]

    return sum(
        1
        for entry in root
        if name(entry) == "entry"
        for block in entry.iter()
        if name(block) == "IntervalBlock"
        for reading in block.iter()
        if name(reading) == "IntervalReading"
    )


@FUZZ
@given(fmt=st.sampled_from(sorted(PARSERS)), payload=st.binary(max_size=2000))
def test_arbitrary_bytes_give_an_error_or_rows(fmt: str, payload: bytes) -> None:
    parse_or_error(fmt, payload, VALID[fmt][1])


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    fmt = draw(st.sampled_from(sorted(VALID)))
    data = bytearray(VALID[fmt][0])
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "delete", "insert"]))
        if action == "flip":
            data[position] = draw(st.integers(0, 255))
        elif action == "delete":
            del data[position : position + draw(st.integers(1, 8))]
        else:
            data[position:position] = draw(st.sampled_from([b"-", b"x", b";", b",", b'"', b"<", b"0", b"\n", b"}"]))
    return fmt, bytes(data)


@FUZZ
@given(case=mutated())
def test_mutated_valid_files_never_drop_records_silently(case: tuple[str, bytes]) -> None:
    fmt, payload = case
    result = parse_or_error(fmt, payload, VALID[fmt][1])
    if result is None:
        return
    expected = records_in(fmt, payload)
    if expected is not None:
        assert result.total == expected
    for reading in result.readings:
        assert reading.meter and reading.value == reading.value  # never NaN


def test_the_valid_samples_parse_completely() -> None:
    for fmt, (payload, options) in VALID.items():
        result = PARSERS[fmt].parse(payload, options)
        assert len(result.readings) == 6 and not result.rejected, fmt


# -- the messages on the topics: reading batches (JSON and columnar) and device reports ------------------------------
@st.composite
def reading_batches(draw: st.DrawFn) -> bytes:
    """A reading batch as any producer might send it: sometimes sound, sometimes anything but."""
    from data.messaging.reading_batch import encode_batch, encode_columnar

    number = st.one_of(
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.text(max_size=3),
    )
    rows = draw(st.lists(st.lists(number, min_size=0, max_size=4), max_size=8))
    if draw(st.booleans()):
        return encode_batch("M", "p", "b", draw(st.integers(-5, 2**40)), draw(st.integers(-5, 90_000)), rows)  # type: ignore[arg-type]  # malformed on purpose
    import numpy as np

    n = draw(st.integers(0, 6))
    ts = np.array(draw(st.lists(st.integers(-(2**62), 2**62), min_size=n, max_size=n)), dtype=np.int64)
    values = np.array(draw(st.lists(st.floats(allow_nan=True), min_size=n, max_size=n)), dtype=np.float64)
    status = np.array(draw(st.lists(st.integers(0, 255), min_size=n, max_size=n)), dtype=np.uint8)
    payload = encode_columnar("M", "p", "b", 1, 1800, ts, values, status)
    cut = draw(st.integers(0, 3))
    return payload[: len(payload) - cut] if cut else payload


@FUZZ
@given(payload=st.one_of(reading_batches(), st.binary(max_size=500)))
def test_a_reading_batch_gives_a_reason_or_sound_rows_never_a_crash(payload: bytes) -> None:
    import math

    from data.messaging.reading_batch import MAX_INTERVAL_KWH, BadBatch, parse_batch

    try:
        batch = parse_batch(payload)
    except BadBatch as exc:
        assert str(exc)
        return
    for ts, value, status in batch.rows:  # what passes can be written: a time the store keeps, a finite value
        assert 946_684_800 <= ts <= 4_102_444_800 and math.isfinite(value) and 0 <= value <= MAX_INTERVAL_KWH
        assert 0 <= status <= 255
    assert all(reason for _, reason in batch.rejected)


@FUZZ
@given(
    report=st.dictionaries(
        st.sampled_from(["device", "ts", "online", "battery", "signal", "error_code", "tamper", "extra"]),
        st.one_of(
            st.none(), st.booleans(), st.integers(-(2**64), 2**64), st.floats(allow_nan=True, allow_infinity=True),
            st.text(max_size=50), st.lists(st.integers(), max_size=2),
        ),
    )
)
def test_a_device_report_is_sound_or_refused_with_a_reason(report: dict) -> None:
    import datetime as dt
    import math

    from data.messaging.device_report import EARLIEST, ERROR_CODE, SERIAL, BadReport, check_report, decode_report

    try:
        checked = check_report(report, "p")
    except BadReport as exc:
        assert str(exc)
        with pytest.raises(BadReport):  # the consumer refuses the same message on its topic
            decode_report(json.dumps({**report, "partner": "p"}, default=str).encode())
        return
    assert SERIAL.match(checked.device) and (not checked.error_code or ERROR_CODE.match(checked.error_code))
    assert EARLIEST <= checked.ts <= dt.datetime.now(dt.UTC).timestamp() + 86_400
    dt.datetime.fromtimestamp(checked.ts, dt.UTC)  # the very call that used to stop the pipeline
    for value in (checked.battery, checked.signal):
        assert value is None or math.isfinite(value)
    assert decode_report(checked.encode()) == checked
