"""Detection: the detectors of ``alerts.detectors`` run where their input appears, and what they find is published to
the alerts topic — device-state reports and readings as the ingestion consumer writes them (``after_write``, the
consumer's hook), and every few minutes over points, forecasts, budgets, partners' feeds, the weather feed and the
dead-letter topic (``scan``).

It sits above the domain packages it watches (``forecasting``, ``partners``, ``pricing``, ``weather``, ``analytics``)
and above ``alerts``, whose machinery (kinds, events, lifecycle, delivery) those packages may use without depending on
what watches them. May import the domain packages, ``pipeline``, ``data`` and ``config``; never the web, pages,
callbacks or jobs.
"""
