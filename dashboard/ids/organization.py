"""The organization page's component ids: :mod:`pages.organization` lays them out, :mod:`callbacks.organization` read
and write them."""

from __future__ import annotations

NAME = "org-name"
MEMBERS = "org-members"
BUDGET_AMOUNT = "org-budget-amount"
BUDGET_UNIT = "org-budget-unit"
BUDGET_SAVE = "org-budget-save"
BUDGET_RESULT = "org-budget-result"
RULES = "org-rules"
RULES_RESULT = "org-rules-result"
SLACK_STATE = "org-slack-state"
SLACK_URL = "org-slack-url"
SLACK_SAVE = "org-slack-save"
SLACK_REMOVE = "org-slack-remove"
SLACK_RESULT = "org-slack-result"
INVITE_EMAIL = "org-invite-email"
INVITE_SEND = "org-invite-send"
INVITE_RESULT = "org-invite-result"
INVITE_CARD = "org-invite-card"
RULES_TABLE = "org-rules-table"
MEMBER_LIST = "org-member-list"
