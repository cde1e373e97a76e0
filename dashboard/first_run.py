"""The first run's pieces: the card a new organization's overview shows until its data arrives, and the form that
takes a meter's register readings (on that card and on the consumption page's card of a point read by hand).

Ids are pattern-matching dicts keyed by the point's code, so one callback serves every point on any page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components import dropdown
from dashboard.ids import first_run as ids
from data.relational.meters import MeterInfo
from i18n import t
from manual.registers import REGISTERS, ZONE_OF
from onboarding.actions import FirstRun

PLANS = ("single", "two_zone", "three_zone")


def _field(label: str, control: Any, hint: str | None = None) -> html.Div:
    return html.Div(
        [dbc.Label(label, className="small mb-1"), control]
        + ([html.Div(hint, className="form-text")] if hint else []),
        className="mb-2",
    )


def point_form() -> html.Div:
    """Step 1: the point and the way its readings will arrive."""
    return html.Div(
        [
            html.H3(t("first.step1"), className="h6"),
            dbc.Row(
                [
                    dbc.Col(_field(t("first.code"), dbc.Input(id=ids.CODE, maxLength=64)), md=4),
                    dbc.Col(
                        _field(t("first.name"), dbc.Input(id=ids.NAME, placeholder=t("first.name_hint"))), md=4
                    ),
                    dbc.Col(_field(t("first.address"), dbc.Input(id=ids.ADDRESS)), md=4),
                ]
            ),
            _field(
                t("first.plan"),
                dropdown(
                    id=ids.PLAN,
                    options=[{"label": t(f"first.plan.{p}"), "value": p} for p in PLANS],
                    value="single",
                    clearable=False,
                ),
                t("first.plan_hint"),
            ),
            _field(
                t("first.way"),
                dbc.RadioItems(
                    id=ids.WAY,
                    options=[{"label": t(f"first.way.{w}"), "value": w} for w in ("partner", "file", "manual")],
                    value="manual",
                ),
            ),
            dbc.Button(t("first.add"), id=ids.ADD, color="primary"),
            html.Div(id=ids.ADD_RESULT, className="mt-2"),
        ]
    )


def reading_form(meter: MeterInfo, now: dt.datetime | None = None) -> html.Div:
    """Today's date in the point's zone and one box per register of its plan (Т1 — день …)."""
    code = meter.code
    today = (now or dt.datetime.now(dt.UTC)).astimezone(ZoneInfo(meter.timezone)).strftime("%d.%m.%Y")
    zones = ZONE_OF.get(meter.tariff_plan, {"t1": "single"})
    boxes = [
        dbc.Col(
            _field(
                f"{register.upper().replace('T', 'Т')} — {t(f'zone.{zones[register]}')}",
                dbc.Input(id={"type": "reading-reg", "code": code, "reg": register}, inputMode="decimal"),
            ),
            md=3,
        )
        for register in REGISTERS.get(meter.tariff_plan, ("t1",))
    ]
    date = dbc.Input(id={"type": "reading-date", "code": code}, value=today, maxLength=10)
    return html.Div(
        [
            dbc.Row([dbc.Col(_field(t("reading.date"), date), md=3), *boxes]),
            dbc.Button(t("reading.submit"), id={"type": "reading-submit", "code": code}, color="primary", size="sm"),
            html.Div(id={"type": "reading-result", "code": code}, className="mt-2"),
        ]
    )


def _connect(meter: MeterInfo) -> dbc.Row:
    """Step 2 for a point a partner or files will fill: ask, or upload."""
    code = meter.code
    ask = html.Div(
        [
            html.H4(t("first.ask"), className="h6"),
            html.P(t("first.ask_hint"), className="small text-muted"),
            _field(t("first.supplier"), dbc.Input(id={"type": "fr-supplier", "code": code})),
            _field(t("first.contact"), dbc.Input(id={"type": "fr-contact", "code": code})),
            dbc.Button(t("first.send"), id={"type": "fr-ask", "code": code}, color="secondary", size="sm"),
            html.Div(id={"type": "fr-ask-result", "code": code}, className="mt-2"),
        ]
    )
    upload = html.Div(
        [
            html.H4(t("first.upload"), className="h6"),
            html.P(t("first.upload_hint"), className="small text-muted"),
            dcc.Upload(
                html.Div(t("first.drop")),
                id={"type": "fr-upload", "code": code},
                className="wb-upload p-3 text-center border rounded",
            ),
            dcc.Loading(html.Div(id={"type": "fr-upload-result", "code": code}, className="mt-2")),
        ]
    )
    return dbc.Row([dbc.Col(ask, md=6), dbc.Col(upload, md=6)])


def first_run_card(state: FirstRun) -> dbc.Card:
    """The overview's first run: step 1 while the organization has no point, then step 2 for each point."""
    body: list[Any] = [html.P(t("first.intro"))]
    if not state.points:
        body.append(point_form())
    for meter in state.points:
        body.append(html.H3(t("first.step2").format(code=meter.code, name=meter.name), className="h6 mt-3"))
        if meter.code in state.manual:
            body += [html.P(t("first.by_hand_hint"), className="small text-muted"), reading_form(meter)]
        else:
            body.append(_connect(meter))
    return dbc.Card(
        dbc.CardBody([html.H2(t("first.title"), className="h5"), *body]),
        className="wb-card mb-3 border-primary",
        id=ids.CARD,
    )
