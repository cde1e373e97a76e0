"""``wattboard review``: held readings and corrections from the command line; ``wattboard meters set-capacity``."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from typing import Any

import click

from i18n import say
from runtime.operator import operator_session


def _session() -> AbstractContextManager[tuple[Any, Any]]:
    return operator_session(role="operator")


@click.group()
def review() -> None:
    """Readings held as implausible, and partners' corrections."""


@review.command("list")
@click.option("--decided", is_flag=True, help="The decided readings instead of the waiting ones.")
def review_list(decided: bool) -> None:
    """The held readings (id, point, interval start in UTC, kWh, plausible limit, partner, reason)."""
    from review import held

    with _session() as (services, operator):
        rows = held.held_for_review(services, operator, None, decided=decided)
        for r in rows:
            at = dt.datetime.fromtimestamp(r.ts, dt.UTC).strftime("%Y-%m-%d %H:%M")
            state = f" {r.state} by {r.decided_by}" if decided else ""
            click.echo(f"{r.id}\t{r.code}\t{at}Z\t{r.value:.3f}\t≤{r.limit_kwh:.3f}\t{r.partner}\t{r.reason}{state}")
        click.echo(f"{len(rows)} {'decided' if decided else 'held'}")


@review.command("accept")
@click.argument("ids", nargs=-1, type=int, required=True)
def review_accept(ids: tuple[int, ...]) -> None:
    """Store these held readings after all."""
    from review import held

    with _session() as (services, operator):
        click.echo(f"accepted {held.accept(services, operator, list(ids))} of {len(ids)}")


@review.command("reject")
@click.argument("ids", nargs=-1, type=int, required=True)
def review_reject(ids: tuple[int, ...]) -> None:
    """Refuse these held readings (they go to the dead-letter topic)."""
    from review import held

    with _session() as (services, operator):
        click.echo(f"rejected {held.reject(services, operator, list(ids))} of {len(ids)}")


@review.command("corrections")
def review_corrections() -> None:
    """Corrections of the last 30 days: batch, point, local day, readings, kWh before → after."""
    from review import corrections

    with _session() as (services, operator):
        found = corrections.recent_corrections(services, operator, None)
        for c in found:
            click.echo(f"{c.batch}\t{c.code}\t{c.day}\t{c.rows}\t{c.old_kwh:.1f} → {c.new_kwh:.1f} kWh\t{c.share:.0%}")
        click.echo(f"{len(found)} corrected days")


@review.command("rollback")
@click.argument("batch")
def review_rollback(batch: str) -> None:
    """Put back what a batch replaced (as a new batch, which can be rolled back in turn)."""
    from review import corrections

    with _session() as (services, operator):
        restored = corrections.rollback(services, operator, batch)
        if not restored:
            raise click.ClickException(f"batch {batch} replaced nothing")
        click.echo(f"restored {restored} readings replaced by {batch}")


@click.group()
def meters() -> None:
    """Metering points."""


@meters.command("set-capacity")
@click.argument("code")
@click.argument("kw", type=float, required=False)
@click.option("--unknown", is_flag=True, help="Forget the capacity.")
def set_capacity(code: str, kw: float | None, unknown: bool) -> None:
    """The connection's capacity in kW: a reading above what it can deliver is held for review."""
    from review.held import set_capacity as change_capacity

    if kw is None and not unknown:
        raise click.UsageError("give the capacity in kW, or --unknown")
    with _session() as (services, operator):
        try:
            before = change_capacity(services, operator, code, None if unknown else kw)
        except LookupError:
            raise click.ClickException(f"no metering point {code}") from None
        except ValueError as exc:
            raise click.ClickException(say(exc)) from None
        click.echo(
            f"{code}: capacity {before if before is not None else 'unknown'} → {kw if not unknown else 'unknown'} kW"
        )
