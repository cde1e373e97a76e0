"""Large corrections: noticed as they are written, listed for operators, rolled back on request.

The ingestion consumer keeps every value a batch replaces (``replaced_readings``). A batch that changes more than
``large_correction_share`` of a point's local day raises a ``large_correction`` event for the organization. A
rollback publishes the replaced values again, as a new batch with a newer version, through the same topic and
consumer as any reading: it is itself a correction, kept with what it replaced, so it can be undone too.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alerts.detectors import large_correction
from alerts.events import AlertEvent, publish
from auth.principal import AccessDenied, Principal
from data.clickhouse.readings import Written, day_totals, replaced_by_batch, replaced_summary
from data.messaging.reading_batch import STATUS_CORRECTED, encode_columnar
from data.relational import audit
from data.relational.meters import list_meters, meters_by_ids
from data.services import Services

STAFF = ("admin", "operator")
ROLLBACK_PARTNER = "rollback"
SHOWN_DAYS = 30  # the review page lists the corrections of the last month


@dataclass(frozen=True)
class Correction:
    batch: str
    code: str
    organization_name: str
    day: dt.date
    rows: int
    old_kwh: float
    new_kwh: float
    share: float  # of the day's consumption before the correction
    replaced_at: dt.datetime


def changed_days(replaced: pd.DataFrame) -> pd.DataFrame:
    """Per batch, point and local day: rows replaced, kWh before and after, kWh changed."""
    frame = replaced.assign(
        day=pd.to_datetime((replaced["ts"].astype("int64") + replaced["utc_offset"].astype("int64")), unit="s").dt.date,
        changed=(replaced["new_value"] - replaced["old_value"]).abs(),
    )
    return (
        frame.groupby(["new_batch", "meter_id", "day"], observed=True)
        .agg(
            rows=("ts", "size"),
            old_kwh=("old_value", "sum"),
            new_kwh=("new_value", "sum"),
            changed_kwh=("changed", "sum"),
        )
        .reset_index()
    )


def share_of_day(changed_kwh: float, day_total_before: float) -> float:
    """How much of the day the correction changed; a day that had nothing before counts as wholly changed."""
    if day_total_before <= 1e-9:
        return 1.0 if changed_kwh > 1e-9 else 0.0
    return changed_kwh / day_total_before


def day_before_and_after(
    totals: dict[tuple[int, dt.date], float],
    meter_id: int,
    day: dt.date,
    old_kwh: float,
    new_kwh: float,
    changed_kwh: float,
) -> tuple[float, float, float]:
    """The day's kWh before the correction and now (from the daily rollup), and the share it changed."""
    after = totals.get((meter_id, day), new_kwh)
    before = after - new_kwh + old_kwh
    return before, after, share_of_day(changed_kwh, before)


def large_corrections(services: Services, written: Written) -> list[AlertEvent]:
    """Events for the days a write changed by more than the configured share; published to the alerts topic."""
    if written.replaced is None or written.replaced.empty:
        return []
    days = changed_days(written.replaced)
    meters = {m.id: m for m in meters_by_ids(services.db, days["meter_id"].unique().tolist())}
    totals = day_totals(services.store, list(meters), min(days["day"]), max(days["day"]))
    threshold = services.settings.large_correction_share
    events = []
    for row in days.itertuples(index=False):
        meter = meters.get(int(row.meter_id))
        if meter is None or str(row.new_batch).startswith(f"{ROLLBACK_PARTNER}-"):  # an operator's own rollback
            continue
        before, after, share = day_before_and_after(
            totals, meter.id, row.day, row.old_kwh, row.new_kwh, row.changed_kwh
        )
        if share > threshold:
            partner = str(row.new_batch).rsplit("-", 1)[0]
            events.append(large_correction(meter, row.day, str(row.new_batch), partner, share, before, after))
    publish(services, events)
    return events


def _staff(principal: Principal) -> None:
    if principal.role not in STAFF:
        raise AccessDenied("only administrators and operators review corrections")


def recent_corrections(
    services: Services, principal: Principal, organization_id: int | None, now: dt.datetime | None = None
) -> list[Correction]:
    """The corrections of the last month, per batch, point and local day, the newest batch first."""
    _staff(principal)
    meters = {m.id: m for m in list_meters(services.db, organization_id)}
    since = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=SHOWN_DAYS)
    summary = replaced_summary(services.store, list(meters), since)
    if summary.empty:
        return []
    summary["day"] = pd.to_datetime(summary["day"]).dt.date
    totals = day_totals(services.store, list(meters), min(summary["day"]), max(summary["day"]))
    found = []
    for row in summary.itertuples(index=False):
        meter = meters[int(row.meter_id)]
        before, after, share = day_before_and_after(
            totals, meter.id, row.day, float(row.old_kwh), float(row.new_kwh), float(row.changed_kwh)
        )
        found.append(
            Correction(
                str(row.batch),
                meter.code,
                meter.organization_name,
                row.day,
                int(row.rows),
                before,
                after,
                share,
                pd.Timestamp(row.last_replaced).to_pydatetime().replace(tzinfo=dt.UTC),
            )
        )
    return found


def rollback(services: Services, principal: Principal, batch: str) -> int:
    """Put back what a batch replaced; returns how many readings were restored (0: it replaced nothing)."""
    _staff(principal)
    replaced = replaced_by_batch(services.store, batch)
    if replaced.empty:
        return 0
    meters = {m.id: m for m in meters_by_ids(services.db, replaced["meter_id"].unique().tolist())}
    rollback_batch = f"{ROLLBACK_PARTNER}-{uuid.uuid4().hex[:16]}"
    version = int(time.time() * 1000)
    for (meter_id, interval), rows in replaced.groupby(["meter_id", "interval_s"]):
        meter = meters.get(int(meter_id))
        if meter is None:
            continue
        status = rows["old_status"].to_numpy().astype(np.int64) | STATUS_CORRECTED
        services.producer.send(
            services.topics.readings,
            key=meter.code.encode(),
            value=encode_columnar(
                meter.code,
                ROLLBACK_PARTNER,
                rollback_batch,
                version,
                int(interval),
                rows["ts"].to_numpy().astype(np.int64),
                rows["old_value"].to_numpy().astype(np.float64),
                status,
            ),
        )
    services.producer.flush(timeout=30)
    audit.log(
        services,
        principal.email,
        "review.rolled_back",
        batch,
        details={
            "restored": len(replaced),
            "rollback_batch": rollback_batch,
            "meters": sorted(m.code for m in meters.values()),
        },
    )
    return len(replaced)
