"""Shaping stored readings into what users see: full time axes with gaps, local time, kW."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pandas as pd

Granularity = Literal["raw", "hour", "day"]
Step = Literal["30min", "hour", "day", "week", "month"]

STEPS: tuple[Step, ...] = ("30min", "hour", "day", "week", "month")
LOCAL_STEPS = ("day", "week", "month")  # series keyed by the metering point's local dates
_FREQ = {"30min": "30min", "hour": "h", "day": "D", "week": "W-MON", "month": "MS"}


EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # no metering data is older; nothing later than LATEST is asked for
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
class BadRange(ValueError):
    """A date or a range that cannot be shown (the request answers 400): ``code`` says why and ``params`` with what;
    :func:`i18n.say` puts it in the reader's words. A bound's name is a param as ``range.from`` or ``range.to``."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = f"range.{code}"
        self.params = params
        super().__init__(self.code, params)


def parse_range(
    start: str | None, end: str | None, default_days: int = 7, now: dt.datetime | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """``from``/``to`` as ISO dates or datetimes (UTC when no zone); raises :class:`BadRange` with a reason."""
    now = now or dt.datetime.now(dt.UTC)
    end_at = _parse_instant(end, "to") if end else now
    start_at = _parse_instant(start, "from") if start else end_at - dt.timedelta(days=default_days)
    if start_at >= end_at:
        raise BadRange("order")
    if end_at - start_at > dt.timedelta(days=3660):
        raise BadRange("too_long", years=10)
    return start_at, end_at


def _parse_instant(text: object, name: str) -> dt.datetime:
    if not isinstance(text, str):
        raise BadRange("not_text", name=f"range.{name}", kind=type(text).__name__)
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        value = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        inside = EARLIEST <= value <= LATEST
    except (ValueError, OverflowError):
        raise BadRange("not_a_date", name=f"range.{name}", text=repr(text[:40])) from None
    if not inside:
        raise BadRange("outside", name=f"range.{name}", text=repr(text[:40]))
    return value


def checked_days(first: object, last: object) -> tuple[dt.date, dt.date]:
    """Two local days ``first``..``last`` (both included) from ISO text or dates, checked as :func:`parse_range`
    checks instants; raises :class:`BadRange`."""
    days = []
    for name, value in (("from", first), ("to", last)):
        if isinstance(value, str):
            value = _parse_instant(value[:10], name).date()
        if not isinstance(value, dt.date) or not EARLIEST.date() <= value < LATEST.date():
            raise BadRange("day_outside", name=f"range.{name}")
        days.append(value)
    if days[1] < days[0]:
        raise BadRange("order_days")
    return days[0], days[1]


DEFAULT_DAYS = {"consumption": 7, "analysis": 90}  # how many local days a page shows when its address names none


def opening_days(page: str, today: dt.date) -> tuple[str, str]:
    """The local days (first, last; both shown) a page opens on when its address names none: the consumption page's
    last week and the analysis page's last 90 days up to ``today``, and the tariff comparison's months from the first
    of the month a year before. What a page's date picker starts with and what the warming job computes ahead."""
    if page == "tariffs":
        return (today.replace(day=1) - dt.timedelta(days=365)).replace(day=1).isoformat(), today.isoformat()
    return (today - dt.timedelta(days=DEFAULT_DAYS.get(page, 7) - 1)).isoformat(), today.isoformat()


def span_of(start: str, end: str, utc_offset: int) -> tuple[dt.datetime, dt.datetime]:
    """The instants ``[start, end)`` a page's range stands for, in a zone ``utc_offset`` s east: a date is the local
    midnight that begins it, a last date includes its whole day, and ISO instants are taken as they are (an end
    instant is exclusive). Raises :class:`BadRange`."""
    last_day = len(end) == 10
    if last_day:
        last, _ = checked_days(end, end)
        end = (last + dt.timedelta(days=1)).isoformat()
    first, after = parse_range(start, end)
    shift = dt.timedelta(seconds=utc_offset)
    if len(start) == 10:  # a date means local midnight
        first -= shift
    if last_day:  # the whole last day is included: up to the next local midnight
        after -= shift
    return first, after


def local_day_bounds(start: dt.datetime, end: dt.datetime, utc_offset: int) -> tuple[dt.date, dt.date]:
    """The local days ``[first, last)`` that an instant range touches, for a zone ``utc_offset`` s east."""
    shift = dt.timedelta(seconds=utc_offset)
    first = (start + shift).date()
    local_end = end + shift
    last = local_end.date() if local_end.time() == dt.time(0) else local_end.date() + dt.timedelta(days=1)
    return first, last


def local_date(moment: dt.datetime, utc_offset: int) -> dt.date:
    """The calendar date at ``moment`` in a zone ``utc_offset`` seconds east of UTC."""
    return (moment + dt.timedelta(seconds=utc_offset)).date()


def query_bounds(
    granularity: Granularity | Step, start: dt.datetime, end: dt.datetime, utc_offset: int
) -> tuple[dt.date, dt.date]:
    """What to ask the store for: UTC instants, or local days for the day/week/month series."""
    return local_day_bounds(start, end, utc_offset) if granularity in LOCAL_STEPS else (start, end)


def with_gaps(frame: pd.DataFrame, granularity: Granularity | Step, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Reindex a series onto the full axis of its step: missing periods become NaN, never zero.

    ``start``/``end`` are what :func:`query_bounds` returned.
    """
    if granularity == "raw":
        return frame
    frame = frame.copy()
    if granularity in LOCAL_STEPS:
        frame["ts"] = pd.to_datetime(frame["ts"])
        first = pd.Timestamp(start)
        if granularity == "week":
            first -= pd.Timedelta(days=first.weekday())
        elif granularity == "month":
            first = first.replace(day=1)
        axis = pd.date_range(first, pd.Timestamp(end), freq=_FREQ[granularity], inclusive="left")
    else:
        frame["ts"] = pd.to_datetime(frame["ts"], utc=True)
        axis = pd.date_range(
            pd.Timestamp(start).floor(_FREQ[granularity]), pd.Timestamp(end), freq=_FREQ[granularity], inclusive="left"
        )
    if frame.empty:
        return pd.DataFrame({"ts": axis, **{c: float("nan") for c in frame.columns if c != "ts"}})
    return frame.set_index("ts").reindex(axis).rename_axis("ts").reset_index()


def power_kw(frame: pd.DataFrame) -> pd.Series:
    """Average power in each interval: kWh over the interval's hours."""
    return frame["value"] / (frame["interval_s"] / 3600.0)


def to_local(ts: pd.Series, timezone: str) -> pd.Series:
    return pd.to_datetime(ts, utc=True).dt.tz_convert(timezone).dt.tz_localize(None)
