"""Consumption page: metering-point choice, live power (patched in place) and the archive chart."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlencode

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, Patch, State, ctx, no_update
from flask import current_app

from analytics.series import parse_range, power_kw, query_bounds, to_local, with_gaps
from auth.access import MeterNotFound, meter_for, visible_meters
from auth.guard import signed_in
from dashboard.i18n import t
from data.readings import readings_since, series

LIVE_WINDOW = dt.timedelta(minutes=15)
RAW_MAX_DAYS = 31


def _services():  # type: ignore[no-untyped-def]
    return current_app.extensions["wattboard"]


def _figure(kind: str, x: list, y: list, unit: str, name: str) -> go.Figure:
    trace = (
        go.Bar(x=x, y=y, name=name, marker_color="#2a7ab0")
        if kind == "bar"
        else go.Scatter(x=x, y=y, name=name, mode="lines", line={"color": "#2a7ab0", "width": 1.6}, connectgaps=False)
    )
    fig = go.Figure(trace)
    fig.update_layout(
        margin={"l": 50, "r": 10, "t": 10, "b": 40},
        yaxis_title=unit,
        template="plotly_white",
        uirevision="keep",
        separators=", ",
    )
    return fig


def register(app: dash.Dash) -> None:
    @app.callback(
        Output("cons-meter", "options"),
        Output("cons-meter", "value"),
        Input("cons-url", "pathname"),
        State("cons-url", "search"),
    )
    @signed_in()
    def meter_options(principal, _path, search):  # type: ignore[no-untyped-def]
        # The dropdown drops a value it has no option for yet, so the wish is read from the URL.
        wanted = parse_qs((search or "").lstrip("?")).get("meter", [None])[0]
        meters = visible_meters(_services().db, principal)
        options = [{"label": f"{m.code} — {m.name}", "value": m.code} for m in meters]
        codes = {m.code for m in meters}
        value = wanted if wanted in codes else (meters[0].code if meters and not wanted else None)
        return options, value

    @app.callback(
        Output("cons-archive", "figure"),
        Output("cons-total", "children"),
        Output("cons-message", "children"),
        Output("cons-url", "search"),
        Input("cons-meter", "value"),
        Input("cons-range", "start_date"),
        Input("cons-range", "end_date"),
        Input("cons-step", "value"),
    )
    @signed_in()
    def archive(principal, code, start_date, end_date, step):  # type: ignore[no-untyped-def]
        empty = _figure("line", [], [], t("consumption.kwh"), "")
        if not code:
            return empty, "", t("consumption.no_meter"), no_update
        services = _services()
        try:
            meter = meter_for(services.db, principal, code)
            start, end = parse_range(start_date, end_date)
        except MeterNotFound:
            return empty, "", t("consumption.no_meter"), no_update
        except ValueError as exc:
            return empty, "", str(exc), no_update
        search = "?" + urlencode({"meter": code, "from": start_date, "to": end_date, "step": step})
        if step == "raw" and end - start > dt.timedelta(days=RAW_MAX_DAYS):
            step = "hour"
        lo, hi = query_bounds(step, start, end, meter.utc_offset)
        frame = with_gaps(series(services.store, meter.id, lo, hi, step), step, lo, hi)
        if frame.empty or frame["value"].isna().all():
            return empty, "", t("consumption.no_data"), search
        x = frame["ts"] if step == "day" else to_local(frame["ts"], meter.timezone)
        fig = _figure(
            "bar" if step == "day" else "line",
            list(x),
            frame["value"].round(4).tolist(),
            t("consumption.kwh"),
            meter.code,
        )
        total = f"{t('consumption.total')}: {frame['value'].sum():,.1f} {t('consumption.kwh')}".replace(",", " ")
        return fig, total, "", search

    @app.callback(
        Output("cons-live", "figure"),
        Output("cons-live-cursor", "data"),
        Output("cons-live-last", "children"),
        Input("cons-meter", "value"),
        Input("cons-live-tick", "n_intervals"),
        State("cons-live-cursor", "data"),
    )
    @signed_in()
    def live(principal, code, _ticks, cursor):  # type: ignore[no-untyped-def]
        if not code:
            return _figure("line", [], [], t("consumption.kw"), ""), None, ""
        services = _services()
        try:
            meter = meter_for(services.db, principal, code)
        except MeterNotFound:
            return _figure("line", [], [], t("consumption.kw"), ""), None, t("consumption.no_meter")
        redraw = ctx.triggered_id != "cons-live-tick" or not cursor or cursor.get("meter") != code
        since = dt.datetime.now(dt.UTC) - LIVE_WINDOW if redraw else dt.datetime.fromisoformat(cursor["ts"])
        frame = readings_since(services.store, meter.id, since)
        if frame.empty:
            if redraw:
                return (
                    _figure("line", [], [], t("consumption.kw"), meter.code),
                    {"meter": code, "ts": since.isoformat()},
                    "",
                )
            return no_update, no_update, no_update
        x = [ts.isoformat() for ts in to_local(frame["ts"], meter.timezone)]
        y = power_kw(frame).round(3).tolist()
        last_ts = pd.Timestamp(frame["ts"].iloc[-1]).to_pydatetime()
        new_cursor = {"meter": code, "ts": last_ts.isoformat()}
        label = f"{t('consumption.last')}: {x[-1].replace('T', ' ')} · {y[-1]:.2f} {t('consumption.kw')}"
        if redraw:
            return _figure("line", x, y, t("consumption.kw"), meter.code), new_cursor, label
        patch = Patch()
        patch["data"][0]["x"].extend(x)
        patch["data"][0]["y"].extend(y)
        return patch, new_cursor, label
