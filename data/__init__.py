"""The only package that talks to storage: PostgreSQL/SQLite, ClickHouse/chDB, Kafka, Redis.

Lives here: the relational model and its migrations (``models``, ``migrations``), sessions
(``relational``), the ClickHouse SQL and its two backends (``clickhouse_sql``, ``clickhouse_store``),
reading and rollup queries (``readings``), broker helpers and topic names (``broker``), the
normalized reading-batch message every producer publishes (``reading_batch``), Redis/RQ
connection (``queue``), and small repositories over the model (``users``, ``people``, ``signups``,
``organizations``, ``meters``, ``tokens`` for API tokens, ``one_time_tokens`` for reset and invitation
links, ``audit``, ``sso`` and one per capability). May import ``config`` only. The storage clients
(SQLAlchemy, chDB, clickhouse-connect, Kafka, Redis, RQ) are imported here and nowhere else, but for the
exceptions ``pyproject.toml``'s import contract names.
"""
