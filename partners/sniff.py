"""What a sample or an exported file is and how to read it, told from the file itself: the format (CSV, JSON, 80020
XML, Green Button) and the options its parser needs — for CSV the delimiter, the time, value and meter columns, the
time format, the decimal mark and the step; for JSON the list of records and the paths in a record. The guided partner
set-up proposes these, and a new organization's upload uses them as they are (pure)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from partners.formats.csv_mapping import decode_text
from partners.formats.json_mapping import get_path

TIME_HEADER = re.compile(r"врем|дата|начал|time|date|^ts$|start|period|период", re.IGNORECASE)
VALUE_HEADER = re.compile(r"квт|kwh|энерг|energy|расход|потреб|consum|value|значен|объ[её]м|wh", re.IGNORECASE)
METER_HEADER = re.compile(r"сч[её]тчик|точк|прибор|meter|point|device|serial|серийн|^id$|^код", re.IGNORECASE)
ROWS_SHOWN = 10
TIME_FORMATS = ("%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d.%m.%y %H:%M")


class UnknownFile(ValueError):
    """Wattboard cannot tell how to read the file; ``code`` says what went wrong for the interface."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class FileKind:
    format: str  # a key of partners.formats.PARSERS
    options: dict[str, Any] = field(default_factory=dict)
    units: str = "kWh"
    interval_s: int = 1800  # the step between the first records' times (half-hours when it cannot tell)
    columns: tuple[str, ...] = ()  # a CSV's header, a JSON record's paths: what the set-up offers to map
    rows: tuple[tuple[str, ...], ...] = ()  # the first records as text, for the set-up to show
    lists: tuple[str, ...] = ()  # JSON: the paths that hold a list of records


def _parse(text: str, ts_format: str) -> dt.datetime:
    text = text.strip()
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if ts_format == "iso" else dt.datetime.strptime(
        text, ts_format
    )


def _time_format(text: str) -> str | None:
    for fmt in (*TIME_FORMATS, "iso"):
        try:
            _parse(text, fmt)
            return fmt
        except ValueError:
            continue
    return None


def _seconds(value: Any, ts_format: str) -> int | None:
    try:
        if ts_format in ("epoch", "epoch_ms"):
            return int(float(value) / (1000 if ts_format == "epoch_ms" else 1))
        moment = _parse(str(value), ts_format)
    except (ValueError, TypeError):
        return None
    return int((moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).timestamp())


def _step(values: list[Any], ts_format: str) -> int:
    """The smallest step between the first records' times, if it is a whole number of minutes up to a day."""
    seconds = sorted({s for v in values if (s := _seconds(v, ts_format)) is not None})
    step = min((b - a for a, b in zip(seconds, seconds[1:], strict=False)), default=1800)
    return step if step % 60 == 0 and 60 <= step <= 86_400 else 1800


def _csv(text: str) -> FileKind:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        raise UnknownFile("empty", "the file has a header and no rows")
    header_line = lines[0]
    delimiter = max((";", "\t", ","), key=header_line.count)
    if header_line.count(delimiter) == 0:
        raise UnknownFile("columns", "the file needs at least two columns: the time and the kWh")
    header = next(csv.reader(io.StringIO(header_line), delimiter=delimiter))
    rows = list(csv.reader(io.StringIO("\n".join(lines[1:12])), delimiter=delimiter))
    first = rows[0] if rows else []
    header = [h.strip() for h in header]
    time_col = next((h for h in header if TIME_HEADER.search(h)), header[0])
    value_col = next((h for h in reversed(header) if VALUE_HEADER.search(h) and h != time_col), header[-1])
    if time_col == value_col:
        raise UnknownFile("columns", "the file needs at least two columns: the time and the kWh")
    sample = dict(zip(header, first, strict=False)).get(time_col, "")
    ts_format = _time_format(sample)
    if ts_format is None:
        raise UnknownFile("time", f"column {time_col!r} does not hold times such as 01.12.2026 10:00", column=time_col)
    records = [dict(zip(header, row, strict=False)) for row in rows]
    values = [r.get(value_col, "") for r in records]
    decimal_comma = delimiter != "," and any("," in v for v in values)
    options: dict[str, Any] = {
        "delimiter": delimiter,
        "ts_column": time_col,
        "value_column": value_col,
        "ts_format": ts_format,
        "decimal_comma": decimal_comma,
    }
    meter_col = next((h for h in header if METER_HEADER.search(h) and h not in (time_col, value_col)), None)
    if meter_col:
        options["meter_column"] = meter_col
    return FileKind(
        "csv",
        options,
        _units(value_col),
        _step([r.get(time_col, "") for r in records], ts_format),
        columns=tuple(header),
        rows=tuple(tuple(row) for row in rows[:ROWS_SHOWN]),
    )


def _units(name: str) -> str:
    if re.search(r"мвт|mwh", name, re.IGNORECASE):
        return "MWh"
    return "Wh" if re.search(r"(?<![кk])(вт|w)[·.\s-]?(ч|h)", name, re.IGNORECASE) else "kWh"


def _paths(node: Any, prefix: str = "", depth: int = 0) -> list[tuple[str, Any]]:
    """Every scalar in a record with its dotted path (three levels deep at most)."""
    if isinstance(node, dict) and depth < 3:
        return [p for key, value in node.items() for p in _paths(value, f"{prefix}{key}.", depth + 1)]
    return [] if isinstance(node, dict | list) else [(prefix.rstrip("."), node)]


def _lists(document: Any, prefix: str = "", depth: int = 0) -> list[str]:
    """The paths that hold a list of records (objects), shallowest first."""
    if isinstance(document, list):
        return [prefix.rstrip(".")] if document and isinstance(document[0], dict) else []
    if isinstance(document, dict) and depth < 3:
        return [p for key, value in document.items() for p in _lists(value, f"{prefix}{key}.", depth + 1)]
    return []


def _stamp_format(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return "epoch_ms" if value > 1e11 else "epoch" if 946_684_800 <= value <= 4_102_444_800 else None
    return _time_format(value) if isinstance(value, str) else None


def _json(document: Any, records_path: str | None = None) -> FileKind:
    lists = _lists(document)
    if not lists:
        raise UnknownFile("records", "the JSON holds no list of records")
    path = records_path if records_path in lists else lists[0]
    records = get_path(document, path)
    fields = _paths(records[0])
    names = [name for name, _ in fields]
    ts_path = next((n for n, v in fields if TIME_HEADER.search(n.rsplit(".", 1)[-1]) and _stamp_format(v)), None)
    ts_path = ts_path or next((n for n, v in fields if _stamp_format(v)), None)
    if ts_path is None:
        raise UnknownFile("time", "no field of a record holds a time", column="")
    numbers = [n for n, v in fields if isinstance(v, int | float) and not isinstance(v, bool) and n != ts_path]
    value_path = next((n for n in numbers if VALUE_HEADER.search(n.rsplit(".", 1)[-1])), numbers[-1] if numbers else "")
    meter_path = next(
        (n for n in names if METER_HEADER.search(n.rsplit(".", 1)[-1]) and n not in (ts_path, value_path)), None
    )
    ts_format = _stamp_format(get_path(records[0], ts_path)) or "iso"
    options: dict[str, Any] = {"records_path": path, "ts_path": ts_path, "value_path": value_path}
    options["ts_format"] = ts_format
    if meter_path:
        options["meter_path"] = meter_path
    step = _step([get_path(r, ts_path) for r in records[:12] if isinstance(r, dict)], ts_format)
    rows = tuple(
        tuple("" if get_path(r, n) is None else str(get_path(r, n)) for n in names) for r in records[:ROWS_SHOWN]
    )
    return FileKind("json", options, _units(value_path), step, tuple(names), rows, tuple(lists))


def file_kind(payload: bytes, records_path: str | None = None) -> FileKind:
    """The format and the reading options of a file (``UnknownFile`` when Wattboard cannot tell); for JSON,
    ``records_path`` picks one of the lists of records the document holds."""
    head = payload[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        try:
            return _json(json.loads(payload), records_path)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise UnknownFile("json", "the file starts as JSON but is not") from None
    if head.startswith(b"<"):
        if b"<message" in head:
            return FileKind("80020", units="Wh")  # the market's 80020 gives active energy in watt-hours
        if b"<feed" in head or b"<entry" in head or b"IntervalBlock" in payload[:65536]:
            return FileKind("espi")
        raise UnknownFile("xml", "an XML file that is neither 80020 nor Green Button")
    if b"\x00" in payload[:4096] or payload.startswith(b"PK\x03\x04"):
        raise UnknownFile("binary", "not a text file (a spreadsheet? save it as CSV)")
    try:
        text = decode_text(payload, None)
    except ValueError:
        raise UnknownFile("binary", "not a text file (a spreadsheet? save it as CSV)") from None
    return _csv(text)
