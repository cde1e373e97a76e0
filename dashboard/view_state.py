"""Page state that lives in the URL: which metering points, which period, which step, what to compare.

``?meter=A,B&org=3&from=2026-01-01&to=2026-01-31&step=day&compare=previous,year``. Dates are the point's
local days and both ends are included, as the date picker shows them (``to`` may also be an ISO instant,
then it is exclusive). No ``meter`` means the whole organization (``org`` for staff; a consumer's own
organization whatever it says). The same state drives a page's callbacks and its CSV/XLSX export links.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from analytics.consumption import COMPARISONS
from analytics.series import STEPS, BadRange, Step, opening_days, span_of
from auth.access import selection_for
from auth.principal import Principal
from data.relational import Database
from data.relational.meters import MeterInfo


@dataclass(frozen=True)
class ViewState:
    meters: tuple[str, ...] = ()
    org: int | None = None
    start: str = ""
    end: str = ""
    step: Step = "hour"
    compare: tuple[str, ...] = ()

    def query(self) -> str:
        params: dict[str, str] = {}
        if self.meters:
            params["meter"] = ",".join(self.meters)
        if self.org is not None and not self.meters:
            params["org"] = str(self.org)
        params.update({k: v for k, v in (("from", self.start), ("to", self.end)) if v})  # none: the page's own
        params["step"] = self.step
        if self.compare:
            params["compare"] = ",".join(self.compare)
        return urlencode(params)


def from_query(args: Mapping[str, str], page: str = "consumption", today: dt.date | None = None) -> ViewState:
    """Read the state from query arguments, with defaults for what is missing or malformed."""
    first, last = opening_days(page, today or dt.date.today())
    step = args.get("step") or "hour"
    org = args.get("org") or ""
    return ViewState(
        meters=split(args.get("meter")),
        org=int(org) if org.isdecimal() else None,
        start=args.get("from") or first,
        end=args.get("to") or last,
        step=step if step in STEPS else "hour",
        compare=tuple(c for c in split(args.get("compare")) if c in COMPARISONS),
    )


def split(value: str | list[str] | None) -> tuple[str, ...]:
    if not value:
        return ()
    items = value if isinstance(value, list) else value.split(",")
    return tuple(dict.fromkeys(item.strip() for item in items if item and item.strip()))


@dataclass(frozen=True)
class Resolved:
    meters: list[MeterInfo]
    start: dt.datetime
    end: dt.datetime


class NothingToShow(LookupError):
    """The selection is empty: no metering points in scope."""


def chosen_meters(db: Database, principal: Principal, state: ViewState) -> list[MeterInfo]:
    """The metering points a state stands for (see :func:`resolve` for what it raises)."""
    meters = selection_for(db, principal, list(state.meters), state.org)
    if not meters:
        raise NothingToShow()
    return meters


def resolve(db: Database, principal: Principal, state: ViewState) -> Resolved:
    """The metering points and instants a state stands for, as this caller may see them.

    Raises :class:`MeterNotFound` for a point that is unknown or not the caller's, ``ValueError`` for a
    malformed range and :class:`NothingToShow` for an organization without points.
    """
    if not isinstance(state.start, str) or not isinstance(state.end, str):
        raise BadRange("not_text", name="range.from", kind=type(state.start).__name__)
    meters = chosen_meters(db, principal, state)
    start, end = span_of(state.start, state.end, meters[0].utc_offset)
    return Resolved(meters, start, end)
