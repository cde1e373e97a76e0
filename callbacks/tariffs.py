"""Tariffs page: the price table, setting and deleting prices, and the region of a metering point."""

from __future__ import annotations

import base64
import datetime as dt

import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, html

from analytics.tariffs import DEFAULT_REGION
from auth.access import MeterNotFound
from auth.principal import AccessDenied
from context.guard import signed_in
from context.services import services
from dashboard.callback_set import CallbackSet
from dashboard.formatting import moment, number
from dashboard.ids import tariffs as ids
from dashboard.meter_choice import matching, region_point_label
from dashboard.pickers import register_point_search
from i18n import say, t
from pricing.admin import delete_price, list_prices, set_point_region, set_price
from pricing.market import PriceFileRefused, import_prices, loaded

callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds


@callbacks.callback(
    Output(ids.TABLE, "children"),
    Output(ids.REGIONS, "children"),
    Output(ids.FALLBACK, "children"),
    Input(ids.OPENED, "data"),
    Input(ids.RESULT, "children"),
)
@signed_in("admin", "operator")
def price_table(principal, _opened, _result):
    rows = list_prices(services(), principal)
    keys = (
        "№",
        "tariffs.region",
        "tariffs.plan",
        "tariffs.zone",
        "tariffs.valid_from",
        "tariffs.price",
        "tariffs.source",
    )
    head = html.Thead(html.Tr([html.Th(k if k == "№" else t(k)) for k in keys]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(r.id),
                    html.Td(r.region),
                    html.Td(t(f"tariff.{r.plan}")),
                    html.Td(t(f"zone.{r.zone}")),
                    html.Td(r.valid_from.strftime("%d.%m.%Y")),
                    html.Td(number(r.price, 2), className="text-end"),
                    html.Td(html.Small(r.source, className="text-muted wb-wrap")),
                ]
            )
            for r in rows
        ]
    )
    regions = [html.Option(value=region) for region in sorted({r.region for r in rows})]
    table = dbc.Table([head, body], size="sm", hover=True, responsive=True, id=ids.PRICE_TABLE)
    return table, regions, t("tariffs.fallback").format(region=DEFAULT_REGION)


@callbacks.callback(
    Output(ids.RESULT, "children"),
    Input(ids.SAVE, "n_clicks"),
    Input(ids.DELETE, "n_clicks"),
    State(ids.REGION, "value"),
    State(ids.ZONE, "value"),
    State(ids.VALID_FROM, "date"),
    State(ids.PRICE, "value"),
    State(ids.SOURCE, "value"),
    State(ids.DELETE_ID, "value"),
    prevent_initial_call=True,
)
@signed_in("admin")
def change_price(principal, _save, _delete, region, zone, valid_from, price, source, delete_id):
    svc = services()
    try:
        if ctx.triggered_id == ids.DELETE:
            delete_price(svc, principal, int(delete_id or 0))
            return dbc.Alert(t("tariffs.deleted"), color="success", className="py-1")
        plan, _, zone_name = (zone or "").partition(":")
        if not valid_from or price is None:
            raise ValueError(f"{t('tariffs.valid_from')}, {t('tariffs.price')}?")
        set_price(
            svc,
            principal,
            region or "",
            plan,
            zone_name,
            dt.date.fromisoformat(valid_from[:10]),
            float(price),
            source or "",
        )
    except (ValueError, LookupError, AccessDenied) as exc:
        return dbc.Alert(say(exc), color="danger", className="py-1")
    return dbc.Alert(t("tariffs.saved"), color="success", className="py-1")


@callbacks.callback(Output(ids.POINT, "options"), Input(ids.OPENED, "data"))
@signed_in("admin")
def point_options(principal, _opened):
    """Every organization's points, the first of them listed; typing finds the others."""
    return matching(principal, None, "", [], region_point_label)


register_point_search(callbacks, ids.POINT, region_point_label, every_organization=True)


@callbacks.callback(
    Output(ids.POINT_RESULT, "children"),
    Input(ids.POINT_SAVE, "n_clicks"),
    State(ids.POINT, "value"),
    State(ids.POINT_REGION, "value"),
    prevent_initial_call=True,
)
@signed_in("admin")
def change_point_region(principal, _clicks, code, region):
    try:
        set_point_region(services(), principal, code or "", region)
    except MeterNotFound:
        return dbc.Alert(t("consumption.no_meter"), color="danger", className="py-1")
    except (ValueError, AccessDenied) as exc:
        return dbc.Alert(say(exc), color="danger", className="py-1")
    return dbc.Alert(t("tariffs.saved"), color="success", className="py-1")


@callbacks.callback(
    Output(ids.MARKET_RESULT, "children"),
    Input(ids.MARKET_UPLOAD, "contents"),
    State(ids.MARKET_UPLOAD, "filename"),
    prevent_initial_call=True,
)
@signed_in("admin")
def upload_prices(principal, contents, file_name):
    """An administrator's price file: all of it stored as new versions, or nothing and every problem listed."""
    if not contents:
        return ""
    try:
        payload = base64.b64decode(contents.split(",", 1)[1])
    except (IndexError, ValueError):
        return dbc.Alert(t("market.unreadable"), color="danger")
    try:
        done = import_prices(services(), principal, payload, file_name or "")
    except PriceFileRefused as exc:
        items = [html.Li(problem) for problem in exc.problems[:50]]
        more = len(exc.problems) - 50
        return dbc.Alert(
            [html.Div(t("market.refused").format(n=len(exc.problems))), html.Ul(items, id=ids.MARKET_PROBLEMS)]
            + ([html.Div(t("market.more").format(n=more))] if more > 0 else []),
            color="danger",
        )
    months = ", ".join(f"{m:%m.%Y}" for m in done.months)
    return dbc.Alert(
        t("market.imported").format(rows=done.rows, sheets=done.sheets, peaks=done.peaks,
                                    regions=", ".join(done.regions), months=months),
        color="success",
        id=ids.MARKET_IMPORTED,
    )


@callbacks.callback(
    Output(ids.MARKET_LOADED, "children"), Input(ids.OPENED, "data"), Input(ids.MARKET_RESULT, "children")
)
@signed_in("admin", "operator")
def market_loaded(principal, _opened, _result):
    rows = loaded(services(), principal)
    if not rows:
        return html.Div(t("market.none"), className="text-muted small")
    head = html.Thead(html.Tr([html.Th(t(k)) for k in ("tariffs.region", "market.month", "market.sheets",
                                                        "market.version", "market.kind", "market.uploaded")]))
    body = html.Tbody([
        html.Tr([
            html.Td(region), html.Td(f"{month:%m.%Y}"), html.Td(sheets), html.Td(version),
            html.Td(dbc.Badge(t("market.demo"), color="warning") if demo else t("market.published")),
            html.Td(moment(uploaded) if uploaded else "—"),
        ])
        for region, month, sheets, version, demo, uploaded in rows[:60]
    ])
    return dbc.Table([head, body], size="sm", id=ids.MARKET_TABLE)
