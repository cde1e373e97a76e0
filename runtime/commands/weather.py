"""``wattboard weather``: fetch the weather now, show its freshness; ``wattboard meters set-place``: a point's
coordinates."""

from __future__ import annotations

import click

from i18n import say
from runtime.operator import operator_session


@click.group()
def weather() -> None:
    """The weather source (WATTBOARD_WEATHER_URL): hourly temperatures per place."""


@weather.command("pull")
def weather_pull() -> None:
    """Fetch every place that was not fetched within the hour, now."""
    from weather.pull import pull_weather

    with operator_session(role="admin") as (services, _admin):
        if not services.weather_url:
            raise click.ClickException("no weather source: set WATTBOARD_WEATHER_URL")
        summary = pull_weather(services)
        click.echo(f"{summary.places} places fetched, {summary.hours} hours stored")
        for name, why in summary.failed.items():
            click.echo(f"{name}: {why}", err=True)
        if summary.failed:
            raise SystemExit(1)


@weather.command("status")
def weather_status() -> None:
    """Per place: the last fetch, the furthest hour known, the hours stored, stale or fresh."""
    from weather.pull import source_status

    with operator_session(role="admin") as (services, admin):
        for fresh in source_status(services, admin):
            state = "STALE" if fresh.stale else "fresh" if fresh.fetched_at else "waiting"
            fetched = f"{fresh.fetched_at:%Y-%m-%d %H:%M} UTC" if fresh.fetched_at else "never"
            until = f"{fresh.last_hour:%Y-%m-%d %H:%M} UTC" if fresh.last_hour else "—"
            failure = f" ({fresh.failure})" if fresh.failure else ""
            click.echo(f"{fresh.name:24} {fresh.place:14} fetched {fetched}, known until {until}, {fresh.hours} h, "
                       f"{state}{failure}")  # fmt: skip


@click.command("set-place")
@click.argument("code")
@click.argument("latitude", type=float, required=False)
@click.argument("longitude", type=float, required=False)
@click.option("--clear", is_flag=True, help="Forget the coordinates: the address's settlement is used again.")
def set_place(code: str, latitude: float | None, longitude: float | None, clear: bool) -> None:
    """A point's coordinates for its weather (degrees, e.g. 56.84 60.61), audited."""
    from auth.access import MeterNotFound
    from weather.location import set_point_place

    if clear == (latitude is not None or longitude is not None):
        raise click.UsageError("give LATITUDE LONGITUDE, or --clear")
    with operator_session(role="admin") as (services, admin):
        try:
            place = set_point_place(services, admin, code, latitude, longitude)
        except MeterNotFound:
            raise click.ClickException(f"no metering point {code}") from None
        except ValueError as exc:
            raise click.ClickException(say(exc)) from None
        click.echo(f"{code}: weather from {place.name} ({place.key})" if place else f"{code}: no place known")
