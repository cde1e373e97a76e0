"""The only package that talks to storage: PostgreSQL/SQLite, ClickHouse/chDB, Kafka, Redis — one sub-package per
engine, each the only place its client is imported.

- ``relational/`` — PostgreSQL or SQLite through SQLAlchemy: the engine and sessions (the package itself), the
  model (``models``) and its Alembic migrations (``migrations``, run by ``migrate``), and one small repository per
  capability beside it (``users``, ``people``, ``signups``, ``organizations``, ``meters``, ``tokens`` for API tokens,
  ``one_time_tokens`` for reset and invitation links, ``audit``, ``sso``, ``alerts``, …).
- ``clickhouse/`` — ClickHouse or embedded chDB: all its SQL (``sql``), the two backends behind one interface
  (``store``), readings and their rollups (``readings``), forecast values (``forecasts``; each run's model and
  scores are relational), hourly temperatures (``weather``).
- ``messaging/`` — Kafka: topic names, producer and consumer helpers (``broker``) and the messages every producer
  publishes (``reading_batch``, ``device_report``).
- ``queue/`` — Redis: the connection and the RQ queues (the package itself), and what workers and web workers share
  through it: the progress of long work (``progress``) and cached answers with each organization's data version
  (``answer_cache``).

Beside them: which failures are an outage and which are about the data (``errors``) and the lazily opened handles
to every store (``services``). May import ``config`` only. The storage clients (SQLAlchemy, chDB,
clickhouse-connect, Kafka, Redis, RQ) are imported here and nowhere else, but for the exceptions ``pyproject.toml``'s
import contract names.
"""
