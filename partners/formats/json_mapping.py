"""JSON with a field mapping.

Options: ``records_path`` (dot path to the list of records; empty: the payload is the list),
``meter_path``, ``ts_path``, ``value_path``, optional ``status_path``, ``ts_format`` (``iso``,
``epoch``, ``epoch_ms`` or a strftime pattern), ``next_link_path`` for pagination, and ``meter``
when the whole payload belongs to one meter (pull URLs with ``{meter}``).
"""

from __future__ import annotations

import json
from typing import Any

from partners.formats.base import FormatError, ParseResult, SourceReading
from partners.formats.timestamps import parse_number, parse_timestamp

_MISSING = object()


def get_path(document: Any, path: str) -> Any:
    node = document
    for part in [p for p in path.split(".") if p]:
        if isinstance(node, dict):
            node = node.get(part, _MISSING)
        elif isinstance(node, list) and part.lstrip("-").isdecimal() and -len(node) <= int(part) < len(node):
            node = node[int(part)]
        else:
            return _MISSING
        if node is _MISSING:
            return _MISSING
    return node


class JsonParser:
    def parse(self, payload: bytes, options: dict[str, Any]) -> ParseResult:
        try:
            document = json.loads(payload)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FormatError(f"not JSON: {exc}") from None
        records = get_path(document, options.get("records_path", ""))
        if not isinstance(records, list):
            raise FormatError(f"no list of records at '{options.get('records_path', '')}'")
        result = ParseResult()
        next_path = options.get("next_link_path")
        if next_path:
            link = get_path(document, next_path)
            result.next_link = link if isinstance(link, str) and link else None
        fixed_meter = options.get("meter")
        ts_format = options.get("ts_format", "iso")
        for record in records:
            try:
                meter = fixed_meter or get_path(record, options.get("meter_path", "meter"))
                if meter is _MISSING or meter in (None, ""):
                    raise ValueError(f"no meter id at '{options.get('meter_path', 'meter')}'")
                ts = get_path(record, options.get("ts_path", "ts"))
                value = get_path(record, options.get("value_path", "value"))
                if ts is _MISSING or value is _MISSING:
                    raise ValueError("timestamp or value missing")
                status = get_path(record, options["status_path"]) if options.get("status_path") else 0
                result.readings.append(
                    SourceReading(
                        meter=str(meter),
                        ts=parse_timestamp(ts, ts_format),
                        value=parse_number(value),
                        status=int(status) if isinstance(status, int) and 0 <= status <= 255 else 0,
                    )
                )
            except (ValueError, TypeError, OverflowError) as exc:
                result.rejected.append((record, str(exc)))
        return result
