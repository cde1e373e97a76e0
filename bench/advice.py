"""Advice measured against planted truth (issue 18): do the recommendations find what is there, only that, and
promise what it is worth?

    python -m bench.advice [--points 150] [--seeds 7,11,23,31,101,202,303,404]

A world of metering points, each a year of hourly consumption with a realistic shape (the demo's profiles: day,
week, season, Russia's holidays), day-to-day wander and weather spells (cold and warm weeks that move the load), and
hourly noise. Some points get **planted** cases of known size:

- ``baseload``: a constant load of known kW from a known date (equipment left on) → the base-load card;
- ``peak``: an appliance of known kW on a timer in the peak zone of every working day, on a three-zone plan → the
  peak-shift card (moving it to the night saves exactly its kWh × (peak − night price));
- ``plan``: a single-rate point whose profile makes a zone plan cheaper → the tariff card;
- ``unusual``: a sustained rise of known size for the last few days → the sustained-change alert, with its cost so
  far (never a yearly saving);
- ``data``: gaps and counter resets in the last 30 days → the data card.

The rest are **clean**: ordinary noise, holidays and weather. The detectors are the production ones
(:mod:`advice.detectors`, :func:`alerts.detectors.sustained_change`), fed as the service feeds them (a household's
regulated prices: Moscow 2026).

Printed per kind: precision, recall, the median error of the estimated yearly saving (or cost so far) against the
planted truth; and the roubles promised on clean points as a share of their bill. Goals: precision and recall ≥ 0.9,
saving error ≤ 20 %, promised on clean points ≤ 1 % of their bill.

Held out: the detectors' constants were tuned on worlds 7, 11, 23 and 31 (and 1–4 for the base load's windows);
worlds 101, 202, 303 and 404, and 505, 606, 707, 808, 909, 1001, 1102 and 1203, were run after, to check. The
sustained change's second rule (the days together, :func:`alerts.detectors._run_beyond_history`) was chosen on all
sixteen of those and checked on 1304, 1405, 1506, 1607, 1708, 1809, 1910 and 2011.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from advice.detectors import PointData, baseload, data_problems, peak_shift, tariff
from alerts.detectors import sustained_change
from analytics.calendar import days_off, is_working_day
from analytics.quality import Quality
from analytics.tariffs import PLANS, cost_by_local_hour, hourly_prices
from data.relational.meters import MeterInfo
from demo.profiles import PROFILES, power_kw
from pricing.comparison import Comparison

NOW_LOCAL = dt.datetime(2026, 11, 30, 0, 0)  # the bench's "now": local midnight at the end of a year of history
HOURS = 365 * 24
# Moscow's 2026 household prices (₽/kWh, VAT included), as the demo's tariff table has them.
PRICES = {
    "single": {"single": 7.71},
    "two_zone": {"day": 8.77, "night": 3.29},
    "three_zone": {"peak": 9.56, "half_peak": 7.71, "night": 3.29},
}
KINDS = ("baseload", "peak", "plan", "unusual", "data")
SEGMENTS = ("household", "office", "factory")  # a point's name starts with its kind (see ``meter``)
DETECTED_AS = {"baseload": "baseload", "peak": "peak_shift", "plan": "tariff", "data": "data", "unusual": "unusual"}


@dataclass
class Case:
    meter: MeterInfo
    hourly: pd.DataFrame  # ts (local), value kWh
    planted: dict[str, float] = field(default_factory=dict)  # kind → the true yearly saving (₽), or cost so far
    quality: Quality | None = None


def stamps() -> np.ndarray:
    start = np.datetime64(NOW_LOCAL - dt.timedelta(hours=HOURS), "s")
    return start + np.arange(HOURS).astype("timedelta64[h]")


def weather_factor(ts: np.ndarray, rng: np.random.Generator, sensitivity: float) -> np.ndarray:
    """Cold and warm spells of a few days to two weeks: the load rises in a cold spell (heating), a little in a heat
    wave (cooling)."""
    days = ts.astype("datetime64[D]")
    unique, index = np.unique(days, return_inverse=True)
    anomaly = np.zeros(len(unique))
    for i in range(1, len(unique)):  # AR(1) of daily temperature anomalies, °C
        anomaly[i] = 0.85 * anomaly[i - 1] + rng.normal(0, 1.6)
    effect = np.where(anomaly < 0, -anomaly * sensitivity, anomaly * sensitivity * 0.4)
    return (1 + effect)[index]


def base_series(kind: str, rng: np.random.Generator, scale: float, sensitivity: float) -> np.ndarray:
    ts = stamps()
    kw = power_kw(PROFILES[kind], ts, scale, rng)
    days = ts.astype("datetime64[D]")
    unique, index = np.unique(days, return_inverse=True)
    wander = np.exp(np.cumsum(rng.normal(0, 0.015, len(unique))) * 0.3)  # day to day, a slow drift
    return kw * wander[index] * weather_factor(ts, rng, sensitivity)


def meter(n: int, kind: str, plan: str) -> MeterInfo:
    return MeterInfo(n, f"P-{n:03d}", f"{kind} {n}", 1, "Bench", "Europe/Moscow", plan, None, 3 * 3600, "Москва",
                     None, "household")


def yearly_rub(kw_by_hour: np.ndarray, plan: str) -> float:
    """₽ a year for a load of ``kw_by_hour[h]`` kW in each local hour of every day."""
    return float(np.dot(kw_by_hour, hourly_prices(PRICES, plan)) * 365)


def world(points: int, seed: int) -> list[Case]:
    rng = np.random.default_rng(seed)
    ts = stamps()
    cases: list[Case] = []
    for n in range(points):
        kind = ("household", "office", "household", "factory")[n % 4]
        plan = "three_zone" if n % 3 else "two_zone"
        scale = float(rng.uniform(0.6, 1.6))
        kw = base_series(kind, rng, scale, sensitivity=0.03 if kind != "factory" else 0.01)
        case = Case(meter(n, kind, plan), pd.DataFrame())
        role = n % 6  # a third clean, the rest one planted kind each, round the kinds
        if role in (1, 2, 3, 4, 5) and rng.random() < 0.85:
            planted = KINDS[(n // 6 + role) % len(KINDS)]
            kw = plant(case, planted, kw, ts, rng)
        if "plan" not in case.planted:  # everyone else already pays by the plan that suits them best
            costs = _plan_costs(case.meter, kw, ts)
            best = min(("two_zone", "three_zone"), key=costs.__getitem__)
            case.meter = MeterInfo(**{**case.meter.__dict__, "tariff_plan": best})
        values = kw.copy()
        if "data" in case.planted:
            values = damage(case, values, ts, rng)
        case.hourly = pd.DataFrame({"ts": pd.to_datetime(ts), "value": values})
        if case.quality is None:
            case.quality = Quality(1.0, 100, 0, 0, 0, 0, None)
        cases.append(case)
    return cases


def plant(case: Case, kind: str, kw: np.ndarray, ts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    m = case.meter
    hours = ((ts - ts.astype("datetime64[D]")).astype("timedelta64[h]").astype(int)) % 24
    if kind == "baseload":
        night_base = float(np.percentile(kw[-24 * 60 :][hours[-24 * 60 :] < 5], 10))
        extra = night_base * float(rng.uniform(0.25, 0.6))
        since = len(ts) - 24 * 7 * int(rng.integers(5, 10))
        kw = kw.copy()
        kw[since:] += extra
        case.planted["baseload"] = yearly_rub(np.full(24, extra), m.tariff_plan)
    elif kind == "peak" and m.tariff_plan == "three_zone":
        load = float(np.mean(kw)) * float(rng.uniform(0.6, 1.2))
        start = int(rng.choice([17, 18, 7]))
        on = (hours >= start) & (hours < start + 2) & ~days_off(ts.astype("datetime64[D]"))
        since = len(ts) - 24 * 7 * 16
        kw = kw.copy()
        kw[since:][on[since:]] += load
        workdays = sum(is_working_day(NOW_LOCAL.date() - dt.timedelta(days=d)) for d in range(365))
        gap = PRICES["three_zone"]["peak"] - PRICES["three_zone"]["night"]
        case.planted["peak"] = load * 2 * workdays * gap
    elif kind == "plan":
        case.meter = MeterInfo(**{**case.meter.__dict__, "tariff_plan": "single"})
        night = (hours >= 23) | (hours < 7)
        kw = kw.copy()
        kw[night] *= 1.8  # heats water at night: a zone plan pays off
        saving = _plan_costs(case.meter, kw, ts)
        cheapest = min(saving, key=saving.__getitem__)
        if saving["single"] - saving[cheapest] > 0:
            case.planted["plan"] = saving["single"] - saving[cheapest]
    elif kind == "unusual":
        days = int(rng.integers(3, 7))
        rise = float(rng.uniform(0.3, 0.7))
        since = len(ts) - 24 * days
        kw = kw.copy()
        extra_kw = kw[since:] * rise
        kw[since:] += extra_kw
        case.planted["unusual"] = float(cost_by_local_hour(hours[since:], extra_kw, case.meter.tariff_plan, PRICES))
    elif kind == "data":
        case.planted["data"] = 0.0
    return kw


def _plan_costs(m: MeterInfo, kw: np.ndarray, ts: np.ndarray) -> dict[str, float]:
    hours = ((ts - ts.astype("datetime64[D]")).astype("timedelta64[h]").astype(int)) % 24
    return {plan: cost_by_local_hour(hours, kw, plan, PRICES) for plan in PLANS}


def damage(case: Case, values: np.ndarray, ts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    values = values.copy()
    window = 30 * 24
    missing = rng.choice(window, size=int(window * rng.uniform(0.05, 0.15)), replace=False)
    values[len(values) - window + missing] = np.nan
    resets = int(rng.integers(0, 3))
    completeness = 1 - len(missing) / window
    case.quality = Quality(completeness, int(completeness * 100) - 5 * resets, 0, resets, 0, 0, None)
    return values


def point_data(case: Case) -> PointData:
    m = case.meter
    comparison = None
    data = case.hourly.dropna()
    if not data.empty:
        hours = data["ts"].dt.hour.to_numpy()
        plans = {plan: round(cost_by_local_hour(hours, data["value"].to_numpy(), plan, PRICES), 2) for plan in PLANS}
        comparison = Comparison(m.tariff_plan, plans, round(float(data["value"].sum()), 3), "Москва", "Москва")
    return PointData(m, case.hourly, comparison, case.quality, PRICES, NOW_LOCAL)


def run(points: int, seed: int) -> dict[str, dict[str, float]]:
    cases = world(points, seed)
    found: dict[str, dict[int, float]] = {kind: {} for kind in KINDS}
    clean_promised = clean_bill = 0.0
    for case in cases:
        point = point_data(case)
        results = {}
        for detector in (baseload, peak_shift, tariff, data_problems):
            item = detector(point)
            if item is not None:
                results[item.kind] = item.saving_rub_year
        change = sustained_change(case.hourly, PRICES, case.meter.tariff_plan, NOW_LOCAL.date())
        if change is not None:
            results["unusual"] = change.cost_rub
        for kind in KINDS:
            if DETECTED_AS[kind] in results:
                found[kind][case.meter.id] = results[DETECTED_AS[kind]]
        if not case.planted:
            bill = cost_by_local_hour(case.hourly["ts"].dt.hour.to_numpy(), case.hourly["value"].to_numpy(),
                                      case.meter.tariff_plan, PRICES)
            clean_bill += bill
            clean_promised += sum(v for k, v in results.items() if k != "unusual")
    report: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        truth = {c.meter.id: c.planted[kind] for c in cases if kind in c.planted}
        hits = set(found[kind]) & set(truth)
        errors = [abs(found[kind][i] - truth[i]) / truth[i] for i in hits if truth[i] > 0]
        report[kind] = {
            "planted": len(truth),
            "found": len(found[kind]),
            "hits": len(hits),
            **_by_segment(cases, hits, set(truth)),
            "precision": len(hits) / len(found[kind]) if found[kind] else float("nan"),
            "recall": len(hits) / len(truth) if truth else float("nan"),
            "median_error": float(np.median(errors)) if errors else float("nan"),
        }
    report["clean"] = {
        "points": sum(1 for c in cases if not c.planted),
        "promised_share": clean_promised / clean_bill if clean_bill else 0.0,
    }
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=150)
    parser.add_argument(
        "--seeds",
        default="7,11,23,31,101,202,303,404",
        help="the worlds to run (7, 11, 23, 31 and 1–4 were tuned on; the rest were not)",
    )
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    reports = []
    for seed in seeds:
        report = run(args.points, seed)
        reports.append(report)
        print(f"\nworld {seed}: {args.points} points, a year of hourly consumption each")
        print(f"{'kind':<10} {'planted':>7} {'found':>6} {'precision':>9} {'recall':>7} {'median saving error':>20}")
        for kind in KINDS:
            r = report[kind]
            told = "—" if np.isnan(r["median_error"]) else f"{r['median_error'] * 100:.1f} %"
            counts = f"{r['planted']:>7.0f} {r['found']:>6.0f} {r['precision']:>9.2f} {r['recall']:>7.2f}"
            print(f"{kind:<10} {counts} {told:>20}")
        clean = report["clean"]
        print(f"clean points: {clean['points']:.0f}, promised: {clean['promised_share'] * 100:.2f} % of their bill")
    print(f"\nover {len(seeds)} worlds (lowest precision and recall, highest median error; goals 0.9, 0.9, 20 %):")
    for kind in KINDS:
        worst = [r[kind] for r in reports]
        error = max((w["median_error"] for w in worst if not np.isnan(w["median_error"])), default=float("nan"))
        shown = "—" if np.isnan(error) else f"{error * 100:.1f} %"
        print(f"{kind:<10} precision ≥ {min(w['precision'] for w in worst):.2f}, recall ≥ "
              f"{min(w['recall'] for w in worst):.2f}, saving error ≤ {shown}")
    print("\npooled over the worlds (a world holds about 20 cases of a kind, so one miss moves its recall by about"
          " 0.05; 95 % Wilson interval):")
    for kind in KINDS:
        hits = sum(r[kind]["hits"] for r in reports)
        planted = sum(r[kind]["planted"] for r in reports)
        found = sum(r[kind]["found"] for r in reports)
        print(f"{kind:<10} precision {_share(hits, found)}, recall {_share(hits, planted)}")
        pooled = {key: sum(r[kind][key] for r in reports) for key in reports[0][kind] if ":" in key}
        segments = [
            f"{segment} {_share(pooled[f'{segment}:hits'], pooled[f'{segment}:planted'])}"
            for segment in SEGMENTS
            if pooled[f"{segment}:planted"]
        ]
        print(f"{'':<10} recall by point: " + "; ".join(segments))
    promised = max(r["clean"]["promised_share"] for r in reports)
    print(f"clean points: at most {promised * 100:.2f} % of their bill promised (goal ≤ 1 %)")


def _by_segment(cases: list[Case], hits: set[int], planted: set[int]) -> dict[str, float]:
    """Hits and cases by the kind of point (household, office, factory): where the misses are."""
    out = {}
    for segment in SEGMENTS:
        ids = {c.meter.id for c in cases if c.meter.name.startswith(segment)}
        out[f"{segment}:hits"], out[f"{segment}:planted"] = float(len(ids & hits)), float(len(ids & planted))
    return out


def _share(hits: float, total: float) -> str:
    """``hits/total`` with its 95 % Wilson interval."""
    if not total:
        return "—"
    p, z = hits / total, 1.96
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * np.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return f"{p:.3f} ({hits:.0f}/{total:.0f}; {centre - half:.2f}–{centre + half:.2f})"


if __name__ == "__main__":
    main()
