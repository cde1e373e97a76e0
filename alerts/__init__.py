"""Alerts that reach people: detection → the alerts topic → the stored lifecycle → the bell, email and Slack.

Lives here: the alert kinds with their severities and default thresholds (``kinds``), the event message on the
``wattboard.alerts`` topic (``events``), the detectors (``detectors``: pure functions over device state, readings
and schedules) and the scheduled detection that runs them (``detection``), the lifecycle that applies events (one
open alert per key, acknowledgements, notifications, the outbox: ``lifecycle``), who gets what through which
channel (``preferences``), the texts of the bell, letters and Slack in the user's language (``texts``), the
Alertmanager client, its generated configuration and the delivery of the outbox (``alertmanager``, ``am_config``,
``delivery``), and the use cases behind pages, the API and the CLI (``actions``). May import ``forecasting``,
``pricing``, ``analytics``, ``partners``, ``security``, ``auth``, ``data`` and ``config``; never ``dashboard``,
``pages`` or ``callbacks``.
"""
