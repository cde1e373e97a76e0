"""The overview page's component ids: :mod:`pages.overview` lays them out, :mod:`callbacks.overview` reads and writes
them."""

from __future__ import annotations

from dashboard.ids import Export, Kpi

ORG = "ov-org"
TODAY = Kpi("ov-today")
MONTH = Kpi("ov-month")
VS_MONTH = Kpi("ov-vs-month")
VS_YEAR = Kpi("ov-vs-year")
PROJECTION = "ov-projection"
REPORT = "ov-report"
REPORT_RESULT = "ov-report-result"
TOP = "ov-top"
TOP_EXPORT = Export("ov-top-export")
HEALTH = "ov-health"
ALERTS = "ov-alerts"
OVERVIEW_METERS = "overview-meters"
METERS_EXPORT = Export("overview-meters-export")
METERS_SHOWN = "overview-meters-shown"
MANUAL = "ov-manual"
PROJECTION_LINE = "ov-projection-line"
TOP_TABLE = "ov-top-table"
DEVICE_COUNTS = "ov-device-counts"
ALERT_LIST = "ov-alert-list"
OVERVIEW_TABLE = "overview-table"
BY_HAND = "ov-by-hand"
MANUAL_TABLE = "ov-manual-table"
