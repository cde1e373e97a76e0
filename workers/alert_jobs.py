"""RQ entry points of alerting: the work is in ``alerts`` and ``detection``; these bind the process's services.

The ``alerts`` queue reads the alerts topic and runs the scheduled detectors; ``delivery`` hands the outbox to
Alertmanager. Both are small and frequent, so a worker of their own keeps them away from long forecast jobs.
"""

from __future__ import annotations

from alerts import am_config, delivery, lifecycle
from detection import scan
from workers.jobs import services


def consume_alert_events() -> dict[str, int]:
    return lifecycle.consume(services())


def evaluate_alert_rules() -> dict[str, int]:
    return scan.evaluate(services())


def deliver_alerts() -> dict[str, int]:
    return delivery.deliver(services())


def repost_firing_alerts() -> int:
    return delivery.repost(services())


def sync_alertmanager_config() -> bool:
    return am_config.sync(services())
