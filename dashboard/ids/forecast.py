"""The forecast page's component ids: :mod:`pages.forecast` lays them out, :mod:`callbacks.forecast` reads and writes
them."""

from __future__ import annotations

from dashboard.ids import Export, Kpi

URL = "fc-url"
TITLE = "fc-title"
METER = "fc-meter"
MESSAGE = "fc-message"
# Staff: recomputing a point or an organization, and its progress.
RECOMPUTE = "fc-recompute"
RUN_STARTED = "fc-run-started"
RUN_FINISHED = "fc-run-finished"
POLL = "fc-poll"
PROGRESS = "fc-progress"
PROGRESS_TEXT = "fc-progress-text"
# The month-end projection against the budget, and the model's measured accuracy.
MONTH_KWH = Kpi("fc-month-kwh")
MONTH_RUB = Kpi("fc-month-rub")
BUDGET = Kpi("fc-budget")
ACCURACY = Kpi("fc-accuracy")
# The band over the last weeks and the next days, the days to the month's end, the model.
CHART = "fc-chart"
CHART_EXPORT = Export("fc-export")
DAYS = "fc-days"
DAYS_TABLE = "fc-days-table"
DAYS_EXPORT = Export("fc-days-export")
MODEL_INFO = "fc-model-info"
