"""Property-based: every parser, fed arbitrary bytes or mutated valid files, gives a clear error or
rows, never a crash and never a silent partial drop (every record it saw is read or rejected)."""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET

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
