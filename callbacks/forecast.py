"""Forecast page: the stored forecast of a point or an organization, the month-end projection, recomputing on demand."""

from __future__ import annotations

import datetime as dt
import time

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, html, no_update

from analytics.business import pricing_facts
from auth.access import MeterNotFound, meter_for
from auth.principal import AccessDenied
from context.guard import signed_in
from context.services import services
from context.today import reader_today
from dashboard import figures
from dashboard.callback_set import CallbackSet
from dashboard.components import export_href
from dashboard.formatting import kwh, moment, number, roubles
from dashboard.ids import forecast as ids
from dashboard.ids import shell as shell_ids
from dashboard.meter_choice import linked_point, one_point_choice
from dashboard.pickers import register_point_search
from dashboard.pricing_notes import money_suffix, notes
from dashboard.shared_answer import shared
from dashboard.view_state import ViewState
from forecasting.actions import ForecastView, NothingToForecast, forecast_view, recompute, run_status
from forecasting.projection import Projection
from i18n import t
from pricing.book import price_book

BAND_FILL = "rgba(42, 122, 176, 0.32)"  # visible at a glance: users did not see a lighter band
EDGE_LINE = {"color": "rgba(42, 122, 176, 0.55)", "width": 0.8}  # thin edges mark where the 80 % range ends


callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds
register_point_search(callbacks, ids.METER)


@callbacks.callback(
    Output(ids.METER, "options"),
    Output(ids.METER, "value"),
    Input(shell_ids.ORG_SWITCH, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,  # the page comes with its picker set (pages/forecast.py)
)
@signed_in()
def subject_options(principal, org, search):
    """A staff member switched organizations: its points, and the URL's point or none (the organization's total)."""
    return one_point_choice(principal, org, linked_point(search))


PAGE = {
    "title": Output(ids.TITLE, "children"),
    "chart": Output(ids.CHART, "figure"),
    "month_kwh": Output(ids.MONTH_KWH.value, "children"),
    "month_kwh_note": Output(ids.MONTH_KWH.sub, "children"),
    "month_rub": Output(ids.MONTH_RUB.value, "children"),
    "month_rub_note": Output(ids.MONTH_RUB.sub, "children"),
    "budget": Output(ids.BUDGET.value, "children"),
    "budget_note": Output(ids.BUDGET.sub, "children"),
    "accuracy": Output(ids.ACCURACY.value, "children"),
    "accuracy_note": Output(ids.ACCURACY.sub, "children"),
    "days": Output(ids.DAYS, "children"),
    "model": Output(ids.MODEL_INFO, "children"),
    "message": Output(ids.MESSAGE, "children"),
    "search": Output(ids.URL, "search"),
    "chart_csv": Output(ids.CHART_EXPORT.csv, "href"),
    "chart_xlsx": Output(ids.CHART_EXPORT.xlsx, "href"),
    "days_csv": Output(ids.DAYS_EXPORT.csv, "href"),
    "days_xlsx": Output(ids.DAYS_EXPORT.xlsx, "href"),
}
LINKS = {"chart_csv": ("forecast", "csv"), "chart_xlsx": ("forecast", "xlsx"),
         "days_csv": ("forecast_days", "csv"), "days_xlsx": ("forecast_days", "xlsx")}  # fmt: skip


@callbacks.callback(
    output=PAGE,
    inputs=[Input(ids.METER, "value"), Input(shell_ids.ORG_SWITCH, "value"), Input(ids.RUN_FINISHED, "data")],
)
@signed_in()
@shared("forecast.forecast_page")
def forecast_page(principal, code, org, _finished) -> dict[str, object]:
    svc = services()
    state = ViewState((code,) if code else (), org)
    query = state.query()

    def nothing(why: str) -> dict[str, object]:
        """No axes from −1 to 6 around nothing: the chart says what to do instead; no links to download."""
        dashes = dict.fromkeys(("month_kwh", "month_rub", "budget", "accuracy"), "—")
        empty = dict.fromkeys(("title", "month_kwh_note", "month_rub_note", "budget_note", "accuracy_note"), "")
        return {
            **dashes, **empty, "days": "", "model": "", "message": why, "search": no_update,
            "chart": figures.empty(t("consumption.kwh"), why), **dict.fromkeys(LINKS, "#"),
        }  # fmt: skip

    try:
        view = forecast_view(svc, principal, code=code, organization_id=org)
    except MeterNotFound:
        return nothing(t("consumption.no_meter"))
    except NothingToForecast:
        return nothing(t("forecast.pick_org"))
    facts = pricing_facts(view.subject.meters, price_book(svc.db), reader_today())
    kwh_kpi, rub_kpi, budget_kpi = _projection_kpis(view.projection, money_suffix(facts), notes(facts))
    accuracy = _accuracy(view)
    return {
        "title": view.title,
        "chart": figure(view),
        "month_kwh": kwh_kpi[0],
        "month_kwh_note": kwh_kpi[1],
        "month_rub": rub_kpi[0],
        "month_rub_note": rub_kpi[1],
        "budget": budget_kpi[0],
        "budget_note": budget_kpi[1],
        "accuracy": accuracy[0],
        "accuracy_note": accuracy[1],
        "days": _days_table(view),
        "model": _model_info(view),
        "message": _message(view),
        "search": "?" + query,
        **{name: export_href(view_name, fmt, query) for name, (view_name, fmt) in LINKS.items()},
    }


@callbacks.callback(
    Output(ids.RUN_STARTED, "data"),
    Input(ids.RECOMPUTE, "n_clicks"),
    State(ids.METER, "value"),
    State(shell_ids.ORG_SWITCH, "value"),
    prevent_initial_call=True,
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


@callbacks.callback(
    Output(ids.PROGRESS, "value"),
    Output(ids.PROGRESS, "className"),
    Output(ids.PROGRESS_TEXT, "children"),
    Output(ids.POLL, "disabled"),
    Output(ids.RUN_FINISHED, "data"),
    Input(ids.POLL, "n_intervals"),
    Input(ids.RUN_STARTED, "data"),
    Input(shell_ids.ORG_SWITCH, "value"),
    Input(ids.METER, "value"),
)
@signed_in("admin", "operator")
def run_progress(principal, _ticks, started, org, code):
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
    return dbc.Table([head, html.Tbody(rows)], size="sm", striped=True, id=ids.DAYS_TABLE, className="mb-0")


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


