"""Businesses' published prices: an administrator loads a supplier's month from a file, anyone signed in reads it
back, and a point gets its price category and voltage level. Every change is audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from analytics.market import VOLTAGES, allowed_categories, first_of_month
from auth.access import meter_to_configure
from auth.principal import AccessDenied, Principal
from caching.answers import changed, everything_changed
from data.relational import audit, market_prices
from data.relational.meters import set_price_category
from data.services import Services
from i18n import t
from pricing import price_file
from pricing.book import market_book


class PriceFileRefused(ValueError):
    """The file has problems; ``problems`` lists each with its row and column (nothing was stored)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:5]))
        self.problems = problems


@dataclass(frozen=True)
class Imported:
    rows: int
    sheets: int
    peaks: int
    regions: tuple[str, ...]
    months: tuple[dt.date, ...]


def import_prices(
    services: Services,
    principal: Principal,
    payload: bytes,
    file_name: str = "",
    demo: bool = False,
    source: str = "",
) -> Imported:
    """Load a price file (CSV or XLSX, the layout of :mod:`pricing.price_file`): all of it, as new versions of its
    months, or — when any row is wrong — nothing, with every problem. Administrators only."""
    if principal.role != "admin":
        raise AccessDenied(t("err.prices.admins_only"))
    try:
        parsed = price_file.parse(payload, file_name)
    except price_file.PriceFileError as exc:
        raise PriceFileRefused([str(exc)]) from None
    if parsed.errors:
        raise PriceFileRefused(parsed.errors)
    if not parsed.sheets and not parsed.peaks:
        raise PriceFileRefused([t("err.prices.empty")])
    label = source.strip() or file_name or t("err.prices.file")
    sheets, peaks = market_prices.store(services.db, parsed.sheets, parsed.peaks, demo, label, principal.email)
    everything_changed(services)
    regions = tuple(sorted({k[0] for k in parsed.sheets} | {k[0] for k in parsed.peaks}))
    months = tuple(sorted({k[1] for k in parsed.sheets} | {k[1] for k in parsed.peaks}))
    audit.log(
        services,
        principal.email,
        "prices.import",
        target=file_name or None,
        details={
            "rows": parsed.rows,
            "sheets": sheets,
            "peaks": peaks,
            "regions": list(regions),
            "months": [m.strftime("%Y-%m") for m in months],
            "demo": demo,
        },
    )
    return Imported(parsed.rows, sheets, peaks, regions, months)


def published(services: Services, principal: Principal, region: str, month: dt.date) -> dict[str, Any]:
    """A region's month as ``GET /api/v1/prices`` serves it: every category's newest sheet and the peak hours, or —
    for a month not published yet — the last published month standing in, which the answer says."""
    if principal is None:
        raise AccessDenied("sign in")
    book = market_book(services.db)
    month = first_of_month(month)
    sheets = []
    for category in range(1, 7):
        for voltage in VOLTAGES:
            sheet = book.sheet(region, month, category, voltage)
            if sheet is None:
                continue
            sheets.append(
                {
                    "category": category,
                    "voltage": voltage,
                    "version": sheet.version,
                    "single": sheet.single,
                    "zones": sheet.zones or None,
                    "energy": {d.isoformat(): list(h) for d, h in sorted(sheet.energy.items())}
                    if not sheet.projected
                    else None,
                    "capacity": sheet.capacity,
                    "network_capacity": sheet.network_capacity,
                    "network_energy": sheet.network_energy,
                    "over_plan": sheet.over_plan,
                    "under_plan": sheet.under_plan,
                    "demo": sheet.demo,
                    "source": sheet.source,
                    "projected_from": sheet.projected_from.strftime("%Y-%m") if sheet.projected_from else None,
                }
            )
    peaks = book.peaks(region, month)
    return {
        "region": region,
        "month": month.strftime("%Y-%m"),
        "unit": {"energy": "руб/МВт·ч без НДС", "capacity": "руб/МВт в месяц без НДС"},
        "published": bool(sheets) and not any(s["projected_from"] for s in sheets),
        "sheets": sheets,
        "peak_hours": None
        if peaks is None
        else {
            "planned": [list(s) for s in peaks.planned],
            "network": [list(s) for s in peaks.network],
            "peak_hour": {d.isoformat(): h for d, h in sorted(peaks.peak_hour.items())} if not peaks.projected else {},
            "demo": peaks.demo,
            "projected_from": peaks.projected_from.strftime("%Y-%m") if peaks.projected_from else None,
        },
    }


def loaded(services: Services, principal: Principal) -> list[tuple[str, dt.date, int, int, bool, dt.datetime]]:
    """What is loaded, per region and month, for the staff's tariffs page."""
    if not principal.sees_all_organizations:
        raise AccessDenied("prices are managed by staff")
    return market_prices.summary(services.db)


def set_point_category(
    services: Services, principal: Principal, code: str, category: int, voltage: str, max_power_kw: float | None = None
) -> None:
    """A business point's price category and voltage level (and, when given, its maximum capacity), as its supply
    contract says: administrators, or the organization's owner. From 670 kW only the 3rd–6th categories are allowed."""
    meter = meter_to_configure(
        services.db, principal, code, refusal=t("err.category.not_yours")
    )
    if meter.organization_kind == "household":
        raise ValueError(t("err.category.household"))
    if voltage not in VOLTAGES:
        raise ValueError(t("err.category.voltage").format(levels=", ".join(VOLTAGES)))
    capacity = max_power_kw if max_power_kw is not None else meter.max_power_kw
    if category not in allowed_categories(capacity):
        raise ValueError(
            t("err.category.large") if capacity and capacity >= 670 else t("err.category.number")
        )
    before = set_price_category(services.db, meter.id, category, voltage, max_power_kw)
    changed(services, [meter.organization_id])
    audit.log(
        services,
        principal.email,
        "meter.category_set",
        target=code,
        details={"category": category, "voltage": voltage, "max_power_kw": max_power_kw, "before": before},
    )


def template_csv() -> bytes:
    """A file to fill in: the header and one example row of each kind (UTF-8 with a byte-order mark, for Excel)."""
    rows = [
        price_file.HEADER,
        ("Свердловская область", "2026-11", "1", "СН-II", "цена", "", "", "7512,40"),
        ("Свердловская область", "2026-11", "2", "СН-II", "ночь", "", "", "4130,00"),
        ("Свердловская область", "2026-11", "2", "СН-II", "полупик", "", "", "7380,00"),
        ("Свердловская область", "2026-11", "2", "СН-II", "пик", "", "", "10950,00"),
        ("Свердловская область", "2026-11", "3", "СН-II", "энергия", "2026-11-01", "0", "4012,55"),
        ("Свердловская область", "2026-11", "3", "СН-II", "мощность", "", "", "1043500,00"),
        ("Свердловская область", "2026-11", "4", "СН-II", "сеть", "", "", "1512300,00"),
        ("Свердловская область", "2026-11", "4", "СН-II", "потери", "", "", "161,20"),
        ("Свердловская область", "2026-11", "5", "СН-II", "план-выше", "", "", "120,00"),
        ("Свердловская область", "2026-11", "5", "СН-II", "план-ниже", "", "", "135,00"),
        ("Свердловская область", "2026-11", "", "", "часы-пик", "", "", "8-11 17-21"),
        ("Свердловская область", "2026-11", "", "", "часы-пик-сети", "", "", "8-21"),
        ("Свердловская область", "2026-11", "", "", "час-пик", "2026-11-02", "", "10"),
    ]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")
