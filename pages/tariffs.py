"""Tariffs: prices by region, plan, zone and the day they take effect (administrators change them), and the region a
metering point is priced by."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from analytics.tariffs import PLAN_ZONES
from context.sessions import current_principal
from dashboard.components import card, dropdown
from dashboard.ids import tariffs as ids
from dashboard.plain import Element, el
from i18n import t


def layout(**_query: str) -> Element:
    principal = current_principal()
    if principal is None or not principal.sees_all_organizations:
        return el(html.Div, t("partners.staff_only"), className="text-muted")
    zones = sorted({(plan, zone) for plan, zs in PLAN_ZONES.items() for zone in zs})
    editor = card(
        t("tariffs.edit"),
        [
            el(
                dbc.Row,
                [
                    el(dbc.Col, el(dbc.Input, id=ids.REGION, placeholder=t("tariffs.region"), list=ids.REGIONS), md=3),
                    el(html.Datalist, id=ids.REGIONS),
                    el(
                        dbc.Col,
                        dropdown(
                            id=ids.ZONE,
                            placeholder=f"{t('tariffs.plan')} / {t('tariffs.zone')}",
                            options=[
                                {"label": f"{t(f'tariff.{plan}')} — {t(f'zone.{zone}')}", "value": f"{plan}:{zone}"}
                                for plan, zone in zones
                            ],
                        ),
                        md=3,
                    ),
                    el(
                        dbc.Col,
                        el(
                            dcc.DatePickerSingle,
                            id=ids.VALID_FROM,
                            display_format="DD.MM.YYYY",
                            first_day_of_week=1,
                            placeholder=t("picker.day"),
                        ),
                        md=2,
                    ),
                    el(
                        dbc.Col,
                        el(dbc.Input, id=ids.PRICE, type="number", min=0, step=0.01, placeholder=t("tariffs.price")),
                        md=2,
                    ),
                    el(dbc.Col, el(dbc.Button, t("tariffs.save"), id=ids.SAVE, color="primary"), md=2),
                ],
                className="g-2 mb-2",
            ),
            el(dbc.Input, id=ids.SOURCE, placeholder=t("tariffs.source"), className="mb-2"),
            el(
                dbc.InputGroup,
                [
                    el(dbc.InputGroupText, t("tariffs.delete")),
                    el(dbc.Input, id=ids.DELETE_ID, type="number", min=1, step=1),
                    el(dbc.Button, "✕", id=ids.DELETE, color="danger", outline=True),
                ],
                className="mb-2",
                style={"maxWidth": "360px"},
            ),
            el(html.Div, id=ids.RESULT, className="small"),
        ],
    )
    point_region = card(
        t("tariffs.point_region"),
        [
            el(
                dbc.Row,
                [
                    el(dbc.Col, dropdown(id=ids.POINT, placeholder=t("tariffs.point")), md=5),
                    el(
                        dbc.Col,
                        el(dbc.Input, id=ids.POINT_REGION, placeholder=t("tariffs.region"), list=ids.REGIONS),
                        md=4,
                    ),
                    el(dbc.Col, el(dbc.Button, t("tariffs.save"), id=ids.POINT_SAVE, color="primary"), md=3),
                ],
                className="g-2",
            ),
            el(html.Div, id=ids.POINT_RESULT, className="small mt-2"),
        ],
    )
    market = card(
        t("market.title"),
        [
            el(html.P, t("market.hint"), className="small text-muted"),
            el(
                html.A,
                t("market.template"),
                href="/export/price-template.csv",
                id=ids.MARKET_TEMPLATE,
                className="small d-block mb-2",
            ),
            el(
                dcc.Upload,
                el(html.Div, t("market.drop"), className="wb-upload p-3 text-center border rounded"),
                id=ids.MARKET_UPLOAD,
                multiple=False,
            )
            if principal.role == "admin"
            else el(html.Div, t("tariffs.admin_only"), className="text-muted"),
            el(dcc.Loading, el(html.Div, id=ids.MARKET_RESULT, className="small mt-2")),
            el(html.Div, id=ids.MARKET_LOADED, className="mt-3"),
        ],
    )
    return el(
        html.Div,
        [
            el(dcc.Store, id=ids.OPENED),
            el(html.H1, t("tariffs.title"), className="h3"),
            market,
            el(html.Div, id=ids.FALLBACK, className="small text-muted mb-2"),
            card(t("tariffs.prices"), [el(html.Div, id=ids.TABLE)]),
            editor if principal.role == "admin" else el(html.Div, t("tariffs.admin_only"), className="text-muted mb-3"),
            point_region if principal.role == "admin" else None,
        ],
    )


dash.register_page(__name__, path="/tariffs", name="tariffs", title="Wattboard — тарифы", layout=layout)
