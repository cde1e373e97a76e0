"""80020 XML, the commercial metering layout of the Russian wholesale market.

``<message class="80020">`` → ``<datetime><day>`` → ``<area>`` → ``<measuringpoint code>`` →
``<measuringchannel code="01".."04">`` → ``<period start="HHMM" end="HHMM"><value status>``.
Channel 01 (active import) becomes the metering point's code; the other channels become
``code:02``, ``code:03``, ``code:04`` so each can be mapped to its own series. Times are local to
the partner; ``daylightsavingtime=1`` marks summer time. windows-1251 and UTF-8 both work.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from partners.formats.base import FormatError, ParseResult, SourceReading
from partners.formats.timestamps import parse_number
from partners.formats.xmltools import child, children, local, parse_xml

CHANNELS = {"01": "active import", "02": "active export", "03": "reactive import", "04": "reactive export"}


def _hhmm(text: str | None, where: str) -> int:
    if not text or len(text) != 4 or not text.isdecimal() or int(text[:2]) > 24 or int(text[2:]) > 59:
        raise ValueError(f"{where}: time {text!r} is not HHMM")
    return int(text[:2]) * 60 + int(text[2:])


class Xml80020Parser:
    def parse(self, payload: bytes, options: dict[str, Any]) -> ParseResult:
        root = parse_xml(payload)
        if local(root.tag) != "message" or root.get("class") != "80020":
            raise FormatError(
                f'root element is <{local(root.tag)} class={root.get("class")!r}>, not <message class="80020">'
            )
        when = child(root, "datetime")
        day_node = child(when, "day") if when is not None else None
        if day_node is None or not (day_node.text or "").strip():
            raise FormatError("<message>/<datetime>/<day> is missing")
        day_text = (day_node.text or "").strip()
        try:
            day = dt.datetime.strptime(day_text, "%Y%m%d")
        except ValueError:
            raise FormatError(f"<datetime>/<day> {day_text!r} is not YYYYMMDD") from None
        dst_node = child(when, "daylightsavingtime") if when is not None else None
        result = ParseResult(dst=(dst_node is not None and (dst_node.text or "").strip() == "1"))
        areas = children(root, "area")
        if not areas:
            raise FormatError("no <area> in the message")
        for area_no, area in enumerate(areas, start=1):
            for point in children(area, "measuringpoint"):
                code = (point.get("code") or "").strip()
                for channel in children(point, "measuringchannel"):
                    self._channel(result, day, code, channel, area_no)
        return result

    def _channel(self, result: ParseResult, day: dt.datetime, code: str, channel: Any, area_no: int) -> None:
        number = (channel.get("code") or "").strip()
        where = f"measuringpoint {code}, channel {number or '?'}" if code else f"area {area_no}"
        meter = code if number == "01" else f"{code}:{number}"
        for period in children(channel, "period"):
            record = {"measuringpoint": code, "channel": number, "start": period.get("start"), "end": period.get("end")}
            try:
                if not code:
                    raise ValueError(f"{where}: <measuringpoint> without code")
                if number not in CHANNELS:
                    raise ValueError(f"{where}: channel must be 01..04")
                start = _hhmm(period.get("start"), where)
                end = _hhmm(period.get("end"), where)
                end = 1440 if end == 0 else end
                if end <= start:
                    raise ValueError(f"{where}: period {period.get('start')}-{period.get('end')} ends before it starts")
                value_node = child(period, "value")
                value_text = (value_node.text or "").strip() if value_node is not None else ""
                if value_node is None or not value_text:
                    raise ValueError(f"{where}, period {period.get('start')}: no <value>")
                record["value"] = value_text
                status = (value_node.get("status") or "0").strip()
                result.readings.append(
                    SourceReading(
                        meter=meter,
                        ts=day + dt.timedelta(minutes=start),
                        value=parse_number(value_text, True),
                        status=int(status) if status.isdecimal() and int(status) <= 255 else 0,
                        interval_s=(end - start) * 60,
                        channel=number,
                    )
                )
            except ValueError as exc:
                message = str(exc) if str(exc).startswith(where) else f"{where}, period {period.get('start')}: {exc}"
                result.rejected.append((record, message))
