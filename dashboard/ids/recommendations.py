"""The recommendations page's component ids: :mod:`pages.recommendations` lays them out,
:mod:`callbacks.recommendations` reads and writes them."""

from __future__ import annotations

from dashboard.ids import Export

TARIFF_METER = "rec-tariff-meter"
TARIFF_RANGE = "rec-tariff-range"
TARIFF_TABLE = "rec-tariff-table"
TARIFF_EXPORT = Export("rec-tariff-export")
URL = "rec-url"
TOTAL = "rec-total"
FILTER = "rec-filter"
CARDS = "rec-cards"
EMPTY = "rec-empty"
CATEGORY = "rec-category"
CATEGORY_DEMO = "rec-category-demo"
CATEGORY_RESULT = "rec-category-result"
CATEGORY_CHART = "rec-category-chart"
PEAK = "rec-peak"
TARIFF_RESULT = "rec-tariff-result"
