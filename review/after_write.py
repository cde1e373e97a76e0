"""After the ingestion consumer stored readings: a correction that changed much of a point's day is an alert."""

from __future__ import annotations

from data.clickhouse.readings import Written
from data.messaging.reading_batch import READINGS_LANE
from data.services import Services
from pipeline.write import AfterWrite
from review.corrections import large_corrections


def register(hooks: AfterWrite, services: Services) -> None:
    def corrections(written: Written) -> None:
        large_corrections(services, written)

    hooks.on(READINGS_LANE, corrections, "review: large corrections")
