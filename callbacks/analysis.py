"""Analysis page: profile charts and the weather chart for the chosen points and period (one callback), and the
month-over-month table."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
from dash import Input, Output, State, html, no_update

from analytics.analysis import shared_analysis, shared_monthly_table
from auth.access import MeterNotFound
from context.guard import signed_in
from context.services import services
from dashboard import figures
from dashboard.callback_set import CallbackSet
from dashboard.components import export_href
from dashboard.formatting import kwh, number, percent
from dashboard.ids import analysis as ids
from dashboard.ids import shell as shell_ids
from dashboard.pickers import register_meter_picker
from dashboard.plain import Element, el
from dashboard.shared_answer import shared
from dashboard.view_state import NothingToShow, Resolved, ViewState, chosen_meters, resolve
from i18n import say, t
from weather.views import WeatherDays, weather_days

CHARTS = tuple(ids.CHARTS)  # each chart downloads as the table of the same name (exports.tables.VIEWS)
DAYKIND_COLORS = {"weekday": figures.BLUE, "weekend": figures.AMBER, "holiday": figures.RED}


def _duration_figure(curve: pd.DataFrame) -> dict:
    data = [figures.line(curve["share"].round(3).tolist(), figures.values(curve["value"]), t("consumption.kw"))]
    layout = figures.layout(t("consumption.kw"), hovermode="closest")
    layout["xaxis"] = {"title": {"text": t("analysis.share_hours")}, "ticksuffix": " %"}
    return {"data": data, "layout": layout}


def _profiles_figure(table: pd.DataFrame) -> dict:
    hours = [f"{h:02d}:00" for h in table.index]
    data = [
        figures.line(hours, figures.values(table[kind]), t(f"daykind.{kind}"), DAYKIND_COLORS[kind])
        for kind in table.columns
        if not table[kind].isna().all()
    ]
    return {"data": data, "layout": figures.layout(t("consumption.kwh"))}


def _months_table(table: pd.DataFrame) -> Element:
    head = el(
        html.Thead,
        el(
            html.Tr,
            [el(html.Th, t(k)) for k in ("export.month", "export.kwh", "export.vs_previous", "export.vs_last_year")],
        ),
    )
    rows = [
        el(
            html.Tr,
            [
                el(
                    html.Td,
                    pd.Timestamp(r.ts).strftime("%m.%Y")
                    + ("" if pd.isna(r.days) or not r.days else f" (1–{int(r.days)})"),
                ),
                el(html.Td, number(None if pd.isna(r.value) else float(r.value)), className="text-end"),
                el(html.Td, percent(None if pd.isna(r.vs_previous) else float(r.vs_previous)), className="text-end"),
                el(html.Td, percent(None if pd.isna(r.vs_last_year) else float(r.vs_last_year)), className="text-end"),
            ],
        )
        for r in table.itertuples()
    ]
    note = el(html.Div, t("analysis.partial_note"), className="text-muted small", id=ids.MONTHS_NOTE)
    return el(
        html.Div, [el(dbc.Table, [head, el(html.Tbody, rows)], size="sm", responsive=True, id=ids.MONTHS_TABLE), note]
    )


callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds

register_meter_picker(callbacks, ids.SELECTION)

LINKS = {f"{name}_{fmt}": Output(getattr(ids.EXPORTS[name], fmt), "href") for name in CHARTS for fmt in ("csv", "xlsx")}


@callbacks.callback(
    output={
        "heatmap": Output(ids.HEATMAP, "figure"),
        "duration": Output(ids.DURATION, "figure"),
        "profiles": Output(ids.PROFILES, "figure"),
        "baseload": Output(ids.BASELOAD.value, "children"),
        "peak": Output(ids.PEAK.value, "children"),
        "load_factor": Output(ids.LOAD_FACTOR.value, "children"),
        "total": Output(ids.TOTAL.value, "children"),
        "message": Output(ids.MESSAGE, "children"),
        "search": Output(ids.URL, "search"),
        "weather": Output(ids.WEATHER, "figure"),
        "weather_note": Output(ids.WEATHER_NOTE, "children"),
        **LINKS,
    },
    inputs=[
        Input(ids.METER, "value"),
        Input(ids.RANGE, "start_date"),
        Input(ids.RANGE, "end_date"),
        State(shell_ids.ORG_SWITCH, "value"),
    ],
)
@signed_in()
@shared("analysis.charts")
def charts(principal, codes, start_date, end_date, org):
    """The profile charts and the weather chart of the chosen points and days, in one answer (they were two requests
    for the same points and days; the month table, which does not depend on the days, has its own)."""
    state = ViewState(tuple(codes or ()), org, start_date or "", end_date or "", "hour")
    svc = services()
    try:
        chosen = resolve(svc.db, principal, state)
    except (MeterNotFound, NothingToShow):
        chosen, problem = None, t("consumption.no_meter")
    except ValueError as exc:
        chosen, problem = None, say(exc)
    if chosen is None:
        nowhere = {"search": no_update, "weather": figures.empty(message=problem), "weather_note": ""}
        return _blank(problem) | nowhere | dict.fromkeys(LINKS, "#")
    return _charts(state, chosen) | _weather(chosen)


def _blank(message: str) -> dict[str, Any]:
    blank = figures.empty(t("consumption.kwh"))
    return {"heatmap": blank, "duration": blank, "profiles": blank, "baseload": "—", "peak": "—", "load_factor": "—",
            "total": "—", "message": message}  # fmt: skip


def _charts(state: ViewState, chosen: Resolved) -> dict[str, Any]:
    svc = services()
    query = state.query()
    links = {f"{view}_{fmt}": export_href(view, fmt, query) for view in CHARTS for fmt in ("csv", "xlsx")}
    result = shared_analysis(svc, chosen.meters, chosen.start, chosen.end)
    if result.hourly["value"].isna().all():
        return _blank(t("consumption.no_data")) | links | {"search": "?" + query}
    peak = result.peak
    peak_text = [
        f"{number(peak[0], 2)} {t('consumption.kw')}" if peak else "—",
        html.Div(peak[1].strftime("%d.%m.%Y %H:%M") if peak else "", className="small text-muted"),
    ]
    return {
        "heatmap": figures.heatmap(result.heatmap),
        "duration": _duration_figure(result.duration),
        "profiles": _profiles_figure(result.profiles),
        "baseload": f"{number(result.baseload_kw, 2)} {t('consumption.kw')}" if result.baseload_kw is not None else "—",
        "peak": peak_text,
        "load_factor": percent(result.load_factor).lstrip("+") if result.load_factor is not None else "—",
        "total": kwh(float(result.hourly["value"].sum())),
        "message": "",
        "search": "?" + query,
        **links,
    }


@callbacks.callback(
    Output(ids.MONTHS, "children"),
    Output(ids.MONTHS_EXPORT.csv, "href"),
    Output(ids.MONTHS_EXPORT.xlsx, "href"),
    Input(ids.METER, "value"),
    State(shell_ids.ORG_SWITCH, "value"),
)
@signed_in()
@shared("analysis.months")
def months(principal, codes, org):
    state = ViewState(tuple(codes or ()), org)
    svc = services()
    try:
        meters = chosen_meters(svc.db, principal, state)
    except (MeterNotFound, NothingToShow):
        return html.Div(t("consumption.no_meter"), className="text-muted"), "#", "#"
    table = shared_monthly_table(svc, meters, dt.datetime.now(dt.UTC))
    query = state.query()
    return _months_table(table), export_href("months", "csv", query), export_href("months", "xlsx", query)


def _weather(chosen: Resolved) -> dict[str, Any]:
    svc = services()
    result = weather_days(svc, chosen.meters, chosen.start, chosen.end)
    if not result.has_weather:
        return {"weather": figures.empty(message=t("analysis.weather_none")), "weather_note": ""}
    return {"weather": _weather_figure(result), "weather_note": _weather_note(result)}


def _weather_figure(result: WeatherDays) -> dict:
    days = result.days
    data = []
    kinds = ((False, t("daykind.weekday"), figures.BLUE), (True, t("analysis.days_off"), figures.AMBER))
    for off, name, color in kinds:
        part = days[days["off"] == off]
        if part.empty:
            continue
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": figures.values(part["temperature"]),
                "y": figures.values(part["value"]),
                "text": [pd.Timestamp(ts).strftime("%d.%m.%Y") for ts in part["ts"]],
                "name": name,
                "marker": {"color": color, "size": 7, "opacity": 0.8},
                "hovertemplate": "%{text}: %{x:.1f} °C, %{y:,.0f} " + t("consumption.kwh") + "<extra></extra>",
            }
        )
    if result.balance is not None:
        grid = np.linspace(float(days["temperature"].min()), float(days["temperature"].max()), 60)
        data.append(figures.line(grid.round(2), result.balance.predicted(grid).round(2), t("analysis.fitted"), "#222"))
    layout = figures.layout(t("analysis.kwh_day"), hovermode="closest")
    layout["xaxis"] = {"title": {"text": t("analysis.temperature_axis")}, "zeroline": True}
    return {"data": data, "layout": layout}


def _weather_note(result: WeatherDays) -> list:
    b = result.balance
    if b is None:
        return [html.Div(t("analysis.weather_weak"), className="text-muted")]
    total = float(result.days["value"].sum())
    lines = []
    if b.heating_base_c is not None:
        heating = "analysis.weather_heating_always" if b.heating_every_day else "analysis.weather_heating"
        lines.append(t(heating).format(base=number(b.heating_base_c, 1), slope=number(b.heating_kwh_per_degree, 1)))
        lines.append(
            t("analysis.weather_heating_total").format(
                hdd=number(b.heating_degree_days),
                base=number(b.heating_base_c, 1),
                kwh=kwh(b.heating_kwh),
                share=percent(b.heating_kwh / total if total else None).lstrip("+"),
            )
        )
    if b.cooling_base_c is not None:
        lines.append(t("analysis.weather_cooling").format(base=number(b.cooling_base_c, 1),
                                                          slope=number(b.cooling_kwh_per_degree, 1)))  # fmt: skip
        lines.append(t("analysis.weather_cooling_total").format(cdd=number(b.cooling_degree_days),
                                                                base=number(b.cooling_base_c, 1),
                                                                kwh=kwh(b.cooling_kwh)))  # fmt: skip
    lines.append(t("analysis.weather_fit").format(r2=percent(b.r2).lstrip("+"), days=b.days))
    return [html.Div(line, id=f"ana-weather-line-{i}") for i, line in enumerate(lines)]
