"""RQ entry points of forecasting: the work is in ``forecasting.runs``; these bind the process's services."""

from __future__ import annotations

from forecasting import runs
from workers.jobs import services


def forecast_points(key: str, organization_id: int, meter_ids: list[int]) -> dict[str, float]:
    return runs.forecast_points(services(), key, organization_id, meter_ids)


def finish_run(key: str, organization_id: int) -> str:
    return runs.finish_run(services(), key, organization_id)


def nightly_forecasts() -> list[str]:
    return runs.nightly(services())


def refresh_changed_points() -> list[str]:
    return runs.refresh_changed(services())
