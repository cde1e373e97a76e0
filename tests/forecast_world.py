"""Worlds for the forecast and recommendation tests: hourly readings up to the current hour, shaped so that each
recommendation is needed (or none is), priced with the test region's own prices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from auth.inn import complete_inn
from data.clickhouse.readings import readings_frame, write_readings
from data.relational.models import MeteringPoint, Organization
from data.relational.tariffs import upsert_price
from data.services import Services
from tests.helpers import make_user

MSK = dt.timezone(dt.timedelta(hours=3))
REGION = "Тестовый край"
PRICES = {("single", "single"): 4.0, ("two_zone", "day"): 5.5, ("two_zone", "night"): 2.0,
          ("three_zone", "peak"): 8.0, ("three_zone", "half_peak"): 5.0, ("three_zone", "night"): 2.0}  # fmt: skip
DAYS = 210  # thirty weeks: a load that appeared in the peak hours is told from a habit by the months before it


@dataclass(frozen=True)
class Point:
    code: str
    plan: str
    day_kw: float  # 07:00–23:00
    night_kw: float
    peak_kw: float | None = None  # working days in the peak hours (07–10, 17–21), for the last ten weeks
    left_on_kw: float = 0.0  # added day and night for the last 21 days
    jump: float = 1.0  # everything times this for the last four whole days and today
    gap_days: int = 0  # days missing in the last 30
    noise: float = 0.02


NEEDY = (
    Point("N-1", "single", day_kw=1.0, night_kw=2.0),  # night-heavy on a single rate: two-zone is cheaper
    Point("N-2", "three_zone", day_kw=2.0, night_kw=2.0, peak_kw=10.0),  # a peak load that came ten weeks ago
    Point("N-3", "single", day_kw=6.0, night_kw=1.0, left_on_kw=2.0),  # something left on three weeks ago
    Point("N-4", "single", day_kw=6.0, night_kw=1.0, jump=1.6),  # 60 % more for four days: a sustained change
    Point("N-5", "single", day_kw=6.0, night_kw=1.0, gap_days=3),  # a meter that went quiet for three days
)
CALM = (Point("Q-1", "single", day_kw=3.0, night_kw=3.0),)


def prices(services: Services) -> None:
    for (plan, zone), price in PRICES.items():
        upsert_price(services.db, REGION, plan, zone, dt.date(2020, 1, 1), price, "test", "test")


def seed(services: Services, key: str, points: tuple[Point, ...], now: dt.datetime | None = None) -> int:
    """An organization of these points with their history; its consumer is ``<key>@example.ru``."""
    prices(services)
    now = (now or dt.datetime.now(dt.UTC)).replace(minute=0, second=0, microsecond=0)
    inn_prefix = {"needy": "771300000", "calm": "771400000", "other": "771500000"}[key]
    with services.db.session() as s:
        # Households: the advice on plans and zones is about regulated zone tariffs (businesses: test_business_*).
        org = Organization(inn=complete_inn(inn_prefix), name=f"ООО «{key}»", kind="household", region=REGION)
        s.add(org)
        s.flush()
        ids = {}
        for p in points:
            mp = MeteringPoint(code=p.code, name=f"Точка {p.code}", organization_id=org.id, tariff_plan=p.plan)
            s.add(mp)
            s.flush()
            ids[p.code] = mp.id
        org_id = org.id
    make_user(services.db, f"{key}@example.ru", "consumer", complete_inn(inn_prefix))
    start = now - dt.timedelta(days=DAYS)
    ts = np.arange(int(start.timestamp()), int(now.timestamp()), 3600, dtype="int64")
    local = ts + 3 * 3600
    hour = (local // 3600) % 24
    day = local // 86_400
    weekday = (day + 3) % 7
    today = int((now.timestamp() + 3 * 3600) // 86_400)
    for i, p in enumerate(points):
        kw = np.where((hour >= 7) & (hour < 23), p.day_kw, p.night_kw)
        if p.peak_kw is not None:
            peak = ((hour >= 7) & (hour < 10)) | ((hour >= 17) & (hour < 21))
            kw = np.where(peak & (weekday < 5) & (day >= today - 70), p.peak_kw, kw)
        kw = kw + np.where(day >= today - 21, p.left_on_kw, 0.0)
        kw = kw * np.where(day >= today - 4, p.jump, 1.0)
        kw = kw * np.random.default_rng(i).lognormal(0, p.noise, len(kw))
        keep = ~((day >= today - 10) & (day < today - 10 + p.gap_days))
        write_readings(services.store, _frame(ids[p.code], ts[keep], kw[keep]))
    return org_id


def _frame(meter_id: int, ts: np.ndarray, kwh: np.ndarray):
    n = len(ts)
    return readings_frame(
        {
            "meter_id": np.full(n, meter_id),
            "ts": ts,
            "value": kwh,
            "interval_s": np.full(n, 3600),
            "status": np.zeros(n),
            "version": np.ones(n),
            "utc_offset": np.full(n, 3 * 3600),
            "partner": ["test"] * n,
            "batch_id": ["history"] * n,
        }
    )
