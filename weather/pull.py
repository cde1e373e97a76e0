"""Pulling the weather on a schedule, and reading it back for a point's forecast and charts."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import pandas as pd

from auth.principal import AccessDenied, Principal
from caching.answers import cached, everything_changed
from data.clickhouse import weather as store_weather
from data.relational.meters import MeterInfo, list_meters
from data.services import Services
from weather.openmeteo import WeatherUnavailable, fetch_hourly
from weather.places import Place, place_of

log = logging.getLogger(__name__)
PAST_DAYS = 3  # each pull refetches the last days: forecast hours become observed ones
FIRST_PAST_DAYS = 92  # a place seen for the first time gets the history the forecast endpoint serves
FORECAST_DAYS = 9  # the forecast's week ahead from any local midnight, and a day to spare
STALE_AFTER = dt.timedelta(hours=3)  # a place not fetched for this long: the feed is dead for it
REFRESH_AFTER = dt.timedelta(minutes=55)  # the source updates hourly: a place fetched more recently is left alone


@dataclass
class PullSummary:
    places: int = 0
    hours: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # place name -> why


def place_of_meter(meter: MeterInfo) -> Place | None:
    return place_of(meter.latitude, meter.longitude, meter.address, meter.region)


def pull_weather(services: Services, now: dt.datetime | None = None) -> PullSummary:
    """Fetch every place that has a metering point and was not fetched within ``REFRESH_AFTER``: recent observed hours
    and the forecast, stored in ClickHouse. A place seen for the first time gets the last three months as well."""
    summary = PullSummary()
    if not services.weather_url:
        return summary
    now = now or dt.datetime.now(dt.UTC)
    places = {p.key: p for m in list_meters(services.db, None) if (p := place_of_meter(m)) is not None}
    stored = store_weather.freshness(services.store) if places else pd.DataFrame({"place": [], "fetched_at": []})
    fetched = {str(p): _utc(f) for p, f in zip(stored["place"], stored["fetched_at"], strict=True)}
    for key, place in sorted(places.items()):
        if key in fetched and now - fetched[key] < REFRESH_AFTER:
            continue
        past = PAST_DAYS if key in fetched else FIRST_PAST_DAYS
        try:
            hours = fetch_hourly(services.weather_url, place, past_days=past, forecast_days=FORECAST_DAYS)
        except WeatherUnavailable as exc:
            summary.failed[place.name] = str(exc)
            store_weather.note_failure(services.redis, key, str(exc))
            log.warning("weather for %s: %s", place.name, exc)
            continue
        store_weather.note_failure(services.redis, key, None)
        summary.places += 1
        summary.hours += store_weather.store_temperatures(services.store, key, hours, now)
    if summary.hours:
        everything_changed(services)  # temperatures are no organization's: every answer may have shown them
    return summary


def hourly_temperatures(services: Services, place: Place, start: dt.datetime, end: dt.datetime) -> pd.DataFrame:
    """``ts`` (UTC) and ``temperature`` of ``place`` over ``[start, end)``; empty when nothing is stored. Shared by
    every web worker until a pull stores new hours (every chart of consumption asks it)."""
    return cached(
        services,
        "hourly temperatures",
        (),
        (place.key, start, end),
        lambda: store_weather.temperatures(services.store, place.key, start, end),
    )


@dataclass(frozen=True)
class Freshness:
    place: str  # the place's key ("lat,lon")
    name: str  # what the points there call it: a settlement, or the coordinates
    fetched_at: dt.datetime | None  # None: never fetched
    last_hour: dt.datetime | None
    hours: int
    stale: bool
    failure: str | None = None  # why the last fetch failed, if it did


def freshness(
    services: Services, now: dt.datetime | None = None, meters: list[MeterInfo] | None = None
) -> list[Freshness]:
    """Per place that has metering points: when it was last fetched and how far ahead it is known; stale after
    ``STALE_AFTER``. A place never fetched is listed too: stale once a fetch of it has failed, waiting until then."""
    now = now or dt.datetime.now(dt.UTC)
    frame = store_weather.freshness(services.store)
    every = meters if meters is not None else list_meters(services.db, None)  # the caller's list, when it has one
    names = {p.key: p.name for m in every if (p := place_of_meter(m)) is not None}
    out = []
    for row in frame.itertuples(index=False):
        place = str(row.place)
        if place not in names:
            continue  # no point is there any more: it is not fetched, and its age says nothing
        fetched, last = _utc(row.fetched_at), _utc(row.last_hour)
        reason = store_weather.last_failure(services.redis, place)
        stale = now - fetched > STALE_AFTER
        out.append(Freshness(place, names.get(place, place), fetched, last, int(row.hours), stale, reason))
    for place in sorted(set(names) - {f.place for f in out}):
        reason = store_weather.last_failure(services.redis, place)
        out.append(Freshness(place, names[place], None, None, 0, reason is not None, reason))
    return out


def source_status(services: Services, principal: Principal, now: dt.datetime | None = None) -> list[Freshness]:
    """The weather source's freshness per place, for the staff (anyone else: :class:`AccessDenied`)."""
    if not principal.sees_all_organizations:
        raise AccessDenied("the weather source's state is for the staff")
    return freshness(services, now)


def _utc(value: object) -> dt.datetime:
    stamp = pd.Timestamp(value)
    return (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")).to_pydatetime()
