"""Partner Interactions: partners integrated by configuration, not code.

Lives here: the partner configuration model (``config``), one parser module per data format behind
one interface (``formats``), normalization to UTC kWh intervals (``normalize``), the HTTP fetcher
(``fetcher``: URL templates, authorization, retries, redirects hop by hop through ``security.outbound``'s address
check; its secrets encrypted by ``security.secrets``) and the ingestion entry point shared by
push, import, polling and backfill (``ingest``), which publishes reading batches to Kafka and never
writes to the store; and the dead-letter topic's listing and replay (``dead_letters``). May import
``data``, ``auth``, ``security``, ``config`` and ``review`` (which holds implausible readings for an operator).
"""
