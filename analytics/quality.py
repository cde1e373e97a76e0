"""Data completeness and quality of a metering point, as one score its owner can read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from data.relational.meters import MeterInfo


@dataclass(frozen=True)
class Quality:
    completeness: float  # share of the window covered by readings, 0..1
    score: int  # 0..100: completeness, less for estimated, reset and clock-fixed readings
    estimated: int
    resets: int
    clock_fixed: int
    rollovers: int
    last_reading: dt.datetime | None

    @property
    def grade(self) -> str:
        return "good" if self.score >= 95 else "fair" if self.score >= 75 else "poor"


def quality_by_meter(frame: pd.DataFrame, meter_ids: list[int], window: dt.timedelta) -> dict[int, Quality]:
    seconds = window.total_seconds()
    rows = {int(r.meter_id): r for r in frame.itertuples()} if not frame.empty else {}
    out = {}
    for meter_id in meter_ids:
        row = rows.get(meter_id)
        if row is None:
            out[meter_id] = Quality(0.0, 0, 0, 0, 0, 0, None)
            continue
        completeness = min(1.0, float(row.covered_s) / seconds)
        flagged = (int(row.estimated) + int(row.clock_fixed) + 5 * int(row.resets)) / max(1, int(row.samples))
        score = max(0, round(100 * completeness - 100 * min(flagged, 0.5)))
        out[meter_id] = Quality(
            completeness,
            score,
            int(row.estimated),
            int(row.resets),
            int(row.clock_fixed),
            int(row.rollovers),
            pd.Timestamp(row.last_ts).to_pydatetime(),
        )
    return out


def attention_first(meters: list[MeterInfo], quality: dict[int, Quality]) -> list[MeterInfo]:
    """The points whose data need attention first: poor, then fair, then good, the lowest score first within a grade
    (then by code); a point without a grade last."""
    rank = {"poor": 0, "fair": 1, "good": 2}

    def key(m: MeterInfo) -> tuple[int, int, str]:
        q = quality.get(m.id)
        return (rank[q.grade], q.score, m.code) if q is not None else (3, 0, m.code)

    return sorted(meters, key=key)
