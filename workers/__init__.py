"""Long-running and queued work: the ingestion consumer, RQ jobs, the schedule.

Lives here: the Kafka → ClickHouse consumer (``consumer``), device-state handling (``device_state``),
RQ jobs (``jobs``) and their schedule (``schedule``). May import ``data``, ``partners``, ``analytics``,
``auth``, ``registries``, ``config`` and the capability packages (``forecasting``, ``advice``, ``alerts``,
``review``); never ``dashboard``, ``pages`` or ``callbacks``.
"""
