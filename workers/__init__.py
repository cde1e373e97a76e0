"""Long-running and queued work: the ingestion consumer, RQ jobs, the schedule.

Lives here: the Kafka → ClickHouse consumer (``consumer``), device-state handling (``device_state``),
RQ jobs (``jobs``, ``forecast_jobs``, ``alert_jobs``) and their schedule (``schedule``). A job is a thin wrapper
around a use case of a domain package (``partners``, ``auth``, ``forecasting``, ``alerts``, ``advice``,
``review``); only the consumer and the device-state handler, which are the storage pipeline itself, call ``data``
directly. Never imports ``web``, ``dashboard``, ``pages`` or ``callbacks`` (``pyproject.toml``'s import contracts).
"""
