"""Forecast page: the stored forecast of a point or an organization, the month-end projection, recomputing on demand."""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import parse_qs

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, html, no_update

from analytics.business import pricing_facts
from auth.access import MeterNotFound, meter_for, visible_meters
from auth.guard import signed_in
from auth.principal import AccessDenied
from dashboard import figures
from dashboard.callback_set import CallbackSet
from dashboard.components import export_href
from dashboard.formatting import kwh, moment, number, roubles
from dashboard.i18n import t
from dashboard.pricing_notes import money_suffix, notes
from dashboard.services import services
from dashboard.view_state import ViewState
from forecasting.actions import ForecastView, NothingToForecast, forecast_view, recompute, run_status
from forecasting.projection import Projection
from pricing.book import price_book

BAND_FILL = "rgba(42, 122, 176, 0.32)"  # visible at a glance: users did not see a lighter band
EDGE_LINE = {"color": "rgba(42, 122, 176, 0.55)", "width": 0.8}  # thin edges mark where the 80 % range ends


@signed_in()
def subject_options(principal, _path, org, search):
    """Every point the caller may see; the URL's point, or none (the organization's total)."""
    meters = visible_meters(services().db, principal, org)
    options = [{"label": f"{m.code} — {m.name}", "value": m.code} for m in meters]
    wanted = (parse_qs((search or "").lstrip("?")).get("meter") or [""])[0]
    if wanted and wanted not in {m.code for m in meters}:
        options.append({"label": f"{wanted} — {t('consumption.unavailable')}", "value": wanted, "disabled": True})
    return options, wanted or None


@signed_in()
def forecast_page(principal, code, org, _finished):
    svc = services()
    state = ViewState((code,) if code else (), org)
    query = state.query()
    links = tuple(export_href(view, fmt, query) for view in ("forecast", "forecast_days") for fmt in ("csv", "xlsx"))
    def blank(why: str) -> tuple:
        """No axes from −1 to 6 around nothing: the chart says what to do instead."""
        return ("", figures.empty(t("consumption.kwh"), why), "—", "", "—", "", "—", "", "—", "", "", "")

    try:
        view = forecast_view(svc, principal, code=code, organization_id=org)
    except MeterNotFound:
        return (*blank(t("consumption.no_meter")), t("consumption.no_meter"), no_update, *["#"] * 4)
    except NothingToForecast:
        return (*blank(t("forecast.pick_org")), t("forecast.pick_org"), no_update, *["#"] * 4)
    message = _message(view)
    facts = pricing_facts(view.subject.meters, price_book(svc.db), dt.date.today())
    kwh_kpi, rub_kpi, budget_kpi = _projection_kpis(view.projection, money_suffix(facts), notes(facts))
    return (
        view.title,
        figure(view),
        *kwh_kpi,
        *rub_kpi,
        *budget_kpi,
        *_accuracy(view),
        _days_table(view),
        _model_info(view),
        message,
        "?" + query,
        *links,
    )


@signed_in("admin", "operator")
def start_recompute(principal, _clicks, code, org):
    try:
        recompute(services(), principal, org, code)
    except (MeterNotFound, NothingToForecast):
        return {"error": t("forecast.pick_org"), "at": time.time()}
    except AccessDenied:
        return no_update
    return {"at": time.time()}


@signed_in("admin", "operator")
def run_progress(principal, _ticks, started, _path, org, code):
    """The organization's newest run: a bar while it goes (also after a reload), and a signal when it ends."""
    if started and started.get("error"):
        return 0, "mt-1 d-none", started["error"], True, no_update
    svc = services()
    organization = org
    if code:
        try:
            organization = meter_for(svc.db, principal, code).organization_id
        except MeterNotFound:
            return 0, "mt-1 d-none", "", True, no_update
    run = run_status(svc, principal, organization) if organization is not None else None
    if run is None:
        return 0, "mt-1 d-none", "", True, no_update
    counted = run.done + run.failed
    failed = f" · {t('forecast.progress_failed').format(failed=run.failed)}" if run.failed else ""
    if run.finished:
        text = t("forecast.progress_done").format(done=run.done, total=run.total) + failed
        return 100, "mt-1 d-none", text, True, run.key
    text = t("forecast.progress").format(done=counted, total=run.total) + failed
    return round(run.share * 100), "mt-1", text, False, no_update


def figure(view: ForecastView) -> dict:
    band = view.band
    x_band: object = figures.stamps(band["ts"]) if not band.empty else []
    data = []
    if not band.empty:
        data += [
            figures.line(
                x_band, figures.values(band["upper"]), t("forecast.band"), showlegend=False, line=EDGE_LINE
            ),
            {
                **figures.line(x_band, figures.values(band["lower"]), t("forecast.band"), line=EDGE_LINE),
                "fill": "tonexty",
                "fillcolor": BAND_FILL,
            },
            figures.line(x_band, figures.values(band["value"]), t("forecast.central"), figures.BLUE, line_dash="dot"),
        ]
    if not view.actual.empty:
        data.append(
            figures.line(
                figures.stamps(view.actual["ts"]), figures.values(view.actual["value"]), t("forecast.actual"), "#222"
            )
        )
    now = pd.Timestamp(dt.datetime.now(dt.UTC)).tz_convert(view.subject.timezone).tz_localize(None)
    shapes = [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": now.isoformat(),
            "x1": now.isoformat(),
            "y0": 0,
            "y1": 1,
            "line": {"color": figures.GREY, "dash": "dash", "width": 1},
        }
    ]
    drawn = {"data": data, "layout": figures.time_layout(t("consumption.kwh"), shapes=shapes)}
    if view.temperature.empty:
        return drawn
    temps = view.temperature
    return figures.with_temperature(
        drawn, figures.stamps(temps["ts"]), figures.values(temps["temperature"]), t("weather.temperature")
    )


def _message(view: ForecastView) -> str:
    if view.run is None:
        return t("forecast.none")
    if view.run.status != "ok":
        return t("forecast.no_history").format(reason=view.run.message or "")
    return ""


def _projection_kpis(
    p: Projection | None, suffix: str = "", said: list[str] | None = None
) -> tuple[tuple, tuple, tuple]:
    if p is None:
        return ("—", ""), ("—", ""), ("—", "")
    kwh_range = t("forecast.range").format(low=number(p.kwh_low, 0), high=kwh(p.kwh_high))
    rub_range = t("forecast.range").format(low=number(p.rub_low, 0), high=roubles(p.rub_high) + suffix)
    so_far = t("forecast.so_far")
    kwh_kpi = (
        kwh(p.kwh),
        [html.Div(kwh_range), html.Div(so_far.format(value=kwh(p.so_far_kwh)), className="text-muted")],
    )
    rub_kpi = (
        roubles(p.rub) + suffix,
        [html.Div(rub_range), html.Div(so_far.format(value=roubles(p.so_far_rub)), className="text-muted")]
        + [html.Div(" ".join(said or []), className="small text-muted wb-price-note")] * bool(said),
    )
    if p.budget is None or p.budget_share is None:
        return kwh_kpi, rub_kpi, (t("forecast.no_budget"), "")
    amount = roubles(p.budget.amount) if p.budget.unit == "rub" else kwh(p.budget.amount)
    share = f"{number(p.budget_share * 100, 0)} %"
    verdict = t("forecast.over_budget") if p.over_budget else t("forecast.within_budget")
    color = "text-danger" if p.over_budget else "text-success"
    return (
        kwh_kpi,
        rub_kpi,
        (html.Span(verdict, className=color), t("forecast.budget_of").format(share=share, budget=amount)),
    )


def _accuracy(view: ForecastView) -> tuple[object, object]:
    run = view.run
    if run is None or run.status != "ok" or run.mape is None:
        return "—", ""
    sub = t("forecast.accuracy_sub").format(baseline=number(run.baseline_mape, 1)) if run.baseline_mape else ""
    return t("forecast.accuracy_value").format(mape=number(run.mape, 1)), [
        html.Div(t(f"model.{run.model}")),
        html.Div(sub, className="text-muted"),
    ]


def _days_table(view: ForecastView) -> object:
    if view.run is None or view.run.status != "ok":
        return ""
    table = view.month_days
    if table.empty:
        return html.Div(t("forecast.no_days"), className="text-muted small")
    head = html.Thead(
        html.Tr([html.Th(t(k)) for k in ("forecast.day", "forecast.kwh", "forecast.low", "forecast.high")])
    )
    rows = [
        html.Tr(
            [
                html.Td(day.strftime("%d.%m.%Y")),
                html.Td(number(value), className="text-end"),
                html.Td(number(low), className="text-end"),
                html.Td(number(high), className="text-end"),
            ]
        )
        for day, value, low, high in zip(table["day"], table["value"], table["lower"], table["upper"], strict=True)
    ]
    return dbc.Table([head, html.Tbody(rows)], size="sm", striped=True, id="fc-days-table", className="mb-0")


def _model_info(view: ForecastView) -> object:
    run = view.run
    if run is None or run.status != "ok":
        return ""
    zone = view.subject.timezone
    lines = [
        t("forecast.model_info").format(
            model=t(f"model.{run.model}"),
            version=run.model_version,
            start=moment(run.train_start, zone)[:10] if run.train_start else "—",
            end=moment(run.train_end, zone)[:10] if run.train_end else "—",
            fitted=moment(run.fitted_at, zone),
        )
    ]
    if run.coverage is not None:
        lines.append(t("forecast.coverage").format(coverage=f"{number(run.coverage * 100, 0)} %"))
    return [html.Div(line) for line in lines]


callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds

callbacks.callback(
    Output("fc-meter", "options"),
    Output("fc-meter", "value"),
    Input("fc-url", "pathname"),
    Input("org-switch", "value"),
    State("fc-url", "search"),
)(subject_options)
callbacks.callback(
    Output("fc-title", "children"),
    Output("fc-chart", "figure"),
    Output("fc-month-kwh", "children"),
    Output("fc-month-kwh-sub", "children"),
    Output("fc-month-rub", "children"),
    Output("fc-month-rub-sub", "children"),
    Output("fc-budget", "children"),
    Output("fc-budget-sub", "children"),
    Output("fc-accuracy", "children"),
    Output("fc-accuracy-sub", "children"),
    Output("fc-days", "children"),
    Output("fc-model-info", "children"),
    Output("fc-message", "children"),
    Output("fc-url", "search"),
    Output("fc-export-csv", "href"),
    Output("fc-export-xlsx", "href"),
    Output("fc-days-export-csv", "href"),
    Output("fc-days-export-xlsx", "href"),
    Input("fc-meter", "value"),
    Input("org-switch", "value"),
    Input("fc-run-finished", "data"),
)(forecast_page)
callbacks.callback(
    Output("fc-run-started", "data"),
    Input("fc-recompute", "n_clicks"),
    State("fc-meter", "value"),
    State("org-switch", "value"),
    prevent_initial_call=True,
)(start_recompute)
callbacks.callback(
    Output("fc-progress", "value"),
    Output("fc-progress", "className"),
    Output("fc-progress-text", "children"),
    Output("fc-poll", "disabled"),
    Output("fc-run-finished", "data"),
    Input("fc-poll", "n_intervals"),
    Input("fc-run-started", "data"),
    Input("fc-url", "pathname"),
    Input("org-switch", "value"),
    Input("fc-meter", "value"),
)(run_progress)

