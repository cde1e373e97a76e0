"""The tables behind every chart and table a page can download: each recomputes its data with the same functions the
page uses and the same tenant rules, so a download holds exactly what the chart shows, with column headers in the
reader's language. A new download is a function here and a line in :data:`VIEWS`; how it is written is
:mod:`exports.formats`'."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import pandas as pd

from analytics.analysis import Analysis, analysis, monthly_table
from analytics.consumption import consumption
from analytics.devices import device_table, status_timeline
from analytics.overview import top_points
from analytics.quality import attention_first
from analytics.series import checked_days
from analytics.timezones import zone_label
from auth.access import device_for, visible_devices, visible_meters
from auth.principal import Principal
from dashboard.pricing_notes import pricing_label
from dashboard.view_state import NothingToShow, ViewState, chosen_meters, resolve
from data.services import Services
from forecasting.actions import ForecastView, NothingToForecast, forecast_view
from i18n import current_language, t
from pricing.book import price_book
from pricing.categories import NotABusiness, compare_categories
from pricing.comparison import comparison_for
from warming.overview import overview_page

Args = Mapping[str, str]  # the download's query: the page's URL state, and what a view needs besides (``device``)
Build = Callable[[Services, Principal, ViewState, Args], pd.DataFrame]


def consumption_table(services: Services, principal: Principal, state: ViewState, args: Args) -> pd.DataFrame:
    chosen = resolve(services.db, principal, state)
    result = consumption(
        services.store,
        chosen.meters,
        chosen.start,
        chosen.end,
        state.step,
        price_book(services.db),
        state.compare,
    )
    frame = result.frame
    table = pd.DataFrame({t("export.period"): frame["ts"], t("export.kwh"): frame["value"].round(4)})
    for kind, other in result.compared.items():
        table[t(f"compare.{kind}")] = other["value"].round(4)
    flags = frame["status"].fillna(0).astype(int)
    table[t("export.corrected")] = (flags & 16) != 0
    table[t("export.estimated")] = (flags & 1) != 0
    return table


def heatmap_table(services: Services, principal: Principal, state: ViewState, args: Args) -> pd.DataFrame:
    table = _analysis(services, principal, state).heatmap
    table.index = [t(f"weekday.{d}") for d in table.index]
    table.columns = [f"{h:02d}:00" for h in table.columns]
    return table.rename_axis(t("export.weekday")).reset_index()


def duration_table(services: Services, principal: Principal, state: ViewState, args: Args) -> pd.DataFrame:
    curve = _analysis(services, principal, state).duration
    return curve.rename(columns={"share": t("export.share_hours"), "value": t("export.kw")})


def profiles_table(services: Services, principal: Principal, state: ViewState, args: Args) -> pd.DataFrame:
    table = _analysis(services, principal, state).profiles
    table.columns = [t(f"daykind.{c}") for c in table.columns]
    return table.rename_axis(t("export.hour")).reset_index()


def months_table(services: Services, principal: Principal, state: ViewState, args: Args) -> pd.DataFrame:
    table = monthly_table(services.store, chosen_meters(services.db, principal, state), dt.datetime.now(dt.UTC))
    return table.rename(
        columns={
            "ts": t("export.month"),
            "value": t("export.kwh"),
            "vs_previous": t("export.vs_previous"),
            "vs_last_year": t("export.vs_last_year"),
            "days": t("export.days"),
        }
    )


def top_table(services: Services, principal: Principal, state: ViewState, args: Args) -> pd.DataFrame:
    meters = visible_meters(services.db, principal, state.org)
    top, _month_kwh = top_points(services.store, meters, dt.datetime.now(dt.UTC))
    return pd.DataFrame(
        [(m.code, m.name, m.organization_name, round(kwh, 3), round(share, 4)) for m, kwh, share in top],
        columns=[t("overview.code"), t("overview.name"), t("overview.org"), t("export.kwh"), t("export.share")],
    )


def points_table(services: Services, principal: Principal, state: ViewState, args: Args) -> pd.DataFrame:
    """The overview's points table whole (the page shows the first 25): each point with its data quality."""
    page = overview_page(services, principal, state.org, dt.datetime.now(dt.UTC))
    language = current_language()
    rows = []
    for m in attention_first(page.meters, page.view.quality):
        q = page.view.quality.get(m.id)
        rows.append(
            (
                m.organization_name,
                m.code,
                m.name,
                zone_label(m.timezone, language),
                pricing_label(m),
                q.score if q else None,
                round(q.completeness * 100, 1) if q else None,
            )
        )
    keys = ("overview.org", "overview.code", "overview.name", "overview.tz", "overview.tariff", "export.quality_score")
    return pd.DataFrame(rows, columns=[*(t(k) for k in keys), t("export.completeness")])


def devices_table(services: Services, principal: Principal, state: ViewState, args: Args) -> pd.DataFrame:
    devices = visible_devices(services.db, principal, state.org)
    table = device_table(services, devices, dt.datetime.now(dt.UTC))
    return table.rename(columns={c: t(f"devices.{c}") for c in table.columns})


def device_timeline_table(services: Services, principal: Principal, state: ViewState, args: Args) -> pd.DataFrame:
    device = device_for(services.db, principal, args.get("device", ""))
    return status_timeline(services.store, device, dt.datetime.now(dt.UTC))


def forecast_table(services: Services, principal: Principal, state: ViewState, args: Args) -> pd.DataFrame:
    view = _forecast(services, principal, state)
    band = view.band.rename(columns={"value": "forecast"})
    table = pd.merge(view.actual.rename(columns={"value": "actual"}), band, on="ts", how="outer").sort_values("ts")
    table = table[["ts", "actual", "forecast", "lower", "upper"]].round(
        {c: 4 for c in ("actual", "forecast", "lower", "upper")}
    )
    zone = zone_label(view.subject.timezone, current_language())
    return table.rename(
        columns={
            "ts": f"{t('export.period')}, {zone}",  # local hours of the subject's zone, named
            "actual": t("forecast.actual"),
            "forecast": t("forecast.central"),
            "lower": t("forecast.low"),
            "upper": t("forecast.high"),
        }
    )


def forecast_days_table(services: Services, principal: Principal, state: ViewState, args: Args) -> pd.DataFrame:
    days = _forecast(services, principal, state).month_days.round({"value": 4, "lower": 4, "upper": 4})
    return days.rename(
        columns={
            "day": t("forecast.day"),
            "value": t("forecast.kwh"),
            "lower": t("forecast.low"),
            "upper": t("forecast.high"),
        }
    )


def tariffs_table(services: Services, principal: Principal, state: ViewState, args: Args) -> pd.DataFrame:
    if not state.meters:
        raise NothingToShow()
    first, last = checked_days(state.start, state.end)
    try:
        categories = compare_categories(services, principal, state.meters[0], first, last)
    except NotABusiness:
        pass
    else:
        return pd.DataFrame(
            [
                (t("category.n").format(n=c), round(cost.energy, 2), round(cost.capacity, 2), round(cost.network, 2),
                 None if cost.missing else round(cost.total, 2), c == categories.current)
                for c, cost in categories.totals.items()
            ],
            columns=[t("category.col"), t("category.energy"), t("category.capacity"), t("category.network"),
                     t("category.total"), t("rec.current")],
        )
    result = comparison_for(services, principal, state.meters[0], first, last)
    return pd.DataFrame(
        [(t(f"tariff.{plan}"), cost, plan == result.current) for plan, cost in result.plans.items()],
        columns=[t("rec.plan"), t("rec.cost"), t("rec.current")],
    )


def _forecast(services: Services, principal: Principal, state: ViewState) -> ForecastView:
    try:
        return forecast_view(
            services, principal, code=state.meters[0] if state.meters else None, organization_id=state.org
        )
    except NothingToForecast:
        raise NothingToShow() from None


def _analysis(services: Services, principal: Principal, state: ViewState) -> Analysis:
    chosen = resolve(services.db, principal, state)
    return analysis(services.store, chosen.meters, chosen.start, chosen.end)


# view name → (the page whose URL state it reads, how its table is built)
VIEWS: dict[str, tuple[str, Build]] = {
    "consumption": ("consumption", consumption_table),
    "heatmap": ("analysis", heatmap_table),
    "duration": ("analysis", duration_table),
    "profiles": ("analysis", profiles_table),
    "months": ("analysis", months_table),
    "top": ("overview", top_table),
    "points": ("overview", points_table),
    "devices": ("devices", devices_table),
    "device": ("devices", device_timeline_table),
    "forecast": ("forecast", forecast_table),
    "forecast_days": ("forecast", forecast_days_table),
    "tariffs": ("recommendations", tariffs_table),
}
