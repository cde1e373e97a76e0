"""Partner payloads for the tests, built in code so each test states what it feeds in."""

from __future__ import annotations


def xml80020(
    day: str = "20260115",
    dst: int = 0,
    points: dict[str, dict[str, list[tuple[str, str, str]]]] | None = None,
    encoding: str = "windows-1251",
    sender: str = "АО «Энергосбыт»",
) -> bytes:
    """``points``: code → channel → [(start HHMM, end HHMM, value)]."""
    points = points or {"0101": {"01": [("0000", "0030", "120"), ("0030", "0100", "130")]}}
    body = []
    for code, channels in points.items():
        body.append(f'<measuringpoint code="{code}" name="Ввод {code}">')
        for channel, periods in channels.items():
            body.append(f'<measuringchannel code="{channel}" desc="канал {channel}">')
            for start, end, value in periods:
                body.append(f'<period start="{start}" end="{end}"><value status="0">{value}</value></period>')
            body.append("</measuringchannel>")
        body.append("</measuringpoint>")
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        f'<message class="80020" version="2" number="17">\n'
        f"<datetime><timestamp>{day}120000</timestamp><daylightsavingtime>{dst}</daylightsavingtime>"
        f"<day>{day}</day></datetime>\n"
        f"<sender><inn>7704123450</inn><name>{sender}</name></sender>\n"
        f'<area timezone="1"><inn>6658123450</inn><name>Завод</name>\n' + "\n".join(body) + "\n</area>\n</message>\n"
    )
    return text.encode(encoding)


def espi(usage_point: str = "UP-7", readings: list[tuple[int, int, int]] | None = None, multiplier: int = 0) -> bytes:
    readings = readings or [(1768435200, 3600, 1500), (1768438800, 3600, 1700)]
    blocks = "".join(
        f"<IntervalReading><timePeriod><duration>{d}</duration><start>{s}</start></timePeriod><value>{v}</value>"
        f"</IntervalReading>"
        for s, d, v in readings
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:espi="http://naesb.org/espi">
 <entry><link rel="self" href="https://utility.example/espi/1_1/resource/ReadingType/1"/>
  <content><espi:ReadingType><espi:powerOfTenMultiplier>{multiplier}</espi:powerOfTenMultiplier><espi:uom>72</espi:uom></espi:ReadingType></content></entry>
 <entry><link rel="self" href="https://utility.example/espi/1_1/resource/Subscription/5/UsagePoint/{usage_point}/MeterReading/1/IntervalBlock/1"/>
  <content><espi:IntervalBlock>{_espi_ns(blocks)}</espi:IntervalBlock></content></entry>
</feed>""".encode()


def _espi_ns(xml: str) -> str:
    return xml.replace("<", "<espi:").replace("<espi:/", "</espi:")
