"""``wattboard prices``: businesses' published price levels from a supplier's file; ``wattboard meters
set-category``: a business point's price category and voltage level."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from i18n import say
from runtime.operator import operator_session


@click.group()
def prices() -> None:
    """Business price levels by price category (see docs/tariffs.md)."""


@prices.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", default="", help="Where the prices come from (the supplier's page, its date).")
@click.option("--demo", is_flag=True, help="Mark the prices as demo data (shown as such, never as published).")
def prices_import(file: Path, source: str, demo: bool) -> None:
    """Load a price file (CSV or XLSX): all of it as new versions of its months, or nothing and every problem."""
    from pricing.market import PriceFileRefused, import_prices

    with operator_session(role="admin") as (services, admin):
        try:
            done = import_prices(services, admin, file.read_bytes(), file.name, demo=demo, source=source)
        except PriceFileRefused as exc:
            for problem in exc.problems:
                click.echo(problem, err=True)
            raise click.ClickException(f"{file.name}: nothing loaded, {len(exc.problems)} problem(s)") from None
        months = ", ".join(m.strftime("%Y-%m") for m in done.months)
        click.echo(f"{done.rows} rows: {done.sheets} price sheets, {done.peaks} peak-hour tables ({months})")


@prices.command("template")
def prices_template() -> None:
    """Print a file to fill in (CSV, the header and one row of each kind)."""
    from pricing.market import template_csv

    sys.stdout.buffer.write(template_csv())


@click.command("set-category")
@click.argument("code")
@click.argument("category", type=click.IntRange(1, 6))
@click.option("--voltage", required=True, help="ВН, СН-I, СН-II or НН.")
@click.option("--max-power-kw", type=float, default=None, help="The maximum capacity of the point's devices, kW.")
def set_category(code: str, category: int, voltage: str, max_power_kw: float | None) -> None:
    """A business point's price category and voltage level (audited)."""
    from auth.access import MeterNotFound
    from pricing.market import set_point_category
    from pricing.price_file import voltage_of

    with operator_session(role="admin") as (services, admin):
        try:
            set_point_category(services, admin, code, category, voltage_of(voltage) or voltage, max_power_kw)
        except MeterNotFound:
            raise click.ClickException(f"no metering point {code}") from None
        except ValueError as exc:
            raise click.ClickException(say(exc)) from None
        click.echo(f"{code}: price category {category}, {voltage_of(voltage)}")
