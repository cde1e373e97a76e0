"""``wattboard forecast``: the rolling-origin backtest of the candidate models, and running the forecast job now."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import click

from config import load_settings
from i18n import say, t

if TYPE_CHECKING:  # the command imports the stores only when it runs
    from data.services import Services
    from forecasting.series import Series


@click.group()
def forecast() -> None:
    """Forecasts: backtest the models, run the forecast job now."""


@forecast.command("backtest")
@click.option("--meter", "code", default=None, help="A metering point's code: its stored hourly history.")
@click.option("--csv", "csv_path", type=click.Path(exists=True, dir_okay=False), default=None, help="ts,value file.")
@click.option("--horizon", type=int, default=48, show_default=True, help="Steps scored after each origin.")
@click.option("--folds", type=int, default=14, show_default=True, help="Origins scored (one per day).")
@click.option("--calibration", type=int, default=21, show_default=True, help="Earlier origins for the interval.")
@click.option("--refit-every", type=int, default=1, show_default=True, help="Fit Prophet again every N origins.")
@click.option(
    "--calendar",
    default="RU",
    show_default=True,
    help="Whose days off: RU (Russia's production calendar), none (weekends only), or a country (FR, US, AU-VIC).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of the table.")
def backtest(
    code: str | None,
    csv_path: str | None,
    horizon: int,
    folds: int,
    calibration: int,
    refit_every: int,
    calendar: str,
    as_json: bool,
) -> None:
    """Rolling day-ahead backtest of every candidate: MAPE, 80 % interval coverage, the baseline, the winner.

    The CSV has ``ts,value`` and may have a ``temperature`` column (°C): models that use the weather then use it,
    and days with unusual weather get wider intervals."""
    from forecasting import backtest as bt
    from forecasting.models import NotEnoughHistory
    from forecasting.series import BadSeries, from_csv

    if (code is None) == (csv_path is None):
        raise click.UsageError("give exactly one of --meter CODE or --csv FILE")
    if min(horizon, folds, calibration, refit_every) < 1:
        raise click.BadParameter("--horizon, --folds, --calibration and --refit-every must be at least 1")
    try:
        series = (
            from_csv(Path(csv_path).read_text(), _calendar(calendar))
            if csv_path
            else _meter_history(code or "", folds, calibration, horizon)
        )
        started = time.perf_counter()
        result = bt.run(series, folds=folds, calibration=calibration, horizon=horizon, refit_every=refit_every)
    except (BadSeries, NotEnoughHistory) as exc:
        raise click.ClickException(say(exc)) from None
    report = result.as_json() | {
        "series": {"start": str(series.start), "days": series.days, "step_s": series.step_s},
        "seconds": round(time.perf_counter() - started, 2),
    }
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    click.echo(f"{series.days} days every {series.step_s // 60} min; {folds} origins scored, horizon {horizon} steps")
    click.echo(f"{'model':24} {'MAPE, %':>8} {'vs naive':>9} {'80% covered':>12}")
    base = result.baseline_mape
    for name, score in result.scores.items():
        if score.mape is None:
            click.echo(f"{name:24} {'—':>8} {'':>9} {'':>12}  {score.error}")
            continue
        ratio = f"{score.mape / base:.2f}×" if base else "—"
        coverage = f"{score.coverage:.1%}" if score.coverage is not None else "—"
        mark = "  ← chosen" if name == result.chosen else ""
        click.echo(f"{name:24} {score.mape:8.3f} {ratio:>9} {coverage:>12}{mark}")
    click.echo(f"baseline (seasonal naive) MAPE {base:.3f} %; chosen: {result.chosen} ({t('model.' + result.chosen)})")


def _calendar(code: str) -> str | None:
    import holidays

    if code.lower() == "none":
        return None
    country, _, subdiv = code.upper().partition("-")
    supported = holidays.list_supported_countries()
    if country not in supported or (subdiv and subdiv not in supported[country]):
        raise click.BadParameter(f"unknown calendar {code}: RU, none, or a country code such as FR or AU-VIC")
    return code.upper()


def _meter_history(code: str, folds: int, calibration: int, horizon: int) -> Series:
    from data.relational.meters import meter_by_code
    from data.services import Services
    from forecasting.service import hourly_history, meter_subject

    services = Services(load_settings())
    try:
        meter = meter_by_code(services.db, code)
        if meter is None:
            raise click.ClickException(f"no metering point {code}")
        days = 14 + folds + calibration + -(-horizon // 24) + 21
        return hourly_history(services, meter_subject(meter), dt.datetime.now(dt.UTC), days)
    finally:
        services.close()


@forecast.command("run")
@click.option("--meter", "code", default=None, help="One metering point.")
@click.option("--org-inn", default=None, help="Every point of one organization, and its total.")
def run(code: str | None, org_inn: str | None) -> None:
    """Run the forecast job now. With a running Wattboard (or production workers) it is queued and followed;
    otherwise it runs here."""
    from data.queue import progress
    from data.relational.meters import meter_by_code, organization_by_inn
    from data.services import Services
    from forecasting import runs

    services = Services(load_settings())
    try:
        if code:
            meter = meter_by_code(services.db, code)
            if meter is None:
                raise click.ClickException(f"no metering point {code}")
            targets: list[tuple[int, list[int] | None]] = [(meter.organization_id, [meter.id])]
        elif org_inn:
            org_id = organization_by_inn(services.db, org_inn)
            if org_id is None:
                raise click.ClickException(f"no organization with INN {org_inn}")
            targets = [(org_id, None)]
        else:
            from data.relational.meters import list_organizations

            targets = [(org_id, None) for org_id, _ in list_organizations(services.db)]
        if services.redis_url and _redis_answers(services):
            for org_id, ids in targets:
                key = runs.start_run(services, org_id, ids, reason="command line")
                _follow(services, key, progress)
        else:
            for org_id, ids in targets:
                _run_here(services, org_id, ids)
    finally:
        services.close()


def _redis_answers(services: Services) -> bool:
    try:
        services.redis.ping()
        return True
    except Exception:
        return False


def _follow(services: Services, key: str, progress: ModuleType) -> None:
    """Print the run's progress line until it finishes (and say so when no worker seems to take the jobs)."""
    last, since, warned = -1, time.monotonic(), False
    while True:
        fields = progress.read(services.redis, key)
        done, failed, total = int(fields.get("done", 0)), int(fields.get("failed", 0)), int(fields.get("total", 0))
        _line(done, failed, total)
        if "finished" in fields:
            click.echo()
            break
        if done + failed != last:
            last, since = done + failed, time.monotonic()
        elif not warned and time.monotonic() - since > 60:
            click.echo(
                "\nno progress for a minute: is a worker running (`wattboard up` or `wattboard worker`)?", err=True
            )
            warned = True
        time.sleep(0.5)


def _run_here(services: Services, organization_id: int, meter_ids: list[int] | None) -> None:
    from data.relational.meters import list_meters
    from forecasting.service import forecast_subject, meter_subject, organization_subject

    meters = [m for m in list_meters(services.db, organization_id) if meter_ids is None or m.id in meter_ids]
    total, done, failed = len(meters) + 1, 0, 0
    for meter in meters:
        try:
            forecast_subject(services, meter_subject(meter))
            done += 1
        except Exception as exc:  # one point's failure does not stop the rest
            failed += 1
            click.echo(f"\n{meter.code}: {exc}", err=True)
        _line(done, failed, total)
    subject = organization_subject(services, organization_id)
    if subject is not None:
        forecast_subject(services, subject)
    _line(done + 1, failed, total)
    click.echo()


def _line(done: int, failed: int, total: int) -> None:
    failed_text = f", {failed} failed" if failed else ""
    sys.stdout.write(f"\rforecasts: {done + failed}/{total} done{failed_text}   ")
    sys.stdout.flush()
