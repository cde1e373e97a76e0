"""The first-run card's component ids: :mod:`dashboard.first_run` lays them out, :mod:`callbacks.first_run` reads and
writes them."""

from __future__ import annotations

CODE = "fr-code"
NAME = "fr-name"
ADDRESS = "fr-address"
PLAN = "fr-plan"
WAY = "fr-way"
ADD = "fr-add"
ADD_RESULT = "fr-add-result"
CARD = "fr-card"
OV_FIRST_RUN = "ov-first-run"
ADDED = "fr-added"
ASK_SENT = "fr-ask-sent"
UPLOAD_SUMMARY = "fr-upload-summary"
