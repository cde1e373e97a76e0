"""The profile page's component ids: :mod:`pages.profile` lays them out, :mod:`callbacks.profile` reads and
writes them."""

from __future__ import annotations

TABLE = "pref-table"
MONTHLY = "pref-monthly"
TIMEZONE = "pref-timezone"
QUIET_FROM = "pref-quiet-from"
QUIET_TO = "pref-quiet-to"
SAVE = "pref-save"
RESULT = "pref-result"
TG_STATUS = "tg-status"
TG_LINK = "tg-link"
TG_UNLINK = "tg-unlink"
TG_CODE = "tg-code"
TG_CARD = "tg-card"
TG_CODE_TEXT = "tg-code-text"
TG_CODE_VALUE = "tg-code-value"
OPENED = "profile-opened"  # its callbacks' opening signal (an address changes as the reader leaves too)
