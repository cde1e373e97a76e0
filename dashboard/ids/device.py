"""The device page's component ids: :mod:`pages.device` lays them out, :mod:`callbacks.device` reads and writes them."""

from __future__ import annotations

from dashboard.ids import Export

URL = "device-url"
SERIAL = "device-serial"
INFO = "device-info"
TIMELINE = "device-timeline"
EXPORT = Export("device-export")
READINGS = "device-readings"
