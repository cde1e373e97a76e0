"""CSV with a column mapping.

Options: ``delimiter`` (default ``;``), ``decimal_comma`` (default true), ``encoding`` (default
utf-8, with a windows-1251 fallback), ``meter_column``, ``ts_column``, ``value_column``, optional
``status_column``, ``ts_format`` (a strftime pattern, ``iso``, ``epoch``), ``meter`` for single-meter
files. ``line_offset`` (set by the streamed import for every chunk after the first): how many lines of the file
come before the chunk's first data line, less one, so that every message names the line of the file.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from partners.formats.base import FormatError, ParseResult, SourceReading
from partners.formats.timestamps import parse_number, parse_timestamp


def decode_text(payload: bytes, encoding: str | None) -> str:
    for candidate in [encoding or "utf-8-sig", "windows-1251"]:
        try:
            return payload.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    raise FormatError("the file is neither UTF-8 nor windows-1251 text")


def _without_nul_lines(text: str) -> tuple[str, list[int]]:
    """The text with every line that holds a NUL byte blanked (the reader skips blank lines, and line numbers stay
    true), and those lines' numbers. A NUL in the header leaves nothing to read."""
    if "\x00" not in text:
        return text, []
    lines = text.splitlines(keepends=True)
    if "\x00" in lines[0]:
        raise FormatError("line 1: the header contains a NUL byte: not CSV text")
    broken = [n for n, line in enumerate(lines, start=1) if "\x00" in line]
    for n in broken:
        lines[n - 1] = "\n"
    return "".join(lines), broken


class CsvParser:
    def parse(self, payload: bytes, options: dict[str, Any]) -> ParseResult:
        text = decode_text(payload, options.get("encoding"))
        text, broken = _without_nul_lines(text)
        offset = int(options.get("line_offset", 0))
        broken = [n + offset for n in broken]
        delimiter = options.get("delimiter", ";")
        if len(delimiter) != 1:
            raise FormatError("the delimiter must be one character")
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        columns = {
            "meter": options.get("meter_column", "meter"),
            "ts": options.get("ts_column", "ts"),
            "value": options.get("value_column", "value"),
        }
        fixed_meter = options.get("meter")
        header = reader.fieldnames or []
        missing = [c for key, c in columns.items() if c not in header and not (key == "meter" and fixed_meter)]
        if missing:
            raise FormatError(f"line 1: missing column(s) {', '.join(missing)}; the header has {header}")
        decimal_comma = bool(options.get("decimal_comma", True))
        ts_format = options.get("ts_format", "%d.%m.%Y %H:%M")
        status_column = options.get("status_column")
        result = ParseResult()
        result.rejected.extend(({"line": n, "row": None}, f"line {n}: contains a NUL byte") for n in broken)
        try:
            for row in reader:
                line_no = reader.line_num + offset
                try:
                    if None in row or any(v is None for v in row.values()):
                        raise ValueError("wrong number of fields")
                    meter = fixed_meter or (row[columns["meter"]] or "").strip()
                    if not meter:
                        raise ValueError("empty meter id")
                    status_text = (row.get(status_column) or "0").strip() if status_column else "0"
                    result.readings.append(
                        SourceReading(
                            meter=meter,
                            ts=parse_timestamp(row[columns["ts"]], ts_format),
                            value=parse_number(row[columns["value"]], decimal_comma),
                            status=int(status_text) if status_text.isdecimal() and int(status_text) <= 255 else 0,
                        )
                    )
                except (ValueError, TypeError, OverflowError) as exc:
                    result.rejected.append(
                        ({"line": line_no, "row": {str(k): v for k, v in row.items()}}, f"line {line_no}: {exc}")
                    )
        except csv.Error as exc:
            raise FormatError(f"line {reader.line_num + offset}: {exc}") from None
        return result
