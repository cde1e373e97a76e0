"""After the ingestion consumer stored readings: the organizations of the points written have new data."""

from __future__ import annotations

from caching.answers import changed_points
from data.clickhouse.readings import Written
from data.messaging.reading_batch import READINGS_LANE
from data.services import Services
from pipeline.write import AfterWrite


def register(hooks: AfterWrite, services: Services) -> None:
    def mark(written: Written) -> None:
        changed_points(services, written.meters)

    hooks.on(READINGS_LANE, mark, "caching: organizations with new readings")
