"""The organization a staff member's pages show: a shared link's (``?org=3``), else the one they chose last in this
session (the server remembers it), else none — all of them. Consumers are pinned to their own by the server."""

from __future__ import annotations

from urllib.parse import parse_qs

from auth.access import switchable_organizations
from auth.principal import Principal
from context.services import services
from context.sessions import work_on, working_organization


def linked_organization(search: str) -> str:
    """The ``org`` a link names in its query (``?org=3``: ``"3"``), or an empty string."""
    return parse_qs(search.lstrip("?")).get("org", [""])[0]


def switchable(principal: Principal) -> list[tuple[int, str]]:
    """The organizations a staff member may switch to (none for a consumer)."""
    if not principal.sees_all_organizations:
        return []
    return switchable_organizations(services().db, principal)


def chosen_organization(principal: Principal, linked: str, among: list[tuple[int, str]] | None = None) -> int | None:
    """The organization shown to ``principal``: ``linked`` (the ``org`` of a link) if they may switch to it, else
    their last choice in this session (a link's becomes that choice); None for a consumer or for all organizations."""
    if not principal.sees_all_organizations:
        return None
    allowed = {org_id for org_id, _ in (switchable(principal) if among is None else among)}
    if linked.isdecimal() and int(linked) in allowed:
        work_on(int(linked))  # the switch shows it: the pages reached from here by the menu open on it too
        return int(linked)
    remembered = working_organization()
    return remembered if remembered in allowed else None
