"""Overview page: the organization's figures, projection, top points, data health, alerts, the points table, the
points read by hand and a new organization's first steps — one callback as the page opens."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html
from dash.development.base_component import Component

from analytics.business import pricing_facts
from analytics.consumption import change
from analytics.overview import Alert
from analytics.quality import Quality, attention_first
from analytics.timezones import zone_label
from auth.principal import AccessDenied, Principal
from context.guard import signed_in
from context.services import services
from dashboard.callback_set import CallbackSet
from dashboard.components import card, cut_list, export_href, table
from dashboard.first_run import first_run_card
from dashboard.formatting import kwh, moment, number, percent, roubles
from dashboard.ids import first_run as first_run_ids
from dashboard.ids import overview as ids
from dashboard.ids import shell as shell_ids
from dashboard.plain import Element, el
from dashboard.pricing_notes import money_suffix, notes, priced, pricing_label
from dashboard.shared_answer import shared
from dashboard.view_state import ViewState
from forecasting.actions import organization_projection
from i18n import current_language, t
from manual.actions import manual_points_of
from onboarding.actions import first_run
from reports.monthly import NothingToReport, month_label, request_letter
from warming.overview import overview_page

_COLORS = {"good": "success", "fair": "warning", "poor": "danger"}
POINTS_SHOWN = 25  # rows of the points table (a browser draws a row in ~20 ms); the download holds them all


callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds


def _projection(principal: Principal, org: int | None) -> html.Div:
    """The organization's month-end projection against its budget (read from the stored forecast)."""
    p = organization_projection(services(), principal, org)
    if p is None:
        return html.Div(t("forecast.none"), className="text-muted small")
    parts: list[Component] = [
        html.Span(f"{kwh(p.kwh)} · {roubles(p.rub)}", className="fw-semibold me-2"),
        html.Span(
            t("forecast.range").format(low=roubles(p.rub_low), high=roubles(p.rub_high)), className="text-muted me-2"
        ),
    ]
    if p.budget is not None and p.budget_share is not None:
        amount = roubles(p.budget.amount) if p.budget.unit == "rub" else kwh(p.budget.amount)
        share = f"{number(p.budget_share * 100, 0)} %"
        verdict = t("forecast.over_budget") if p.over_budget else t("forecast.within_budget")
        parts.append(
            dbc.Badge(
                f"{verdict}: {t('forecast.budget_of').format(share=share, budget=amount)}",
                color="danger" if p.over_budget else "success",
            )
        )
    parts.append(html.A(t("nav.forecast") + " →", href="/forecast", className="ms-2 small"))
    return html.Div(parts, id=ids.PROJECTION_LINE)


def _trend(fraction: float | None) -> html.Span:
    color = "text-muted" if fraction is None else "text-danger" if fraction > 0 else "text-success"
    return html.Span(percent(fraction), className=color)


def _top(top: list) -> dbc.Table | html.Div:
    if not top:
        return html.Div(t("consumption.no_data"), className="text-muted")
    rows = [
        html.Tr(
            [
                html.Td(html.A(m.code, href=f"/consumption?meter={m.code}")),
                html.Td(m.name),
                html.Td(kwh(value), className="text-end"),
                html.Td(
                    dbc.Progress(value=share * 100, label=f"{share:.0%}", style={"height": "1rem"}), className="w-25"
                ),
            ]
        )
        for m, value, share in top
    ]
    return dbc.Table(html.Tbody(rows), size="sm", className="mb-0", id=ids.TOP_TABLE)


def _health(quality: dict[int, Quality], devices: dict[str, int]) -> html.Div:
    grades = {"good": 0, "fair": 0, "poor": 0}
    for q in quality.values():
        grades[q.grade] += 1
    return html.Div(
        [
            html.Div(t("overview.data_quality"), className="small text-muted"),
            html.Div(
                [dbc.Badge(f"{t(f'grade.{g}')}: {n}", color=_COLORS[g], className="me-1") for g, n in grades.items()]
            ),
            html.Div(t("nav.devices"), className="small text-muted mt-2"),
            html.Div(
                [
                    dbc.Badge(f"{t(f'status.{s}')}: {devices.get(s, 0)}", color=c, className="me-1")
                    for s, c in (("online", "success"), ("stale", "warning"), ("offline", "danger"))
                ],
                id=ids.DEVICE_COUNTS,
            ),
        ]
    )


def _alerts(alerts: list[Alert]) -> html.Div:
    if not alerts:
        return html.Div(t("overview.no_alerts"), className="text-success")
    items = [
        dbc.ListGroupItem(
            [
                html.Div([dbc.Badge(t(f"alert.{a.kind}"), color=a.severity, className="me-1"), html.Strong(a.subject)]),
                html.Small(" ".join(filter(None, [a.detail, moment(a.at) if a.at else ""])), className="text-muted"),
            ],
            className="py-1 px-2",
        )
        for a in alerts[:8]
    ]
    return dbc.ListGroup(items, flush=True, id=ids.ALERT_LIST)


def _quality_badge(q: Quality) -> Element:
    details = []
    if q.resets:
        details.append(f"{t('overview.resets')}: {q.resets}")
    if q.estimated:
        details.append(f"{t('overview.estimated')}: {q.estimated}")
    if q.clock_fixed:
        details.append(f"{t('overview.clock_fixed')}: {q.clock_fixed}")
    return el(
        html.Span,
        [
            el(dbc.Badge, f"{q.score}", color=_COLORS[q.grade], className="me-1"),
            el(
                html.Small,
                f"{t('overview.complete')} {q.completeness:.0%}" + (" · " + ", ".join(details) if details else ""),
                className="text-muted",
            ),
        ],
    )


def _meters_table(meters: list, quality: dict[int, Quality]) -> Element:
    """Every point with its data quality; past :data:`POINTS_SHOWN` (an administrator sees every organization's),
    those whose data need attention first, and the whole list is the card's download."""
    shown = meters if len(meters) <= POINTS_SHOWN else attention_first(meters, quality)[:POINTS_SHOWN]
    keys = ("overview.org", "overview.code", "overview.name", "overview.tz", "overview.tariff", "overview.quality")
    head = el(html.Thead, el(html.Tr, [el(html.Th, t(k)) for k in keys]))
    body = el(
        html.Tbody,
        [
            el(
                html.Tr,
                [
                    el(html.Td, m.organization_name),
                    el(html.Td, el(html.A, m.code, href=f"/consumption?meter={m.code}")),
                    el(html.Td, m.name),
                    el(html.Td, zone_label(m.timezone, current_language())),
                    el(html.Td, pricing_label(m)),
                    el(html.Td, _quality_badge(quality[m.id])),
                ],
            )
            for m in shown
        ],
    )
    rows = el(dbc.Table, [head, body], hover=True, responsive=True, size="sm", id=ids.OVERVIEW_TABLE)
    return cut_list(rows, len(shown), len(meters), t("overview.meters_shown"), ids.METERS_SHOWN)


@callbacks.callback(
    Output(ids.REPORT_RESULT, "children"),
    Input(ids.REPORT, "n_clicks"),
    State(shell_ids.ORG_SWITCH, "value"),
    prevent_initial_call=True,
)
@signed_in()
def monthly_letter(principal, _clicks, org):
    """Last month's report letter to the caller, now (queued for the workers)."""
    try:
        month = request_letter(services(), principal, org)
    except AccessDenied:
        return dbc.Alert(t("report.choose_org"), color="warning", className="py-1 mb-0")
    except NothingToReport:
        return dbc.Alert(t("report.no_points"), color="warning", className="py-1 mb-0")
    label = month_label(month, current_language())
    return dbc.Alert(t("report.queued").format(month=label, email=principal.email), color="success", className="py-1")


@callbacks.callback(
    output={
        "org": Output(ids.ORG, "children"),
        "today": Output(ids.TODAY.value, "children"),
        "today_sub": Output(ids.TODAY.sub, "children"),
        "month": Output(ids.MONTH.value, "children"),
        "month_sub": Output(ids.MONTH.sub, "children"),
        "vs_month": Output(ids.VS_MONTH.value, "children"),
        "vs_month_sub": Output(ids.VS_MONTH.sub, "children"),
        "vs_year": Output(ids.VS_YEAR.value, "children"),
        "vs_year_sub": Output(ids.VS_YEAR.sub, "children"),
        "top": Output(ids.TOP, "children"),
        "health": Output(ids.HEALTH, "children"),
        "alerts": Output(ids.ALERTS, "children"),
        "meters": Output(ids.OVERVIEW_METERS, "children"),
        "top_csv": Output(ids.TOP_EXPORT.csv, "href"),
        "top_xlsx": Output(ids.TOP_EXPORT.xlsx, "href"),
        "meters_csv": Output(ids.METERS_EXPORT.csv, "href"),
        "meters_xlsx": Output(ids.METERS_EXPORT.xlsx, "href"),
        "projection": Output(ids.PROJECTION, "children"),
        "manual": Output(ids.MANUAL, "children"),
        "first_run": Output(first_run_ids.OV_FIRST_RUN, "children"),
    },
    inputs=[
        Input(shell_ids.ORG_SWITCH, "value"),
        Input(first_run_ids.ADDED, "data"),  # a point added from the first-run card: the whole page again
    ],
)
@signed_in()
@shared("overview.summary")
def summary(principal, org, _added):
    """The whole page in one answer (one request as the page opens, not four): the figures, the month-end
    projection, the points read by hand and, while the organization has no data, its first steps."""
    now = dt.datetime.now(dt.UTC)
    page = overview_page(services(), principal, org, now)
    meters, book, view = page.meters, page.book, page.view
    facts = pricing_facts(meters, book, now.date())
    suffix = money_suffix(facts)
    month_sub = priced(roubles(view.month_rub) + suffix, notes(facts))
    if view.by_hand_kwh > 0:
        note = t("overview.by_hand").format(kwh=kwh(view.by_hand_kwh))
        by_hand = html.Div(note, className="text-muted", id=ids.BY_HAND)
        month_sub = html.Div([month_sub, by_hand])
    orgs = sorted({m.organization_name for m in meters})
    title = orgs[0] if len(orgs) == 1 else t("nav.all_organizations")
    vs_month, vs_year = change(view.month_kwh, view.previous_month_kwh), change(view.month_kwh, view.last_year_kwh)
    query = ViewState(org=org).query()
    return {
        "org": title,
        "today": kwh(view.today_kwh),
        "today_sub": roubles(view.today_rub) + suffix,
        "month": kwh(view.month_kwh),
        "month_sub": month_sub,
        "vs_month": _trend(vs_month),
        "vs_month_sub": f"{t('overview.was')} {kwh(view.previous_month_kwh)}",
        "vs_year": _trend(vs_year),
        "vs_year_sub": f"{t('overview.was')} {kwh(view.last_year_kwh)}",
        "top": _top(view.top),
        "health": _health(view.quality, view.devices),
        "alerts": _alerts(view.alerts),
        "meters": _meters_table(meters, view.quality),
        "top_csv": export_href("top", "csv", query),
        "top_xlsx": export_href("top", "xlsx", query),
        "meters_csv": export_href("points", "csv", query),
        "meters_xlsx": export_href("points", "xlsx", query),
        "projection": _projection(principal, org),
        "manual": _manual_points(principal, org),
        "first_run": first_run_card(state) if (state := first_run(services(), principal, org)) is not None else None,
    }


def _manual_points(principal: Principal, org: int | None) -> Element | None:
    """Points read by hand count by their periods: the last reading, the last period's kWh and roubles."""
    svc = services()
    points = manual_points_of(svc, principal, org)
    if not points:
        return None
    rows = []
    for point in points:
        zone = ZoneInfo(point.meter.timezone)
        last = point.readings[-1].ts.astimezone(zone).strftime("%d.%m.%Y") if point.readings else "—"
        period = point.periods[-1] if point.periods else None
        span = (
            f"{period.period.start.astimezone(zone):%d.%m} – {period.period.end.astimezone(zone):%d.%m.%Y}"
            if period
            else "—"
        )
        rows.append(
            [
                dcc.Link(f"{point.meter.code} — {point.meter.name}", href=f"/consumption?meter={point.meter.code}"),
                last,
                span,
                kwh(period.period.total) if period else "—",
                roubles(period.rub) if period and period.rub is not None else "—",
            ]
        )
    first, last_day = svc.settings.reading_days()
    headers = [t(f"overview.manual.{k}") for k in ("point", "last", "period")] + [t("manual.total"), t("manual.cost")]
    hint = html.P(t("overview.manual.next").format(first=first, last=last_day), className="small text-muted")
    return card(t("overview.manual"), [table(headers, rows, ids.MANUAL_TABLE), hint])
