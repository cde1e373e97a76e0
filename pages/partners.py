"""Partners (admins and operators): who sends data, how, and what arrived; test, import, backfill."""

from __future__ import annotations

import datetime as dt
import json

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from auth.sessions import current_principal
from dashboard.components import dropdown
from dashboard.i18n import t

CONFIG_TEMPLATE = {
    "format": "json",
    "format_options": {
        "records_path": "items",
        "meter_path": "meter",
        "ts_path": "ts",
        "value_path": "value",
        "ts_format": "iso",
    },
    "timezone": "Europe/Moscow",
    "units": "kWh",
    "value_kind": "interval",
    "interval_s": 1800,
    "auto_create_meters": False,
    "meter_map": {},
    "pull": None,
}


def layout(**_query: str) -> html.Div:
    principal = current_principal()
    if principal is None or principal.role not in ("admin", "operator"):
        return html.Div(
            [
                html.H1(t("partners.title"), className="h3"),
                dbc.Alert(t("partners.staff_only"), color="warning", id="partners-denied"),
            ]
        )
    today = dt.date.today()
    create = dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("partners.create"), className="h5"),
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                dbc.Label(t("partners.slug"), html_for="partner-new-slug"),
                                dbc.Input(id="partner-new-slug", placeholder="mosenergosbyt"),
                            ],
                            md=4,
                        ),
                        dbc.Col(
                            [
                                dbc.Label(t("partners.name"), html_for="partner-new-name"),
                                dbc.Input(id="partner-new-name"),
                            ],
                            md=8,
                        ),
                    ],
                    className="g-2 mb-2",
                ),
                dbc.Label(t("partners.config"), html_for="partner-new-config"),
                dbc.Textarea(
                    id="partner-new-config",
                    value=json.dumps(CONFIG_TEMPLATE, ensure_ascii=False, indent=2),
                    style={"fontFamily": "monospace", "height": "220px"},
                ),
                dbc.Label(t("partners.secret"), html_for="partner-new-secret", className="mt-2"),
                dbc.Input(id="partner-new-secret", type="password", autocomplete="off"),
                dbc.Button(t("partners.create_button"), id="partner-create", color="primary", className="mt-2"),
                html.Div(id="partner-create-result", className="mt-2"),
            ]
        ),
        className="wb-card mb-3",
    )
    selected = dbc.Card(
        dbc.CardBody(
            [
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                dbc.Label(t("partners.selected"), html_for="partner-pick"),
                                dropdown(id="partner-pick", placeholder=t("partners.pick")),
                            ],
                            md=6,
                        ),
                        dbc.Col(
                            [
                                html.Br(),
                                dbc.Button(t("partners.test"), id="partner-test", color="secondary"),
                                html.Small(" " + t("partners.test_hint"), className="text-muted"),
                            ],
                            md=6,
                        ),
                    ],
                    className="g-2 mb-2",
                ),
                dcc.Loading(html.Div(id="partner-test-result")),
                dcc.Upload(
                    id="partner-upload",
                    children=html.Div(t("partners.upload")),
                    multiple=False,
                    className="border border-2 border-dashed rounded p-3 text-center my-3",
                    max_size=64 * 1024 * 1024,
                ),
                dcc.Loading(html.Div(id="partner-upload-result")),
                html.H3(t("partners.backfill"), className="h6 mt-3"),
                dbc.Row(
                    [
                        dbc.Col(
                            dcc.DatePickerRange(
                                id="partner-backfill-range",
                                display_format="DD.MM.YYYY",
                                first_day_of_week=1,
                                start_date_placeholder_text=t("picker.start"),
                                end_date_placeholder_text=t("picker.end"),
                                start_date=(today - dt.timedelta(days=30)).isoformat(),
                                end_date=today.isoformat(),
                            ),
                            md="auto",
                        ),
                        dbc.Col(dbc.Button(t("partners.backfill_button"), id="partner-backfill"), md="auto"),
                    ],
                    className="g-2 align-items-center",
                ),
                dbc.Progress(id="partner-backfill-progress", value=0, className="my-2", style={"height": "1.2rem"}),
                html.Div(id="partner-backfill-status", className="small"),
                dcc.Store(id="partner-backfill-job"),
                dcc.Interval(id="partner-backfill-tick", interval=1000, disabled=True),
                html.H3(t("partners.batches"), className="h6 mt-3"),
                html.Div(id="partner-batches"),
            ]
        ),
        className="wb-card mb-3",
    )
    return html.Div(
        [
            html.H1(t("partners.title"), className="h3"),
            dbc.Card(
                dbc.CardBody([html.H2(t("partners.list"), className="h5"), html.Div(id="partners-table")]),
                className="wb-card mb-3",
            ),
            selected,
            create,
        ]
    )


dash.register_page(__name__, path="/partners", name="partners", title="Wattboard — партнёры", layout=layout)
