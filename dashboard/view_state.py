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
from analytics.series import STEPS, BadRange, Step, checked_days, parse_range
from auth.access import selection_for
from auth.principal import Principal
from data.relational import Database
from data.relational.meters import MeterInfo

DEFAULT_DAYS = {"consumption": 7, "analysis": 90}


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
        params.update({"from": self.start, "to": self.end, "step": self.step})
        if self.compare:
            params["compare"] = ",".join(self.compare)
        return urlencode(params)


def from_query(args: Mapping[str, str], page: str = "consumption", today: dt.date | None = None) -> ViewState:
    """Read the state from query arguments, with defaults for what is missing or malformed."""
    today = today or dt.date.today()
    days = DEFAULT_DAYS.get(page, 7)
    step = args.get("step") or "hour"
    org = args.get("org") or ""
    return ViewState(
        meters=split(args.get("meter")),
        org=int(org) if org.isdecimal() else None,
        start=args.get("from") or (today - dt.timedelta(days=days - 1)).isoformat(),
        end=args.get("to") or today.isoformat(),
        step=step if step in STEPS else "hour",
        compare=tuple(c for c in split(args.get("compare")) if c in COMPARISONS),
    )


def _day_after(day: str) -> str:
    last, _ = checked_days(day, day)
    return (last + dt.timedelta(days=1)).isoformat()


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
    lead = meters[0]
    last_day = len(state.end) == 10
    start, end = parse_range(state.start, _day_after(state.end) if last_day else state.end)
    shift = dt.timedelta(seconds=lead.utc_offset)
    if len(state.start) == 10:  # a date means local midnight
        start -= shift
    if last_day:  # the whole last day is included: up to the next local midnight
        end -= shift
    return Resolved(meters, start, end)
