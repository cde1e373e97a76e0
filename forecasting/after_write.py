"""After the ingestion consumer stored readings: late history or a large correction makes a point's forecast stale."""

from __future__ import annotations

from data.clickhouse.readings import Written
from data.messaging.reading_batch import READINGS_LANE
from data.services import Services
from forecasting.runs import note_changed_history
from pipeline.write import AfterWrite

LATE_ROWS_FOR_REFORECAST = 48  # a day of half-hours arriving late: a backfill or an import
CORRECTED_ROWS_FOR_REFORECAST = 12  # half a day of half-hours replaced by different values


def changed_points(written: Written) -> list[int]:
    """The points whose history changed enough to forecast them again."""
    changed = {m for m, n in written.late.items() if n >= LATE_ROWS_FOR_REFORECAST}
    changed |= {m for m, n in written.corrected.items() if n >= CORRECTED_ROWS_FOR_REFORECAST}
    return sorted(changed)


def register(hooks: AfterWrite, services: Services) -> None:
    def reforecast(written: Written) -> None:
        if changed := changed_points(written):
            note_changed_history(services, changed)  # Redis down: the nightly run still picks the points up

    hooks.on(READINGS_LANE, reforecast, "forecasting: points with changed history")
