"""Consumption page: the point/group choice, live power patched in place, the archive chart and its exports."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, Patch, State, ctx, html, no_update

from analytics.business import pricing_facts
from analytics.consumption import change, corrected, shared_consumption, shared_live
from analytics.series import LOCAL_STEPS, STEPS, power_kw, to_local
from analytics.tariffs import PLAN_ZONES
from analytics.timezones import zone_label
from auth.access import MeterNotFound, meter_for
from auth.principal import Principal
from context.guard import signed_in
from context.services import services
from dashboard import figures
from dashboard.callback_set import CallbackSet
from dashboard.components import card, export_href
from dashboard.first_run import reading_form
from dashboard.formatting import kwh, moment, number, percent, roubles
from dashboard.ids import consumption as ids
from dashboard.ids import shell as shell_ids
from dashboard.pickers import register_meter_picker
from dashboard.pricing_notes import money_suffix, notes, priced
from dashboard.shared_answer import shared
from dashboard.view_state import NothingToShow, ViewState, resolve
from i18n import current_language, say, t
from manual.actions import manual_points_among
from pricing.book import price_book
from weather.views import temperature_of_points

LIVE_WINDOW = dt.timedelta(minutes=15)
HALF_HOURS_AT_MOST = dt.timedelta(days=62)  # 30-minute steps come from raw readings: longer ranges go hourly
COMPARE_COLORS = {"previous": figures.GREY, "year": figures.AMBER}


def archive_figure(frame: pd.DataFrame, compared: dict, step: str, plan: str, points: int) -> dict:
    x = figures.stamps(frame["ts"])
    y = figures.values(frame["value"])
    name = t("selection.points").format(n=points) if points > 1 else t("consumption.kwh")
    data = [figures.bar(x, y, name) if step in LOCAL_STEPS else figures.line(x, y, name)]
    for kind, other in compared.items():
        data.append(
            figures.line(x, figures.values(other["value"]), t(f"compare.{kind}"), COMPARE_COLORS[kind], line_dash="dot")
        )
    fixed = corrected(frame)
    if not fixed.empty:
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": figures.stamps(fixed["ts"]),
                "y": figures.values(fixed["value"]),
                "name": t("consumption.corrected"),
                "marker": {"color": figures.RED, "symbol": "diamond-open", "size": 9},
            }
        )
    shapes = []
    if step not in LOCAL_STEPS:
        first, last = pd.Timestamp(frame["ts"].iloc[0]), pd.Timestamp(frame["ts"].iloc[-1])
        shapes = figures.zone_shapes(plan, first.to_pydatetime(), last.to_pydatetime() + dt.timedelta(hours=1))
        if shapes:
            data.extend(figures.zone_legend(plan))
    hover = "%d.%m.%Y" if step in LOCAL_STEPS else "%d.%m.%Y %H:%M"
    return {
        "data": data,
        "layout": figures.time_layout(t("consumption.kwh"), hover, shapes=shapes, barmode="overlay"),
    }


callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds

register_meter_picker(callbacks, ids.SELECTION)


@callbacks.callback(
    output={
        "figure": Output(ids.ARCHIVE, "figure"),
        "total": Output(ids.TOTAL, "children"),
        "cost": Output(ids.COST, "children"),
        "compared": Output(ids.COMPARED, "children"),
        "message": Output(ids.MESSAGE, "children"),
        "search": Output(ids.URL, "search"),
        "csv": Output(ids.EXPORT.csv, "href"),
        "xlsx": Output(ids.EXPORT.xlsx, "href"),
        "espi": Output(ids.EXPORT.espi, "href"),
        "espi_style": Output(ids.EXPORT.espi, "style"),
        "manual": Output(ids.MANUAL, "children"),
    },
    inputs=[
        Input(ids.METER, "value"),
        Input(ids.RANGE, "start_date"),
        Input(ids.RANGE, "end_date"),
        Input(ids.STEP, "value"),
        Input(ids.COMPARE, "value"),
        State(shell_ids.ORG_SWITCH, "value"),
    ],
)
@signed_in()
@shared("consumption.page")
def page(principal, codes, start_date, end_date, step, compare, org):
    """The archive chart with its totals and, when the points change (as the page opens), the cards of points read by
    hand: one request, not two (the cards do not depend on the range, and a reading half typed in one stays)."""
    manual = _manual_periods(principal, codes) if ctx.triggered_id in (None, ids.METER) else no_update
    step = step if step in STEPS else "hour"  # what the picker offers; anything else is read as hours
    return _archive(principal, codes, start_date, end_date, step, compare, org) | {"manual": manual}


def _archive(principal, codes, start_date, end_date, step, compare, org) -> dict[str, Any]:
    state = ViewState(tuple(codes or ()), org, start_date or "", end_date or "", step, tuple(compare or ()))
    nothing = {"figure": figures.empty(t("consumption.kwh")), "total": "", "cost": "", "compared": ""}
    svc = services()
    no_links = {"search": no_update, "csv": "#", "xlsx": "#", "espi": "#", "espi_style": {"display": "none"}}
    try:
        chosen = resolve(svc.db, principal, state)
    except (MeterNotFound, NothingToShow):
        return nothing | no_links | {"message": t("consumption.no_meter")}
    except ValueError as exc:
        return nothing | no_links | {"message": say(exc)}
    query = state.query()
    note = ""
    if step == "30min" and chosen.end - chosen.start > HALF_HOURS_AT_MOST:
        step, note = "hour", t("consumption.half_hours_limit").format(days=HALF_HOURS_AT_MOST.days)
    book = price_book(svc.db)
    result = shared_consumption(svc, chosen.meters, chosen.start, chosen.end, step, book, state.compare)
    facts = pricing_facts(chosen.meters, book, chosen.end.date())
    espi, espi_style = _green_button(chosen)
    links = {
        "search": "?" + query,
        "csv": export_href("consumption", "csv", query),
        "xlsx": export_href("consumption", "xlsx", query),
        "espi": espi,
        "espi_style": espi_style,
    }
    frame = result.frame
    if frame.empty or frame["value"].isna().all():
        return nothing | links | {"message": t("consumption.no_data")}
    lead = chosen.meters[0]
    figure = archive_figure(frame, result.compared, step, lead.tariff_plan, len(chosen.meters))
    temperature = temperature_of_points(svc, chosen.meters, frame["ts"], step)
    figure = figures.with_temperature(figure, figures.stamps(frame["ts"]), temperature, t("weather.temperature"))
    compared = " · ".join(
        f"{t(f'compare.{kind}')}: {kwh(value)} ({percent(change(result.total_kwh, value))})"
        for kind, value in result.compared_kwh.items()
    )
    return links | {
        "figure": figure,
        "total": f"{t('consumption.total')}: {kwh(result.total_kwh)}",
        "cost": priced(f"≈ {roubles(result.cost_rub)}{money_suffix(facts)}", notes(facts)),
        "compared": compared,
        "message": note,
    }


def _green_button(chosen) -> tuple[str, dict[str, str]]:
    """One point's readings over the chosen local days as Green Button XML (the REST API's ``format=espi``)."""
    if len(chosen.meters) != 1:
        return "#", {"display": "none"}
    meter = chosen.meters[0]
    query = urlencode({"format": "espi", "from": chosen.start.isoformat(), "to": chosen.end.isoformat()})
    return f"/api/v1/meters/{quote(meter.code, safe='')}/readings?{query}", {}


@callbacks.callback(
    Output(ids.LIVE, "figure"),
    Output(ids.LIVE_CURSOR, "data"),
    Output(ids.LIVE_LAST, "children"),
    Input(ids.METER, "value"),
    Input(ids.LIVE_TICK, "n_intervals"),
    State(ids.LIVE_CURSOR, "data"),
)
@signed_in()
def live(principal, codes, _ticks, cursor):
    code = (codes or [None])[0]
    if not code:
        return figures.empty(t("consumption.kw")), None, t("consumption.live_pick")
    svc = services()
    try:
        meter = meter_for(svc.db, principal, code)
    except MeterNotFound:
        return figures.empty(t("consumption.kw")), None, t("consumption.no_meter")
    redraw = ctx.triggered_id != ids.LIVE_TICK or not cursor or cursor.get("meter") != code
    window = (dt.datetime.now(dt.UTC) - LIVE_WINDOW).replace(second=0, microsecond=0)
    live = shared_live(svc, meter, window if redraw else dt.datetime.fromisoformat(cursor["ts"]))
    frame = live.readings
    if frame.empty:
        if redraw:  # no cursor: the next tick draws afresh once readings come
            last = live.last  # a partner that delivers by the half hour, a silent meter
            message = t("consumption.live_none")
            if last is not None:
                message = t("consumption.live_since").format(when=moment(last, meter.timezone, named=True))
            return figures.empty(message=message), None, ""
        return no_update, no_update, no_update
    x = [ts.isoformat() for ts in to_local(frame["ts"], meter.timezone)]
    y = power_kw(frame).round(3).tolist()
    last_ts = pd.Timestamp(frame["ts"].iloc[-1]).to_pydatetime()
    new_cursor = {"meter": code, "ts": last_ts.isoformat()}
    local = pd.Timestamp(x[-1])
    zone = zone_label(meter.timezone, current_language(), last_ts)
    when = f"{local:%d.%m.%Y %H:%M}, {zone}"
    label = f"{meter.code} · {t('consumption.last')}: {when} · {number(y[-1], 2)} {t('consumption.kw')}"
    if redraw:
        figure = {"data": [figures.line(x, y, meter.code)], "layout": figures.time_layout(t("consumption.kw"))}
        return figure, new_cursor, label
    patch = Patch()
    patch["data"][0]["x"].extend(x)
    patch["data"][0]["y"].extend(y)
    return patch, new_cursor, label


def _manual_periods(principal: Principal, codes: list[str] | None) -> list | None:
    """A point read by hand shows what its readings say: kWh per zone and roubles between consecutive readings —
    coarse, as the readings are, and never spread into hours."""
    try:
        points = manual_points_among(services(), principal, [str(c) for c in (codes or [])])
    except MeterNotFound:
        return None
    if not points:
        return None
    lang = current_language()
    cards = []
    for point in points:
        zone = point.meter.timezone
        zones = list(PLAN_ZONES.get(point.meter.tariff_plan, ("single",)))
        head = html.Thead(
            html.Tr(
                [html.Th(t("manual.period")), *[html.Th(t(f"zone.{z}")) for z in zones],
                 html.Th(t("manual.total")), html.Th(t("manual.cost"))]
            )
        )  # fmt: skip
        rows = [
            html.Tr(
                [
                    html.Td(f"{_day(p.period.start, zone)} – {_day(p.period.end, zone)}"),
                    *[html.Td(kwh(p.period.kwh.get(z))) for z in zones],
                    html.Td(kwh(p.period.total), className="fw-semibold"),
                    html.Td(roubles(p.rub) if p.rub is not None else "—"),
                ]
            )
            for p in reversed(point.periods)
        ]
        body = (
            dbc.Table(
                [head, html.Tbody(rows)], size="sm", hover=True, responsive=True, id=f"cons-manual-{point.meter.code}"
            )
            if rows
            else html.P(t("manual.one_reading") if point.readings else t("manual.no_readings"), className="text-muted")
        )
        title = t("manual.title").format(code=point.meter.code, zone=zone_label(zone, lang))
        entry = [reading_form(point.meter)] if principal.role == "consumer" else []  # operators read only
        cards.append(card(title, [html.P(t("manual.hint"), className="small text-muted"), body, *entry]))
    return cards


def _day(moment_: dt.datetime, zone: str) -> str:
    return moment_.astimezone(ZoneInfo(zone)).strftime("%d.%m.%Y")
