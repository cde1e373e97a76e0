"""The review page's component ids: :mod:`pages.review` lays them out, :mod:`callbacks.review` reads and writes them."""

from __future__ import annotations

DENIED = "review-denied"
ACCEPT_ALL = "review-accept-all"
REJECT_ALL = "review-reject-all"
DECIDED = "review-decided"
RESULT = "review-result"
HELD = "review-held"
ROLLBACK_RESULT = "review-rollback-result"
CORRECTIONS = "review-corrections"
CHANGED = "review-changed"
HELD_EMPTY = "review-held-empty"
CORRECTIONS_EMPTY = "review-corrections-empty"
RESULT_ALERT = "review-result-alert"
ROLLBACK_ALERT = "review-rollback-alert"
HELD_TABLE = "review-held-table"
CORRECTIONS_TABLE = "review-corrections-table"
