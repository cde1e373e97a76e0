"""A stream consumer built from small steps, in the shape of Sentry's arroyo.

A :class:`pipeline.runner.Runner` polls a Kafka consumer and hands each message to the first step; each step does
one thing and hands on to the next::

    Decode → Validate → Route → Accumulate → RunInThread(Write → AfterWrite) → Commit

A message or a record that cannot be used becomes a dead letter with its reason and never holds back another: only
an **outage** (a store or the broker not answering, :func:`data.errors.is_outage`) makes a step wait and try again;
any other failure of a write is a **data error**, and :class:`pipeline.write.Write` bisects the batch until the
records that fail are alone, sends those to the dead-letter topic and writes the rest. Offsets are committed only
after everything before them was written or dead-lettered, so a restart replays at most what was not committed, and
never a poison record that was already set aside.

Steps know nothing of readings, devices or alerts: what to decode, validate, write and run afterwards is passed in
(the ingestion consumer in ``workers``, the alert lifecycle in ``alerts``, the dead-letter replay in ``partners``).
Imports only ``data`` (the broker helpers and what counts as an outage)."""
