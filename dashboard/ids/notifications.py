"""The notifications page's component ids: :mod:`pages.notifications` lays them out, :mod:`callbacks.notifications` read
and write them."""

from __future__ import annotations

KIND = "notif-kind"
SEVERITY = "notif-severity"
STATE = "notif-state"
PERIOD = "notif-period"
READ_ALL = "notif-read-all"
RESULT = "notif-result"
LIST = "notif-list"
READ_NOW = "notif-read-now"  # moved when the reader marked or acknowledged something: the bell follows at once
EMPTY = "notif-empty"
ITEMS = "notif-items"
