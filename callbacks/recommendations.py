"""Recommendations page: the cards (marked done or not relevant in place) and the tariff comparison."""

from __future__ import annotations

import contextlib
import datetime as dt
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from advice.service import RecommendationRow, mark, recommendations
from analytics.series import checked_days
from analytics.tariffs import zone_of
from auth.access import MeterNotFound
from auth.principal import AccessDenied
from context.guard import signed_in
from context.services import services
from dashboard import figures
from dashboard.callback_set import CallbackSet
from dashboard.components import export_href, graph_config
from dashboard.formatting import kwh, moment, number, roubles
from dashboard.ids import recommendations as ids
from dashboard.ids import shell as shell_ids
from dashboard.meter_choice import linked_point, one_point_choice
from dashboard.pickers import register_point_search
from dashboard.pricing_notes import priced_point_label
from dashboard.shared_answer import shared
from i18n import say, t
from pricing.categories import CategoryComparison, NotABusiness, PeakInfo, compare_categories, peak_info
from pricing.comparison import Comparison, comparison_for

CLOSED = ("done", "dismissed")


callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds
register_point_search(callbacks, ids.TARIFF_METER, priced_point_label)


@callbacks.callback(
    Output(ids.CARDS, "children"),
    Output(ids.TOTAL, "children"),
    Input(shell_ids.ORG_SWITCH, "value"),
    Input(ids.FILTER, "value"),
    Input({"type": "rec-action", "rec": ALL, "to": ALL}, "n_clicks"),
)
@signed_in()
def cards(principal, org, which, _clicks):
    svc = services()
    trigger = ctx.triggered_id
    if isinstance(trigger, dict) and trigger.get("type") == "rec-action" and any(_clicks or []):
        with contextlib.suppress(LookupError, ValueError, AccessDenied):
            mark(svc, principal, int(trigger["rec"]), str(trigger["to"]))
    rows = recommendations(svc, principal, org)
    open_rows = [r for r in rows if r.state == "open"]
    shown = open_rows if which != "closed" else [r for r in rows if r.state in CLOSED]
    total = t("rec.total").format(rub=roubles(sum(r.saving_rub_year for r in open_rows)))
    if not shown:
        return html.Div(t("rec.none"), className="text-muted mb-3", id=ids.EMPTY), total
    can_act = principal.role != "operator"
    return [card(r, can_act) for r in shown], total


def card(row: RecommendationRow, can_act: bool) -> dbc.Card:
    code = row.meter_code or ""
    params = _formatted(row)
    title = t(f"rec.{row.kind}.title").format(code=code, **params)
    saving = []
    if row.saving_rub_year > 0:
        saving.append(html.Span(t("rec.per_year").format(rub=roubles(row.saving_rub_year)), className="fw-bold me-2"))
    if row.saving_kwh_year > 0:
        saving.append(html.Span(t("rec.kwh_per_year").format(kwh=kwh(row.saving_kwh_year)), className="text-muted"))
    actions = []
    if can_act:
        targets = ("done", "dismissed") if row.state == "open" else ("open",)
        labels = {"done": "rec.done", "dismissed": "rec.dismiss", "open": "rec.reopen"}
        actions = [
            dbc.Button(
                t(labels[to]),
                id={"type": "rec-action", "rec": row.id, "to": to},
                size="sm",
                color="success" if to == "done" else "secondary",
                outline=to != "done",
                className="me-2",
            )
            for to in targets
        ]
    status = []
    if row.state in CLOSED and row.state_at:
        status = [
            html.Div(
                t("rec.marked_by").format(
                    state=t(f"rec.state.{row.state}"), who=row.state_by, when=moment(row.state_at)
                ),
                className="small text-muted",
            )
        ]
    chart = evidence_figure(row.evidence)
    return dbc.Card(
        dbc.CardBody(
            [
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                html.H2(title, className="h6 mb-1"),
                                html.Div(saving, className="mb-2"),
                                html.Div(html.Strong(t("rec.assumptions")), className="small"),
                                html.P(t(f"rec.{row.kind}.text").format(**params), className="small mb-1"),
                                html.P(certainty(row), className="small text-muted mb-2 wb-rec-certainty"),
                                *status,
                                html.Div(actions),
                            ],
                            lg=7,
                        ),
                        dbc.Col(
                            dcc.Graph(
                                figure=chart,
                                config=graph_config() | {"displayModeBar": False},
                                style={"height": "230px"},
                            )
                            if chart
                            else None,
                            lg=5,
                        ),
                    ]
                )
            ]
        ),
        className="wb-card mb-3",
        id=f"rec-{row.kind}-{code}",
    )


def certainty(row: RecommendationRow) -> str:
    """How sure a card is and on how much data it rests, in the reader's words."""
    p = row.params
    if "months" in p:
        basis = t("rec.basis_months").format(n=p["months"])
    elif "weeks" in p:
        basis = t("rec.basis_weeks").format(n=p["weeks"])
    elif "days" in p:
        basis = t("rec.basis_days").format(n=p["days"])
    else:
        basis = t("rec.basis_30")
    sigmas = p.get("sigmas")
    if sigmas is None:
        level = "rec.sure_exact" if row.kind in ("tariff", "price_category") else "rec.sure_measured"
    else:
        level = "rec.sure_high" if sigmas >= 8 else "rec.sure_medium"
    return t("rec.certainty").format(basis=basis, level=t(level))


def _formatted(row: RecommendationRow) -> dict[str, str]:
    """The params of a recommendation in the user's words and numbers."""
    p = row.params
    out: dict[str, str] = {}
    if row.kind == "tariff":
        out = {
            "plan": t(f"tariff.{p['cheapest']}"),
            "current": t(f"tariff.{p['current']}"),
            "cheapest": t(f"tariff.{p['cheapest']}"),
            "days": str(p["days"]),
            "cost_current": roubles(p["cost_current"]),
            "cost_cheapest": roubles(p["cost_cheapest"]),
            "region": p["region"],
        }
    elif row.kind == "baseload":
        out = {
            "base_now": number(p["base_now_kw"], 2),
            "base_target": number(p["base_target_kw"], 2),
            "excess": number(p["excess_kw"], 2),
            "share": f"{number(p['hours_at_base_share'] * 100, 0)} %",
            "price": number(p["price"], 2),
            "weeks": str(p.get("weeks", "—")),
        }
    elif row.kind == "peak_shift":
        out = {
            "peak_excess": number(p["peak_excess_kwh_day"], 1),
            "movable": number(p["movable_kwh_day"], 1),
            "share": f"{number(p['share'] * 100, 0)} %",
            "peak_price": number(p["peak_price"], 2),
            "night_price": number(p["night_price"], 2),
            "workdays": str(p["workdays"]),
            "block": p.get("block", "07:00–10:00, 17:00–21:00"),
            "days": str(p.get("days", "—")),
        }
    elif row.kind == "unusual":
        out = {
            "hours": str(p["hours"]),
            "hours_over": str(p["hours_over"]),
            "excess": number(p["excess_kwh"], 1),
            "share": f"{number(p['share'] * 100, 1)} %",
        }
    elif row.kind == "price_category":
        out = {
            "current": str(p["current"]),
            "cheapest": str(p["cheapest"]),
            "months": str(p["months"]),
            "first": dt.date.fromisoformat(p["first"]).strftime("%d.%m.%Y"),
            "last": dt.date.fromisoformat(p["last"]).strftime("%d.%m.%Y"),
            "cost_current": roubles(p["cost_current"]),
            "cost_cheapest": roubles(p["cost_cheapest"]),
            "note": t("rec.price_category.demo") if p.get("demo") else "",
        }
    elif row.kind == "data":
        out = {
            "completeness": f"{number(p['completeness'] * 100, 1)} %",
            "missing": str(p["missing_hours"]),
            "resets": str(p["resets"]),
            "unmeasured": kwh(p["unmeasured_kwh"]),
        }
    return out


def evidence_figure(evidence: dict) -> dict | None:
    kind = evidence.get("type")
    layout = figures.layout("", margin={"l": 40, "r": 5, "t": 5, "b": 30}, showlegend=False)
    if kind == "categories":
        totals = evidence["totals"]
        colors = [figures.BLUE if int(c) == evidence["current"] else figures.GREY for c in totals]
        bar = figures.bar([t("category.short").format(n=c) for c in totals], list(totals.values()), "₽")
        bar["marker"] = {"color": colors}
        return {"data": [bar], "layout": layout}
    if kind == "plans":
        plans = evidence["plans"]
        colors = [figures.BLUE if p == evidence["current"] else figures.GREY for p in plans]
        bar = figures.bar([t(f"tariff.{p}") for p in plans], list(plans.values()), "₽")
        bar["marker"] = {"color": colors}
        return {"data": [bar], "layout": layout}
    # Axes carry labels written here (dates the Russian way), not plotly's dates, so they read the same in any locale;
    # slanted and given room, so that they are never cut; a legend names every line.
    category = layout | {
        "xaxis": {"type": "category", "nticks": 6, "tickangle": -30, "automargin": True},
        "margin": {"l": 45, "r": 5, "t": 5, "b": 10},
        "showlegend": True,
        "legend": {"orientation": "h", "y": -0.45, "font": {"size": 10}},
    }
    if kind == "weekly_base":
        x = [f"{w[8:10]}.{w[5:7]}.{w[2:4]}" for w in evidence["x"]]
        return {
            "data": [
                figures.line(x, evidence["y"], t("rec.evidence.night_min")),
                figures.line(x, evidence["target"], t("rec.evidence.best_weeks"), figures.AMBER, line_dash="dot"),
            ],
            "layout": category,
        }
    if kind == "profile":
        x = [f"{h:02d}" for h in evidence["x"]]
        colors = [figures.RED if zone_of("three_zone", h) == "peak" else figures.BLUE for h in evidence["x"]]
        bar = figures.bar(x, evidence["y"], t("rec.evidence.mean_kw"))
        bar["marker"] = {"color": colors}
        return {"data": [bar], "layout": category | {"showlegend": False}}
    if kind == "band":
        x = [f"{s[8:10]}.{s[5:7]} {s[11:16]}" for s in evidence["x"]]
        layout = category
        return {
            "data": [
                figures.line(x, evidence["upper"], "", "rgba(0,0,0,0)", showlegend=False),
                {
                    **figures.line(x, evidence["lower"], t("forecast.band"), "rgba(0,0,0,0)"),
                    "fill": "tonexty",
                    "fillcolor": "rgba(42, 122, 176, 0.32)",
                },
                figures.line(x, evidence["value"], t("forecast.central"), figures.BLUE, line_dash="dot"),
                figures.line(x, evidence["actual"], t("forecast.actual"), "#222"),
            ],
            "layout": layout,
        }
    return None


@callbacks.callback(
    Output(ids.TARIFF_METER, "options"),
    Output(ids.TARIFF_METER, "value"),
    Input(shell_ids.ORG_SWITCH, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,  # the page comes with the comparison's picker set (pages/recommendations.py)
)
@signed_in()
def tariff_points(principal, org, search):
    """A staff member switched organizations: its points, and the URL's point or the first."""
    return one_point_choice(principal, org, linked_point(search), first_by_default=True, label=priced_point_label)


@callbacks.callback(
    Output(ids.TARIFF_TABLE, "children"),
    Output(ids.URL, "search"),
    Output(ids.TARIFF_EXPORT.csv, "href"),
    Output(ids.TARIFF_EXPORT.xlsx, "href"),
    Input(ids.TARIFF_METER, "value"),
    Input(ids.TARIFF_RANGE, "start_date"),
    Input(ids.TARIFF_RANGE, "end_date"),
)
@signed_in()
@shared("recommendations.tariff_table")
def tariff_table(principal, code, start_date, end_date):
    if not code:
        return "", no_update, "#", "#"
    query = urlencode({"meter": code, "from": start_date or "", "to": end_date or ""})
    links = (export_href("tariffs", "csv", query), export_href("tariffs", "xlsx", query))
    svc = services()
    try:
        days = checked_days(start_date, end_date)
        try:
            categories = compare_categories(svc, principal, code, *days)
        except NotABusiness:
            return comparison_table(comparison_for(svc, principal, code, *days), code), "?" + query, *links
    except MeterNotFound:
        return html.Div(t("consumption.no_meter"), className="text-muted"), no_update, "#", "#"
    except (ValueError, TypeError) as exc:
        return html.Div(say(exc), className="text-danger small"), no_update, "#", "#"
    return category_view(categories, peak_info(svc, principal, code)), "?" + query, *links


def category_view(result: CategoryComparison, peak: PeakInfo | None) -> html.Div:
    """The cost under every category the point may choose, month by month, with what the figures rest on."""
    meter = result.meter
    if result.missing:
        region = meter.region or "—"
        return html.Div(t("category.missing").format(region=region), className="text-warning", id=ids.CATEGORY)
    current = result.totals[result.current].total
    head = html.Thead(
        html.Tr(
            [html.Th(t(k)) for k in ("category.col", "category.energy", "category.capacity", "category.network")]
            + [html.Th(t("category.total"), className="text-end"), html.Th(t("category.diff"), className="text-end")]
        )
    )
    rows = []
    for category, cost in result.totals.items():
        label: list = [t("category.n").format(n=category)]
        if category == result.current:
            label.append(dbc.Badge(t("category.current"), color="info", className="ms-2"))
        diff = cost.total - current
        rows.append(
            html.Tr(
                [
                    html.Td(label),
                    html.Td(number(cost.energy, 2), className="text-end"),
                    html.Td(number(cost.capacity, 2), className="text-end"),
                    html.Td(number(cost.network, 2), className="text-end"),
                    html.Td(number(cost.total, 2), className="text-end"),
                    html.Td(
                        "—" if category == result.current else f"{'+' if diff > 0 else '−'}{number(abs(diff), 2)}",
                        className="text-end",
                    ),
                ],
                className="table-success" if category == result.cheapest and category != result.current else "",
            )
        )
    notes = [html.Div(t("category.hint"), className="small text-muted")]
    if meter.max_power_kw is not None and meter.max_power_kw >= 670:
        notes.append(html.Div(t("category.only_large").format(kw=number(meter.max_power_kw, 0)), className="small"))
    if any(c in result.totals for c in (5, 6)):
        notes.append(html.Div(t("category.plans_note"), className="small text-muted"))
    if result.projected:
        notes.append(html.Div(t("category.projected"), className="small text-warning"))
    if result.demo:
        notes.append(html.Div(t("category.demo"), className="small text-warning", id=ids.CATEGORY_DEMO))
    months = [m for m, _ in result.months]
    x = [f"{m:%m.%Y}" for m in months]
    bars = [
        {**figures.bar(x, [costs[c].total for _, costs in result.months], t("category.short").format(n=c)),
         "marker": {"color": figures.BLUE if c == result.current else None}}
        for c in result.totals
    ]
    layout = figures.layout(
        t("category.chart_y"), margin={"l": 60, "r": 10, "t": 10, "b": 40}, showlegend=True, barmode="group",
        xaxis={"type": "category"},
    )
    parts = [
        dbc.Table([head, html.Tbody(rows)], size="sm", id=ids.CATEGORY_RESULT, className="mb-1"),
        html.Div(f"{meter.code}: {kwh(result.totals[result.current].kwh)}", className="small text-muted"),
        *notes,
        html.H4(t("category.months"), className="h6 mt-3"),
        dcc.Graph(figure={"data": bars, "layout": layout}, config=graph_config() | {"displayModeBar": False},
                  style={"height": "260px"}, id=ids.CATEGORY_CHART),
    ]
    if peak is not None:
        parts.append(peak_view(peak))
    return html.Div(parts, id=ids.CATEGORY)


def peak_view(peak: PeakInfo) -> html.Div:
    def spans(hours: tuple[tuple[int, int], ...]) -> str:
        return ", ".join(f"{lo:02d}:00–{hi:02d}:00" for lo, hi in hours) or "—"

    network = t("peak.network").format(hours=spans(peak.network)) if peak.category in (4, 6) else ""
    text = t("peak.text").format(
        planned=spans(peak.planned), network=network, kw=number(peak.capacity_kw, 1),
        saving=f"{number(peak.saving_per_kw, 0)} ₽ {t('money.no_vat')}",
    )
    lines = [html.H4(t("peak.title").format(month=f"{peak.month:%m.%Y}"), className="h6 mt-3"), html.P(text)]
    if peak.projected:
        lines.append(html.Div(t("peak.projected"), className="small text-warning"))
    return html.Div(lines, id=ids.PEAK)


def comparison_table(result: Comparison, code: str) -> html.Div:
    head = html.Thead(html.Tr([html.Th(t("rec.plan")), html.Th(t("rec.cost")), html.Th(t("rec.difference"))]))
    rows = []
    for plan, cost in result.plans.items():
        label = [t(f"tariff.{plan}")]
        if plan == result.current:
            label.append(dbc.Badge(t("rec.current"), color="info", className="ms-2"))
        diff = cost - result.plans[result.current]
        rows.append(
            html.Tr(
                [
                    html.Td(label),
                    html.Td(number(cost, 2), className="text-end"),
                    html.Td(
                        "—" if plan == result.current else f"{'+' if diff > 0 else '−'}{number(abs(diff), 2)}",
                        className="text-end",
                    ),
                ],
                className="table-success" if plan == result.cheapest and plan != result.current else "",
            )
        )
    note = []
    if result.meter_region and result.meter_region != result.region:
        note.append(
            html.Div(
                t("rec.priced_as").format(region=result.meter_region, used=result.region),
                className="small text-warning",
            )
        )
    return html.Div(
        [
            html.Div(t("rec.tariffs_hint"), className="small text-muted mb-2"),
            dbc.Table([head, html.Tbody(rows)], size="sm", id=ids.TARIFF_RESULT, className="mb-1"),
            html.Div(f"{code}: {kwh(result.kwh)}", className="small text-muted"),
            *note,
        ]
    )


