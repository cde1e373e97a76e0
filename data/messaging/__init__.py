"""Kafka: topic names, producer and consumer helpers with timeouts that suit the broker (``broker``), and the
messages producers publish — the normalized reading batch (``reading_batch``) and the device-state report
(``device_report``)."""
