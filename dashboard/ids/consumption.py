"""The consumption page's component ids: :mod:`pages.consumption` lays them out, :mod:`callbacks.consumption` reads and
writes them."""

from __future__ import annotations

from dashboard.ids import Export, Selection

COMPARE = "cons-compare"
LIVE_LAST = "cons-live-last"
LIVE = "cons-live"
LIVE_TICK = "cons-live-tick"
LIVE_REFRESH_MS = 5_000  # how often it ticks
LIVE_CURSOR = "cons-live-cursor"
TOTAL = "cons-total"
COST = "cons-cost"
COMPARED = "cons-compared"
MESSAGE = "cons-message"
ARCHIVE = "cons-archive"
EXPORT = Export("cons-export")
SELECTION = Selection("cons")
URL = SELECTION.url
MANUAL = "cons-manual"
METER = SELECTION.meter
RANGE = SELECTION.range
STEP = SELECTION.step
