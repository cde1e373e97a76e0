"""Which metering points a page's picker offers its reader and which it starts on.

A page's layout starts with them (``initial``: the picker, and the charts that read it, need no round trip before
they ask for their data); the picker's callback works them out again when a staff member switches organizations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from auth.access import visible_meters
from auth.principal import Principal
from context.services import services
from context.sessions import current_principal
from dashboard.organization_choice import chosen_organization
from dashboard.view_state import split
from data.relational.meters import MeterInfo
from i18n import t

Options = list[dict[str, Any]]
PICKER_OPTIONS = 200  # the points a picker lists at once; typing finds the others (:func:`matching`)


def linked_point(search: str | None) -> str:
    """The ``meter`` a page's address names in its query (``?meter=A-1``: ``"A-1"``), or an empty string."""
    return (parse_qs((search or "").lstrip("?")).get("meter") or [""])[0]


def point_label(meter: MeterInfo) -> str:
    return f"{meter.code} — {meter.name}"


def region_point_label(meter: MeterInfo) -> str:
    """A point with the region whose prices it takes (the tariffs page's picker)."""
    return f"{meter.code} — {meter.name} ({meter.region or '—'})"


def _options(
    meters: list[MeterInfo], wanted: list[str], label: Callable[[MeterInfo], str], limit: int | None = None
) -> Options:
    """The points the caller may see — the first ``limit`` of them (:data:`PICKER_OPTIONS`) and the wanted ones past
    those — then each wanted one they may not as a disabled option with only its code."""
    codes = {m.code for m in meters}
    unknown = [c for c in wanted if c not in codes]
    limit = PICKER_OPTIONS if limit is None else limit
    listed = meters[:limit]
    if len(meters) > limit:
        on_list = {m.code for m in listed}
        listed = listed + [m for m in meters if m.code in wanted and m.code not in on_list]
    return [{"label": label(m), "value": m.code} for m in listed] + [
        {"label": f"{c} — {t('consumption.unavailable')}", "value": c, "disabled": True} for c in unknown
    ]


def matching(
    principal: Principal,
    org: int | None,
    text: str,
    chosen: list[str],
    label: Callable[[MeterInfo], str] = point_label,
) -> Options:
    """A picker's options as its reader types ``text``: the chosen points (the picker still names them), then at most
    :data:`PICKER_OPTIONS` of those whose code or name holds the text — so that a picker over an
    administrator's ten thousand points stays as light as one over a household's three."""
    meters = visible_meters(services().db, principal, org)
    needle = text.strip().casefold()
    kept = set(chosen)
    picked = [m for m in meters if m.code in kept]
    found = [m for m in meters if m.code not in kept and (needle in m.code.casefold() or needle in m.name.casefold())]
    return _options(picked + found, chosen, label, len(picked) + PICKER_OPTIONS)


def meter_choice(principal: Principal, org: int | None, wanted: str | None, whole_org: bool) -> tuple[Options, list]:
    """Options of a metering-point picker and its value: the points ``wanted`` (``"A-1,A-2"``, from the address),
    else the whole organization if asked (an address that names an organization and no point), else the first point.

    A point the caller may not see stays selected as a disabled option carrying nothing but the code they typed,
    so the chart says "not found" instead of quietly showing something else."""
    meters = visible_meters(services().db, principal, org)
    chosen = [c for c in split(wanted or "") if c]
    options = _options(meters, chosen, point_label)
    if chosen:
        return options, chosen
    if whole_org:
        return options, []
    return options, [meters[0].code] if meters else []


def initial(query: dict[str, str]) -> tuple[Options, list]:
    """The picker of a page being laid out for the signed-in reader, from the page's address (``query``)."""
    principal = current_principal()
    if principal is None:
        return [], []
    org = chosen_organization(principal, query.get("org", ""))
    return meter_choice(principal, org, query.get("meter"), whole_org="org" in query)


def one_point_choice(
    principal: Principal,
    org: int | None,
    wanted: str | None,
    first_by_default: bool = False,
    label: Callable[[MeterInfo], str] = point_label,
) -> tuple[Options, str | None]:
    """A one-point picker's options (the forecast's, the tariff comparison's) and its value: the point ``wanted`` (the
    address's ``meter``), else the first point if ``first_by_default``, else None — the organization's total. A point
    the caller may not see stays as a disabled option, as above."""
    meters = visible_meters(services().db, principal, org)
    options = _options(meters, [wanted] if wanted else [], label)
    if wanted:
        return options, wanted
    return options, meters[0].code if first_by_default and meters else None


def initial_point(
    query: dict[str, str], first_by_default: bool = False, label: Callable[[MeterInfo], str] = point_label
) -> tuple[Options, str | None]:
    """:func:`one_point_choice` for a page being laid out for the signed-in reader, from the page's address."""
    principal = current_principal()
    if principal is None:
        return [], None
    org = chosen_organization(principal, query.get("org", ""))
    return one_point_choice(principal, org, query.get("meter"), first_by_default, label)
