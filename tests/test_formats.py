"""Every partner format on real files: what it reads, and how it refuses what it cannot."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from partners.formats import PARSERS, FormatError
from tests.samples import espi, xml80020


def test_80020_in_windows_1251_and_utf8_reads_the_same() -> None:
    points = {"0101": {"01": [("0000", "0030", "120"), ("0030", "0100", "130")]}}
    for encoding in ("windows-1251", "utf-8"):
        result = PARSERS["80020"].parse(xml80020(points=points, encoding=encoding), {})
        assert [(r.meter, r.ts, r.value, r.interval_s) for r in result.readings] == [
            ("0101", dt.datetime(2026, 1, 15, 0, 0), 120.0, 1800),
            ("0101", dt.datetime(2026, 1, 15, 0, 30), 130.0, 1800),
        ]
        assert not result.rejected and not result.dst


def test_80020_hour_periods_all_four_channels_and_daylight_saving() -> None:
    periods = [("0000", "0100", "10"), ("2300", "0000", "11")]
    payload = xml80020(dst=1, points={"0202": {c: periods for c in ("01", "02", "03", "04")}})
    result = PARSERS["80020"].parse(payload, {})
    assert result.dst
    assert sorted({r.meter for r in result.readings}) == ["0202", "0202:02", "0202:03", "0202:04"]
    assert {r.interval_s for r in result.readings} == {3600}
    last = [r for r in result.readings if r.meter == "0202"][-1]
    assert last.ts == dt.datetime(2026, 1, 15, 23, 0) and last.value == 11.0


@pytest.mark.parametrize(
    "payload, place",
    [
        (b"<message class='80020'><datetime><day>2026", "line 1"),
        (xml80020().replace(b"<day>20260115</day>", b""), "<day> is missing"),
        (xml80020().replace(b"<day>20260115</day>", b"<day>2026-01-15</day>"), "not YYYYMMDD"),
        (xml80020().replace(b'class="80020"', b'class="80030"'), 'not <message class="80020">'),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><message class="80020"/>', "DTDs"),
    ],
)
def test_80020_malformed_file_names_the_place_and_reason(payload: bytes, place: str) -> None:
    with pytest.raises(FormatError, match=place):
        PARSERS["80020"].parse(payload, {})


ENTITY_ATTACK = (
    '<?xml version="1.0" encoding="{encoding}"?><!DOCTYPE message [<!ENTITY c "EKB-FC-001">]>'
    '<message class="80020" version="2" number="1"><datetime><day>20260115</day></datetime>'
    '<area><measuringpoint code="&c;"><measuringchannel code="01"><period start="0000" end="0030">'
    "<value>9</value></period></measuringchannel></measuringpoint></area></message>"
)


@pytest.mark.parametrize(
    "encoding, bom",
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
     ("utf-16", b""), ("utf-32-le", b"\xff\xfe\x00\x00"), ("windows-1251", b"")],
)
def test_a_dtd_is_refused_by_the_parser_in_every_encoding(encoding: str, bom: bytes) -> None:
    """Issue 16: a UTF-16 80020 body whose code and value came from entities got past a search for ASCII bytes."""
    declared = {"utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "utf-32-le": "UTF-32"}.get(encoding, encoding)
    payload = bom + ENTITY_ATTACK.format(encoding=declared).encode(encoding)
    # expat reads no UTF-32 at all: such a body is refused as malformed, so it is never parsed either.
    refusal = "malformed XML" if encoding.startswith("utf-32") else "DTDs and entities are not accepted"
    for fmt in ("80020", "espi"):
        with pytest.raises(FormatError, match=refusal):
            PARSERS[fmt].parse(payload, {})


def test_80020_bad_periods_are_rejected_one_by_one() -> None:
    periods = [("0000", "0030", "1"), ("0030", "0015", "2"), ("0100", "0130", "x"), ("2561", "0000", "3")]
    result = PARSERS["80020"].parse(xml80020(points={"0303": {"01": periods, "07": [("0000", "0030", "1")]}}), {})
    assert len(result.readings) == 1
    reasons = [reason for _, reason in result.rejected]
    assert any("ends before it starts" in r for r in reasons)
    assert any("is not a number" in r for r in reasons)
    assert any("is not HHMM" in r for r in reasons)
    assert any("channel must be 01..04" in r for r in reasons)
    assert all(r.startswith("measuringpoint 0303") for r in reasons)


def test_json_mapping_with_nested_paths_and_next_link() -> None:
    payload = json.dumps(
        {
            "data": {
                "items": [
                    {"device": {"id": "A-1"}, "t": 1768435200, "kwh": 1.5, "q": 0},
                    {"device": {"id": "A-1"}, "t": "yesterday", "kwh": 1.0},
                    {"device": {}, "t": 1768437000, "kwh": 1.0},
                ]
            },
            "links": {"next": "https://p.example/page/2"},
        }
    ).encode()
    options = {
        "records_path": "data.items",
        "meter_path": "device.id",
        "ts_path": "t",
        "value_path": "kwh",
        "status_path": "q",
        "ts_format": "epoch",
        "next_link_path": "links.next",
    }
    result = PARSERS["json"].parse(payload, options)
    assert [(r.meter, r.ts.isoformat(), r.value) for r in result.readings] == [
        ("A-1", "2026-01-15T00:00:00+00:00", 1.5)
    ]
    assert [reason for _, reason in result.rejected] == [
        "timestamp 'yesterday' is not a number",
        "no meter id at 'device.id'",
    ]
    assert result.next_link == "https://p.example/page/2"


def test_csv_with_decimal_comma_in_windows_1251() -> None:
    text = "Счётчик;Время;Расход\nМ-1;15.01.2026 00:00;1,25\nМ-1;15.01.2026 00:30;1 234,5\nМ-1;15.01.2026;2\n"
    options = {"meter_column": "Счётчик", "ts_column": "Время", "value_column": "Расход"}
    result = PARSERS["csv"].parse(text.encode("windows-1251"), options)
    assert [(r.meter, r.ts, r.value) for r in result.readings] == [
        ("М-1", dt.datetime(2026, 1, 15, 0, 0), 1.25),
        ("М-1", dt.datetime(2026, 1, 15, 0, 30), 1234.5),
    ]
    assert result.rejected[0][1].startswith("line 4: timestamp '15.01.2026' does not match")


def test_a_nul_byte_refuses_only_its_line_and_keeps_the_line_numbers_true() -> None:
    text = b"meter;ts;value\nM-1;15.01.2026 00:00;1\nM-1;15.01.2026 00:30;\x002\nM-1;15.01.2026 01:00;3\nM-1;x;4\n"
    result = PARSERS["csv"].parse(text, {})
    assert [r.value for r in result.readings] == [1.0, 3.0]
    assert [reason for _, reason in result.rejected] == [
        "line 3: contains a NUL byte",
        "line 5: timestamp 'x' does not match %d.%m.%Y %H:%M",
    ]
    with pytest.raises(FormatError, match="header contains a NUL"):
        PARSERS["csv"].parse(b"me\x00ter;ts;value\n", {})


def test_csv_without_the_mapped_columns_says_which() -> None:
    with pytest.raises(FormatError, match="missing column"):
        PARSERS["csv"].parse(b"a;b\n1;2\n", {"ts_column": "time"})


def test_espi_scales_by_reading_type_and_finds_the_usage_point() -> None:
    result = PARSERS["espi"].parse(espi(multiplier=-1), {})
    assert result.units == "Wh"
    assert [(r.meter, r.interval_s, r.value) for r in result.readings] == [("UP-7", 3600, 150.0), ("UP-7", 3600, 170.0)]
    with pytest.raises(FormatError, match="must be integers"):
        PARSERS["espi"].parse(espi().replace(b"<espi:uom>72<", b"<espi:uom>x72<"), {})
    with pytest.raises(FormatError, match="no IntervalBlock"):
        PARSERS["espi"].parse(b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>', {})
