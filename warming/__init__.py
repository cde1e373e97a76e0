"""Answers computed before anyone asks for them: what readers open first — every organization's overview (and the
administrators' overview of all of them), its devices' data completeness, month-end projection and forecast page,
and the pages of its metering points as they open — kept computed in the shared answer cache (:mod:`caching`) by a
job every minute, so that new readings, the turn of an hour or a new release (each a new key) are paid for by a
worker, not by the first reader.

- :mod:`warming.overview` — the overview as its page asks for it (:func:`~warming.overview.overview_page`, also what
  the page's callback calls, so both ask under one key) and :func:`~warming.overview.warm`.
- :mod:`warming.points` — a point's consumption and analysis pages as they open (the local days of
  :func:`analytics.series.opening_days`), as many points as a run's time allows, each organization's first first.

Sits over forecasting, manual points, pricing and analytics; called by the overview's callback and by a job.
"""
