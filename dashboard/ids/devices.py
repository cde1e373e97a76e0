"""The devices page's component ids: :mod:`pages.devices` lays them out, :mod:`callbacks.devices` reads and
writes them."""

from __future__ import annotations

from dashboard.ids import Export

FILTER = "dev-filter"
TABLE = "dev-table"
EMPTY = "dev-empty"
SHOWN = "dev-shown"
EXPORT = Export("dev-export")
LIST = "dev-list"
