"""The ingestion consumer with the after-write hooks of the packages that react to new data (the one place that
puts them together: a new reaction registers here)."""

from __future__ import annotations

from typing import Any

from caching import after_write as caching_hooks
from data.services import Services
from detection import after_write as detection_hooks
from forecasting import after_write as forecasting_hooks
from pipeline.write import AfterWrite
from review import after_write as review_hooks
from workers.consumer import IngestConsumer

HOOKS = (caching_hooks.register, forecasting_hooks.register, detection_hooks.register, review_hooks.register)


def ingest_hooks(services: Services) -> AfterWrite:
    hooks = AfterWrite()
    for register in HOOKS:
        register(hooks, services)
    return hooks


def ingest_consumer(services: Services, **options: Any) -> IngestConsumer:
    """The consumer ``wattboard consume`` and ``wattboard up`` run (``options``: batch size, wait, group)."""
    return IngestConsumer(services, hooks=ingest_hooks(services), **options)
