"""The demo world: three organizations with 20+ metering points, 13 months of history, live readings.

Lives here: the world's definition and its creation in the relational store (``world``), the
consumption shapes (``profiles``) and the publisher that sends history and live readings through
Kafka, never straight into the store (``feed``). May import ``data``, ``auth``, ``workers``,
``analytics`` and ``config``.
"""
