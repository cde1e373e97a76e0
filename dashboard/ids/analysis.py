"""The analysis page's component ids: :mod:`pages.analysis` lays them out, :mod:`callbacks.analysis` reads and writes
them."""

from __future__ import annotations

from dashboard.ids import Export, Kpi, Selection

SELECTION = Selection("ana")
URL = SELECTION.url
MESSAGE = "ana-message"
BASELOAD = Kpi("ana-baseload")
PEAK = Kpi("ana-peak")
LOAD_FACTOR = Kpi("ana-load-factor")
TOTAL = Kpi("ana-total")
MONTHS = "ana-months"
MONTHS_EXPORT = Export(MONTHS)
WEATHER = "ana-weather"
WEATHER_NOTE = "ana-weather-note"
MONTHS_NOTE = "ana-months-note"
MONTHS_TABLE = "ana-months-table"
# The three charts, each with its downloads (the chart's id is also its table's name in ``exports.tables.VIEWS``).
HEATMAP = "ana-heatmap"
DURATION = "ana-duration"
PROFILES = "ana-profiles"
CHARTS = {"heatmap": HEATMAP, "duration": DURATION, "profiles": PROFILES}
EXPORTS = {name: Export(chart) for name, chart in CHARTS.items()}
METER = SELECTION.meter
RANGE = SELECTION.range
