"""Alerts that reach people: detection → the alerts topic → the stored lifecycle → the bell, email and Slack.

Lives here: the alert kinds with their severities and default thresholds (``kinds``), the event message on the
``wattboard.alerts`` topic (``events``), the detectors (``detectors``: pure functions over device state, readings
and schedules; ``detection`` runs them), the lifecycle that applies events (one
open alert per key, acknowledgements, notifications, the outbox: ``lifecycle``), who gets what through which
channel (``preferences``), the texts of the bell, letters and Slack in the user's language (``i18n.alert_texts``), the
Alertmanager client, its generated configuration and the delivery of the outbox (``alertmanager``, ``am_config``,
``delivery``), and the use cases behind pages, the API and the CLI (``actions``). Low in the domain, so that review,
partners and forecasting may raise alerts: may import ``analytics``, ``auth``, ``security``, ``pipeline``, ``data``
and ``config``; never ``partners``, ``forecasting``, ``pricing`` or anything above them (``detection`` watches
those), nor ``dashboard``, ``pages`` or ``callbacks``.
"""
