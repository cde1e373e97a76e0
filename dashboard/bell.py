"""The bell in the shell: the caller's unread count and newest messages, as the shell's layout carries them when a
page loads and as the bell's callback refreshes them afterwards (every few seconds, and the moment the reader marks
a message read in the notification centre)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import overload

import dash_bootstrap_components as dbc
from dash import html

from alerts.actions import bell
from auth.principal import Principal
from context.services import services
from dashboard.formatting import moment
from dashboard.ids import shell as ids
from dashboard.plain import Element, el
from i18n import t

QUIET_BADGE = "badge rounded-pill bg-danger ms-1 d-none"


@dataclass(frozen=True)
class Bell:
    count: str  # "3", "99+", "0"
    badge: str  # the count's class: hidden when nothing is unread
    items: list[Element]  # the menu's entries (dashboard.plain)
    version: int | None  # what the page keeps to ask "anything new?" (:func:`ring`'s ``seen``)


@overload
def ring(principal: Principal) -> Bell: ...


@overload
def ring(principal: Principal, seen: object) -> Bell | None: ...


def ring(principal: Principal, seen: object = None) -> Bell | None:
    """The caller's bell; None when the page's (``seen``: its version) is it still — nothing to send again. Without
    ``seen``, always the bell."""
    state = bell(services(), principal)
    if isinstance(seen, int) and state.version == seen:
        return None
    count, rows, zone = state.unread, state.newest, state.zone
    items = [el(dbc.DropdownMenuItem, t("bell.title"), header=True)]
    if not rows:
        items.append(el(dbc.DropdownMenuItem, t("bell.empty"), disabled=True))
    for row in rows:
        mark = "fw-semibold" if not row.read else "text-muted"
        items.append(
            el(
                dbc.DropdownMenuItem,
                [
                    el(html.Div, row.title, className=f"small {mark}"),
                    el(html.Small, moment(row.created_at, zone, named=True), className="text-muted"),
                ],
                href=row.link or "/notifications",
                className="wb-bell-item",
            )
        )
    items += [
        el(dbc.DropdownMenuItem, divider=True),
        el(dbc.DropdownMenuItem, t("bell.all"), href="/notifications", id=ids.BELL_ALL),
        el(dbc.DropdownMenuItem, t("bell.profile"), href="/profile"),
    ]
    badge = QUIET_BADGE.removesuffix(" d-none") if count else QUIET_BADGE
    return Bell(str(count) if count < 100 else "99+", badge, items, state.version)
