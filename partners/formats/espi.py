"""Green Button (ESPI) XML: Atom entries with ``IntervalBlock``/``IntervalReading``.

The meter id comes from the ``UsagePoint`` in the entry's links (or option ``meter``); values are
scaled by ``ReadingType`` (``powerOfTenMultiplier``; ``uom`` 72 = Wh) and reported in Wh.
:func:`write` produces the same format for a point's export (the parser reads it back to the same readings).
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
    text = (found.text or "").strip() if found is not None else ""
    return int(text) if text else None


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


# -- writing -------------------------------------------------------------------------------------------------------

ATOM, ESPI = "http://www.w3.org/2005/Atom", "http://naesb.org/espi"
WRITE_MULTIPLIER = -3  # values in mWh: kWh with six decimals survive the trip whole
BLOCK_S = 86_400  # one IntervalBlock per UTC day, as utilities publish them


def write(
    usage_point: str, title: str, readings: list[tuple[int, int, float]], tz_offset_s: int, now: dt.datetime
) -> bytes:
    """A Green Button (ESPI 1.1) Atom feed of one usage point: its LocalTimeParameters, a MeterReading, the
    ReadingType (energy delivered, Wh × 10⁻³) and IntervalBlocks of ``readings`` (start epoch s, duration s, kWh),
    which :class:`EspiParser` reads back to the same values."""
    import uuid
    from urllib.parse import quote
    from xml.etree import ElementTree as ET

    ET.register_namespace("", ATOM)  # Atom unprefixed, as Green Button files are written
    ET.register_namespace("espi", ESPI)
    base = f"/espi/1_1/resource/UsagePoint/{quote(usage_point, safe=':@-._~')}"
    stamp = now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"urn:uuid:{uuid.uuid4()}"
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = stamp

    def entry(href: str, name: str, resource: str) -> ET.Element:
        node = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(node, f"{{{ATOM}}}id").text = f"urn:uuid:{uuid.uuid4()}"
        ET.SubElement(node, f"{{{ATOM}}}link", rel="self", href=href)
        ET.SubElement(node, f"{{{ATOM}}}title").text = name
        ET.SubElement(node, f"{{{ATOM}}}updated").text = stamp
        content = ET.SubElement(node, f"{{{ATOM}}}content")
        return ET.SubElement(content, f"{{{ESPI}}}{resource}")

    def fields(parent: ET.Element, **values: int) -> None:
        for name, value in values.items():
            ET.SubElement(parent, f"{{{ESPI}}}{name}").text = str(value)

    point = entry(base, title, "UsagePoint")
    fields(ET.SubElement(point, f"{{{ESPI}}}ServiceCategory"), kind=0)  # electricity
    fields(entry("/espi/1_1/resource/LocalTimeParameters/1", "local time", "LocalTimeParameters"),
           dstEndRule=0, dstOffset=0, dstStartRule=0, tzOffset=tz_offset_s)  # fmt: skip
    entry(f"{base}/MeterReading/1", "consumption", "MeterReading")
    lengths = {duration for _, duration, _ in readings}
    fields(
        entry("/espi/1_1/resource/ReadingType/1", "energy delivered, Wh", "ReadingType"),
        accumulationBehaviour=4,  # delta data: each value is its interval's energy
        commodity=1,
        dataQualifier=12,
        flowDirection=1,  # delivered to the customer
        intervalLength=lengths.pop() if len(lengths) == 1 else 0,
        kind=12,  # energy
        powerOfTenMultiplier=WRITE_MULTIPLIER,
        uom=72,  # Wh
    )
    days: dict[int, list[tuple[int, int, float]]] = {}
    for reading in readings:
        days.setdefault(reading[0] // BLOCK_S, []).append(reading)
    for n, (day, part) in enumerate(sorted(days.items()), start=1):
        block = entry(f"{base}/MeterReading/1/IntervalBlock/{n}", f"day {n}", "IntervalBlock")
        fields(ET.SubElement(block, f"{{{ESPI}}}interval"), duration=BLOCK_S, start=day * BLOCK_S)
        for start, duration, kwh in part:
            reading_node = ET.SubElement(block, f"{{{ESPI}}}IntervalReading")
            fields(ET.SubElement(reading_node, f"{{{ESPI}}}timePeriod"), duration=duration, start=start)
            fields(reading_node, value=round(kwh * 1000 * 10**-WRITE_MULTIPLIER))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
