"""A small, exactly known world for the page tests: two organizations, hourly readings, devices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from auth.inn import complete_inn
from data.clickhouse.readings import readings_frame, write_readings
from data.relational.models import Device, MeteringPoint, Organization
from data.services import Services
from tests.helpers import make_user

MSK = dt.timezone(dt.timedelta(hours=3))
DAYS = 60
GAP_DAY = 10  # A-1 has no readings on this day (counted from the first day)
PER_HOUR = {"A-1": 1.0, "A-2": 2.0, "B-1": 5.0}


@dataclass(frozen=True)
class World:
    first_day: dt.date  # local (Moscow) date of the first reading
    today: dt.date
    meter_ids: dict[str, int]
    org_ids: dict[str, int]
    corrected_at: dt.datetime  # the hour of A-1 whose value was corrected (to 7.0)


def seed(services: Services) -> World:
    today = dt.datetime.now(MSK).date()
    first_day = today - dt.timedelta(days=DAYS - 1)
    meter_ids, org_ids = {}, {}
    with services.db.session() as s:
        for key, name, codes in (("A", "ООО «Альфа»", ["A-1", "A-2"]), ("B", "ООО «Бета»", ["B-1"])):
            # Priced by the households' zone tariffs (what the page tests check); businesses: test_business_pricing.
            inn = complete_inn("77" + ("1" if key == "A" else "2") * 7)
            org = Organization(inn=inn, name=name, kind="household")
            s.add(org)
            s.flush()
            org_ids[key] = org.id
            for code in codes:
                plan = "three_zone" if code == "A-1" else "single"
                mp = MeteringPoint(code=code, name=f"Цех {code}", organization_id=org.id, tariff_plan=plan)
                s.add(mp)
                s.flush()
                meter_ids[code] = mp.id
        s.add(
            Device(
                serial="SN-A1",
                model="Меркурий 234",
                metering_point_id=meter_ids["A-1"],
                battery=81.0,
                signal=-70.0,
                last_seen=dt.datetime.now(dt.UTC),
            )
        )
        s.add(
            Device(
                serial="SN-A2",
                model="Меркурий 234",
                metering_point_id=meter_ids["A-2"],
                status="offline",
                error_code="E42",
                last_seen=dt.datetime.now(dt.UTC) - dt.timedelta(days=3),
            )
        )
        s.add(Device(serial="SN-B1", model="Энергомера CE102", metering_point_id=meter_ids["B-1"]))
    make_user(services.db, "a@alfa.ru", "consumer", complete_inn("771111111"))
    make_user(services.db, "b@beta.ru", "consumer", complete_inn("772222222"))
    make_user(services.db, "admin@w.ru", "admin")

    start = dt.datetime.combine(first_day, dt.time(0), MSK).astimezone(dt.UTC)
    now_hour = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    hours = int((now_hour - start).total_seconds() // 3600)
    ts = np.array([int(start.timestamp()) + 3600 * h for h in range(hours)], dtype="int64")
    for code, value in PER_HOUR.items():
        keep = ts
        if code == "A-1":
            gap_lo = int(start.timestamp()) + GAP_DAY * 86400
            keep = ts[(ts < gap_lo) | (ts >= gap_lo + 86400)]
        write_readings(services.store, _frame(meter_ids[code], keep, value, version=1))
    corrected_at = start + dt.timedelta(days=20, hours=12)
    write_readings(services.store, _frame(meter_ids["A-1"], np.array([int(corrected_at.timestamp())]), 7.0, 2))
    return World(first_day, today, meter_ids, org_ids, corrected_at)


def _frame(meter_id: int, ts: np.ndarray, value: float, version: int):
    n = len(ts)
    return readings_frame(
        {
            "meter_id": np.full(n, meter_id),
            "ts": ts,
            "value": np.full(n, value),
            "interval_s": np.full(n, 3600),
            "status": np.zeros(n),
            "version": np.full(n, version),
            "utc_offset": np.full(n, 10800),
            "partner": ["test"] * n,
            "batch_id": [f"v{version}"] * n,
        }
    )
