"""The file a guaranteeing supplier's published prices come in (CSV or XLSX; ``docs/tariffs.md`` shows it whole).

One row per value, with this header (CSV: semicolon-separated, UTF-8 or windows-1251; XLSX: the first sheet)::

    регион;месяц;категория;напряжение;показатель;дата;час;значение

=================  ============  ==========  ====================================================================
показатель         категория     дата, час   значение
=================  ============  ==========  ====================================================================
цена               1             —           roubles/MWh without VAT
ночь, полупик,     2             —           roubles/MWh: three zones (ночь, полупик, пик), or two (ночь, день)
пик, день
энергия            3–6           дата, час   roubles/MWh for that local hour (every hour of the month)
мощность           3–6           —           roubles per MW and month
сеть               4, 6          —           the network's rate, roubles per MW and month
потери             4, 6          —           the network's rate for losses, roubles/MWh
план-выше,         5, 6          —           roubles/MWh for hours the plan exceeded actual use / actual exceeded plan
план-ниже
часы-пик           (empty)       —           the System Operator's planned peak hours, e.g. «8-11 17-21» (from-to)
часы-пик-сети      (empty)       —           the network's planned peak hours, e.g. «8-21»
час-пик            (empty)       дата        the market operator's peak hour of that working day, 0–23
=================  ============  ==========  ====================================================================

Every problem is reported with its row and column, in Russian; a file with any problem stores nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from typing import Any

from analytics.calendar import is_working_day
from analytics.market import next_month
from i18n import t

HEADER = ("регион", "месяц", "категория", "напряжение", "показатель", "дата", "час", "значение")
ZONES = {"ночь": "night", "полупик": "half_peak", "пик": "peak", "день": "day"}
SCALARS = {
    "цена": ("single", (1,)),
    "мощность": ("capacity", (3, 4, 5, 6)),
    "сеть": ("network_capacity", (4, 6)),
    "потери": ("network_energy", (4, 6)),
    "план-выше": ("over_plan", (5, 6)),
    "план-ниже": ("under_plan", (5, 6)),
}
PEAK_ROWS = ("часы-пик", "часы-пик-сети", "час-пик")
INDICATORS = (*SCALARS, *ZONES, "энергия", *PEAK_ROWS)
VOLTAGE_SPELLINGS = {"ВН": "ВН", "СНI": "СН-I", "СН1": "СН-I", "СНII": "СН-II", "СН2": "СН-II", "НН": "НН"}
LATIN_LOOKALIKES = str.maketrans("CHB", "СНВ")
MAX_VALUE = 100_000_000.0
MAX_ERRORS = 200


class PriceFileError(ValueError):
    """The file as a whole cannot be read (not CSV or XLSX, no header)."""


@dataclass
class ParsedPrices:
    """What a file holds, by (region, month, category, voltage) and (region, month), and every problem found."""

    sheets: dict[tuple[str, dt.date, int, str], dict[str, Any]] = field(default_factory=dict)
    peaks: dict[tuple[str, dt.date], dict[str, Any]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    rows: int = 0

    def error(self, text: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(text)


def read_rows(payload: bytes, file_name: str = "") -> list[list[str]]:
    """The file's rows as text cells (XLSX when it is a zip archive or named .xlsx, CSV otherwise)."""
    if payload[:2] == b"PK" or file_name.lower().endswith(".xlsx"):
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(payload), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken archive
            raise PriceFileError(_say("xlsx", error=exc)) from None
        sheet = book.worksheets[0]
        return [["" if c is None else _cell(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = payload.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1251 decodes every byte but a few
        raise PriceFileError(_say("encoding"))
    if "\x00" in text:
        raise PriceFileError(_say("binary"))
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=";")]


def _cell(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse(payload: bytes, file_name: str = "") -> ParsedPrices:
    rows = read_rows(payload, file_name)
    out = ParsedPrices()
    if not rows or [c.strip().lower() for c in rows[0][: len(HEADER)]] != list(HEADER):
        raise PriceFileError(_say("header", header=";".join(HEADER)))
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        out.rows += 1
        _row(out, number, [c.strip() for c in row] + [""] * (len(HEADER) - len(row)))
    _complete(out)
    return out


def _say(key: str, **params: object) -> str:
    """A problem with the file, in the reader's words (``err.pricefile.<key>`` in ``i18n/strings_errors.py``)."""
    return t(f"err.pricefile.{key}").format(**params)


def _row(out: ParsedPrices, n: int, row: list[str]) -> None:
    region, month_text, category_text, voltage_text, indicator, day_text, hour_text, value_text = row[: len(HEADER)]
    where = _say("row", n=n)
    if not region or len(region) > 100:
        out.error(_say("region", where=where))
        return
    try:
        month = dt.datetime.strptime(month_text, "%Y-%m").date()
    except ValueError:
        out.error(_say("month", where=where, text=month_text[:20]))
        return
    indicator = indicator.lower()
    if indicator not in INDICATORS:
        out.error(_say("indicator", where=where, text=indicator[:30], known=", ".join(INDICATORS)))
        return
    if indicator in PEAK_ROWS:
        _peak_row(out, where, region, month, indicator, day_text, value_text)
        return
    try:
        category = int(category_text)
        assert 1 <= category <= 6
    except (ValueError, AssertionError):
        out.error(_say("category", where=where, text=category_text[:10]))
        return
    voltage = voltage_of(voltage_text)
    if voltage is None:
        out.error(_say("voltage", where=where, text=voltage_text[:10]))
        return
    value = _number(out, where, value_text)
    if value is None:
        return
    sheet = out.sheets.setdefault((region, month, category, voltage), {"zones": {}, "energy": {}})
    if indicator in SCALARS:
        key, categories = SCALARS[indicator]
        if category not in categories:
            allowed = ", ".join(map(str, categories))
            out.error(_say("indicator_category", where=where, text=indicator, categories=allowed))
            return
        sheet[key] = value
    elif indicator in ZONES:
        if category != 2:
            out.error(_say("zone_category", where=where, text=indicator))
            return
        sheet["zones"][ZONES[indicator]] = value
    else:  # энергия
        if category < 3:
            out.error(_say("hourly_category", where=where))
            return
        day = _day(out, where, day_text, month)
        try:
            hour = int(hour_text)
            assert 0 <= hour <= 23
        except (ValueError, AssertionError):
            out.error(_say("hour", where=where, text=hour_text[:10]))
            return
        if day is not None:
            sheet["energy"].setdefault(day.isoformat(), [None] * 24)[hour] = value


def _peak_row(out: ParsedPrices, where: str, region: str, month: dt.date, indicator: str, day_text: str,
              value_text: str) -> None:
    peaks = out.peaks.setdefault((region, month), {"planned": [], "network": [], "peak_hour": {}})
    if indicator == "час-пик":
        day = _day(out, where, day_text, month)
        try:
            hour = int(value_text)
            assert 0 <= hour <= 23
        except (ValueError, AssertionError):
            out.error(_say("peak_hour", where=where, text=value_text[:10]))
            return
        if day is not None:
            if not is_working_day(day):
                out.error(_say("peak_day", where=where, day=f"{day:%d.%m.%Y}"))
                return
            peaks["peak_hour"][day.isoformat()] = hour
        return
    spans = []
    for part in value_text.replace(",", " ").split():
        match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", part)
        if not match or not 0 <= int(match[1]) < int(match[2]) <= 24:
            out.error(_say("peak_spans", where=where, text=value_text[:30]))
            return
        spans.append([int(match[1]), int(match[2])])
    if not spans:
        out.error(_say("peak_missing", where=where))
        return
    peaks["planned" if indicator == "часы-пик" else "network"] = spans


def voltage_of(text: str) -> str | None:
    """ВН, СН-I, СН-II or НН, however it is written (СН1, CH-II with Latin letters, сн-2 …); None if none of them."""
    return VOLTAGE_SPELLINGS.get(re.sub(r"[\s\-]", "", text.upper()).translate(LATIN_LOOKALIKES))


def _number(out: ParsedPrices, where: str, text: str) -> float | None:
    try:
        value = float(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except ValueError:
        out.error(_say("number", where=where, text=text[:20]))
        return None
    if not math.isfinite(value) or not 0 < value < MAX_VALUE:
        out.error(_say("price_bounds", where=where))
        return None
    return value


def _day(out: ParsedPrices, where: str, text: str, month: dt.date) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        out.error(_say("day", where=where, text=text[:20]))
        return None
    if not month <= day < next_month(month):
        out.error(_say("day_month", where=where, day=f"{day:%d.%m.%Y}", month=f"{month:%m.%Y}"))
        return None
    return day


def _complete(out: ParsedPrices) -> None:
    """Every sheet has what its category needs (all hours of the month for the hourly ones)."""
    for (region, month, category, voltage), sheet in sorted(out.sheets.items()):
        what = _say("sheet", region=region, month=f"{month:%m.%Y}", category=category, voltage=voltage)
        needed = [SCALARS[k][0] for k in SCALARS if category in SCALARS[k][1] and k not in ("план-выше", "план-ниже")]
        for key in needed:
            if key not in sheet:
                name = next(k for k, (v, _) in SCALARS.items() if v == key)
                out.error(_say("sheet_row", what=what, name=name))
        if category == 2 and not ({"night", "day"} <= set(sheet["zones"]) or
                                  {"night", "half_peak", "peak"} <= set(sheet["zones"])):
            out.error(_say("sheet_zones", what=what))
        if category >= 3:
            missing = [
                f"{day:%d.%m} {hour:02d}:00"
                for day in _days(month)
                for hour in range(24)
                if (sheet["energy"].get(day.isoformat()) or [None] * 24)[hour] is None
            ]
            if missing:
                more = _say("more", n=len(missing) - 3) if len(missing) > 3 else ""
                out.error(_say("sheet_hours", what=what, hours=", ".join(missing[:3]), more=more))


def _days(month: dt.date) -> list[dt.date]:
    last = next_month(month)
    return [month + dt.timedelta(days=n) for n in range((last - month).days)]
