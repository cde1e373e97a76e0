"""Green Button (ESPI) XML: Atom entries with ``IntervalBlock``/``IntervalReading``.

The meter id comes from the ``UsagePoint`` in the entry's links (or option ``meter``); values are
scaled by ``ReadingType`` (``powerOfTenMultiplier``; ``uom`` 72 = Wh) and reported in Wh.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from partners.formats.base import FormatError, ParseResult, SourceReading
from partners.formats.xmltools import child, descendants, local, parse_xml

_USAGE_POINT = re.compile(r"UsagePoint/([^/]+)")


def _int(node: Any, name: str) -> int | None:
    found = child(node, name) if node is not None else None
    if found is None or not (found.text or "").strip():
        return None
    return int(found.text.strip())


class EspiParser:
    def parse(self, payload: bytes, options: dict[str, Any]) -> ParseResult:
        root = parse_xml(payload)
        if local(root.tag) not in ("feed", "entry", "IntervalBlock"):
            raise FormatError(f"root element <{local(root.tag)}> is not an Atom feed or entry")
        multiplier, uom = 0, 72
        reading_types = descendants(root, "ReadingType")
        if reading_types:
            try:
                multiplier = _int(reading_types[0], "powerOfTenMultiplier") or 0
                uom = _int(reading_types[0], "uom") or 72
            except ValueError:
                raise FormatError("ReadingType powerOfTenMultiplier and uom must be integers") from None
            if not -9 <= multiplier <= 9:
                raise FormatError(f"ReadingType powerOfTenMultiplier {multiplier} is out of range")
        if uom != 72:
            raise FormatError(f"ReadingType uom {uom} is not 72 (Wh): only energy is accepted")
        result = ParseResult(units="Wh")
        entries = [root] if local(root.tag) != "feed" else [e for e in root if local(e.tag) == "entry"]
        for entry in entries:
            blocks = descendants(entry, "IntervalBlock")
            if not blocks:
                continue
            meter = options.get("meter") or self._meter(entry)
            for block in blocks:
                for reading in descendants(block, "IntervalReading"):
                    period = child(reading, "timePeriod")
                    record = {"meter": meter}
                    try:
                        start, duration, value = _int(period, "start"), _int(period, "duration"), _int(reading, "value")
                        record.update(start=start, duration=duration, value=value)
                        if meter is None:
                            raise ValueError("no UsagePoint id for this IntervalBlock")
                        if start is None or duration is None or value is None:
                            raise ValueError("IntervalReading needs timePeriod/start, timePeriod/duration and value")
                        if duration <= 0 or duration > 86_400:
                            raise ValueError(f"duration {duration} s is out of range")
                        if not 946_684_800 <= start <= 4_102_444_800:
                            raise ValueError(f"start {start} is outside 2000..2100")
                        result.readings.append(
                            SourceReading(
                                meter=str(meter),
                                ts=dt.datetime.fromtimestamp(start, dt.UTC),
                                value=value * 10.0**multiplier,
                                interval_s=duration,
                            )
                        )
                    except (ValueError, TypeError) as exc:
                        result.rejected.append((record, str(exc)))
        if not result.total:
            raise FormatError("no IntervalBlock/IntervalReading in the document")
        return result

    @staticmethod
    def _meter(entry: Any) -> str | None:
        for link in descendants(entry, "link"):
            match = _USAGE_POINT.search(link.get("href", ""))
            if match:
                return match.group(1)
        return None
