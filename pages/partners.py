"""Partners (admins and operators): who sends data, how, and what arrived; test, import, backfill."""

from __future__ import annotations

import datetime as dt
import json

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from analytics.timezones import zone_label
from context.sessions import current_principal
from context.today import reader_today
from dashboard.components import dropdown, section
from dashboard.ids import partners as ids
from dashboard.plain import Element, el
from i18n import current_language, t

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


ZONES = (
    "Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk", "Asia/Novosibirsk",
    "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok", "Asia/Magadan", "Asia/Kamchatka", "UTC",
)  # fmt: skip
INTERVALS = (300, 900, 1800, 3600, 86_400)
URL_EXAMPLE = "https://…/readings?from={since}&to={until}"


def _field(label: str, control: object, width: int = 4) -> Element:
    return el(dbc.Col, [el(dbc.Label, label, className="small mb-1"), control], md=width, className="mb-2")


def _options(prefix: str, values: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"label": t(f"{prefix}.{v}"), "value": v} for v in values]


def setup_card() -> Element:
    """The guided set-up: partner and sample → first records and their reading → units, zone and points → the live
    preview → push or pull, then create."""
    minutes = [{"label": t("setup.minutes").format(n=n), "value": n * 60} for n in (5, 15, 30, 60, 180)]
    zones = [{"label": zone_label(z, current_language()), "value": z} for z in ZONES]
    intervals = [{"label": t("setup.minutes").format(n=s // 60), "value": s} for s in INTERVALS]
    return el(
        dbc.Card,
        el(
            dbc.CardBody,
            [
                el(html.H2, t("setup.title"), className="h5"),
                el(html.P, t("setup.intro"), className="small text-muted"),
                el(html.H3, t("setup.step1"), className="h6"),
                el(
                    dbc.Row,
                    [
                        _field(t("partners.slug"), el(dbc.Input, id=ids.PW_SLUG, placeholder="ural-askue"), 3),
                        _field(t("partners.name"), el(dbc.Input, id=ids.PW_NAME), 5),
                        _field(
                            t("setup.format"),
                            dropdown(
                                id=ids.PW_FORMAT,
                                options=_options("setup.format", ("auto", "csv", "json", "80020", "espi")),
                                value="auto",
                                clearable=False,
                            ),
                        ),
                    ],
                ),
                el(
                    dcc.Upload,
                    el(html.Div, t("setup.drop")),
                    id=ids.PW_SAMPLE,
                    className="wb-upload p-3 text-center border rounded",
                ),
                el(
                    dbc.Row,
                    [
                        _field(t("setup.or_url"), el(dbc.Input, id=ids.PW_URL, placeholder=URL_EXAMPLE), 8),
                        el(
                            dbc.Col,
                            [
                                el(html.Br),
                                el(dbc.Button, t("setup.fetch"), id=ids.PW_FETCH, color="secondary", size="sm"),
                            ],
                            md=4,
                        ),
                    ],
                    className="mt-2",
                ),
                el(html.Div, t("setup.url_hint"), className="form-text mb-2"),
                el(dcc.Store, id=ids.PW_SAMPLE_DATA),
                el(dcc.Loading, el(html.Div, id=ids.PW_SAMPLE_STATUS, className="small")),
                el(html.H3, t("setup.step2"), className="h6 mt-3"),
                el(html.Div, id=ids.PW_HEAD),
                el(html.Div, id=ids.PW_MAPPING),
                el(html.H3, t("setup.step3"), className="h6 mt-3"),
                el(
                    dbc.Row,
                    [
                        _field(
                            t("setup.units"),
                            dropdown(id=ids.PW_UNITS, options=["Wh", "kWh", "MWh"], value="kWh", clearable=False),
                            2,
                        ),
                        _field(
                            t("setup.timezone"),
                            dropdown(id=ids.PW_TIMEZONE, options=zones, value="Europe/Moscow", clearable=False),
                            3,
                        ),
                        _field(
                            t("setup.value_kind"),
                            dropdown(
                                id=ids.PW_KIND,
                                options=_options("setup.kind", ("interval", "cumulative")),
                                value="interval",
                                clearable=False,
                            ),
                            4,
                        ),
                        _field(
                            t("setup.interval"),
                            dropdown(id=ids.PW_INTERVAL, options=intervals, value=1800, clearable=False),
                            3,
                        ),
                    ],
                ),
                el(
                    dbc.Row,
                    [
                        _field(t("setup.organization"), dropdown(id=ids.PW_ORG), 6),
                        el(
                            dbc.Col,
                            [
                                el(html.Br),
                                el(dbc.Checkbox, id=ids.PW_AUTO_CREATE, label=t("setup.auto_create"), value=False),
                            ],
                            md=6,
                        ),
                    ],
                ),
                el(html.Div, id=ids.PW_METER_MAP),
                el(html.H3, t("setup.step4"), className="h6 mt-3"),
                el(
                    dcc.Loading,
                    el(html.Div, el(html.P, t("setup.preview_wait"), className="small text-muted"), id=ids.PW_PREVIEW),
                ),
                el(html.H3, t("setup.step5"), className="h6 mt-3"),
                el(
                    dbc.RadioItems,
                    id=ids.PW_MODE,
                    options=[{"label": t(f"setup.mode.{m}"), "value": m} for m in ("push", "pull")],
                    value="push",
                ),
                el(
                    dbc.Row,
                    [
                        _field(
                            t("setup.auth"),
                            dropdown(
                                id=ids.PW_AUTH,
                                options=_options("setup.auth", ("none", "api_key", "bearer", "basic")),
                                value="none",
                                clearable=False,
                            ),
                            3,
                        ),
                        _field(t("setup.auth_header"), el(dbc.Input, id=ids.PW_AUTH_HEADER, value="X-API-Key"), 3),
                        _field(t("setup.username"), el(dbc.Input, id=ids.PW_USERNAME, autocomplete="off"), 3),
                        _field(
                            t("partners.secret"),
                            el(dbc.Input, id=ids.PW_SECRET, type="password", autocomplete="off"),
                            3,
                        ),
                    ],
                    className="mt-2",
                ),
                el(
                    dbc.Row,
                    [
                        _field(
                            t("setup.every"), dropdown(id=ids.PW_EVERY, options=minutes, value=900, clearable=False), 3
                        ),
                        el(
                            dbc.Col,
                            [el(html.Br), el(dbc.Checkbox, id=ids.PW_PRIVATE, label=t("setup.private"), value=False)],
                            md=9,
                        ),
                    ],
                ),
                el(dbc.Button, t("setup.create"), id=ids.PW_CREATE, color="primary", className="mt-2"),
                el(html.Div, id=ids.PW_CREATE_RESULT, className="mt-2"),
            ],
        ),
        className="wb-card mb-3",
        id=ids.PW_CARD,
    )


def layout(**_query: str) -> Element:
    principal = current_principal()
    if principal is None or principal.role not in ("admin", "operator"):
        return el(
            html.Div,
            [
                el(html.H1, t("partners.title"), className="h3"),
                el(dbc.Alert, t("partners.staff_only"), color="warning", id=ids.PARTNERS_DENIED),
            ],
        )
    today = reader_today()
    create = el(
        dbc.Card,
        el(
            dbc.CardBody,
            [
                el(html.H2, t("partners.create"), className="h5"),
                el(
                    dbc.Row,
                    [
                        el(
                            dbc.Col,
                            [
                                el(dbc.Label, t("partners.slug"), html_for=ids.NEW_SLUG),
                                el(dbc.Input, id=ids.NEW_SLUG, placeholder="mosenergosbyt"),
                            ],
                            md=4,
                        ),
                        el(
                            dbc.Col,
                            [
                                el(dbc.Label, t("partners.name"), html_for=ids.NEW_NAME),
                                el(dbc.Input, id=ids.NEW_NAME),
                            ],
                            md=8,
                        ),
                    ],
                    className="g-2 mb-2",
                ),
                el(dbc.Label, t("partners.config"), html_for=ids.NEW_CONFIG),
                el(
                    dbc.Textarea,
                    id=ids.NEW_CONFIG,
                    value=json.dumps(CONFIG_TEMPLATE, ensure_ascii=False, indent=2),
                    style={"fontFamily": "monospace", "height": "220px"},
                ),
                el(dbc.Label, t("partners.secret"), html_for=ids.NEW_SECRET, className="mt-2"),
                el(dbc.Input, id=ids.NEW_SECRET, type="password", autocomplete="off"),
                el(dbc.Button, t("partners.create_button"), id=ids.CREATE, color="primary", className="mt-2"),
                el(html.Div, id=ids.CREATE_RESULT, className="mt-2"),
            ],
        ),
        className="wb-card mb-3",
    )
    selected = el(
        dbc.Card,
        el(
            dbc.CardBody,
            [
                el(
                    dbc.Row,
                    [
                        el(
                            dbc.Col,
                            [
                                el(dbc.Label, t("partners.selected"), html_for=ids.PICK),
                                dropdown(id=ids.PICK, placeholder=t("partners.pick")),
                            ],
                            md=6,
                        ),
                        el(
                            dbc.Col,
                            [
                                el(html.Br),
                                el(dbc.Button, t("partners.test"), id=ids.TEST, color="secondary"),
                                el(html.Small, " " + t("partners.test_hint"), className="text-muted"),
                            ],
                            md=6,
                        ),
                    ],
                    className="g-2 mb-2",
                ),
                el(dcc.Loading, el(html.Div, id=ids.TEST_RESULT)),
                el(
                    dcc.Upload,
                    id=ids.UPLOAD,
                    children=el(html.Div, t("partners.upload")),
                    multiple=False,
                    className="border border-2 border-dashed rounded p-3 text-center my-3",
                    max_size=64 * 1024 * 1024,
                ),
                el(dcc.Loading, el(html.Div, id=ids.UPLOAD_RESULT)),
                el(html.H3, t("partners.backfill"), className="h6 mt-3"),
                el(
                    dbc.Row,
                    [
                        el(
                            dbc.Col,
                            el(
                                dcc.DatePickerRange,
                                id=ids.BACKFILL_RANGE,
                                display_format="DD.MM.YYYY",
                                first_day_of_week=1,
                                start_date_placeholder_text=t("picker.start"),
                                end_date_placeholder_text=t("picker.end"),
                                start_date=(today - dt.timedelta(days=30)).isoformat(),
                                end_date=today.isoformat(),
                            ),
                            md="auto",
                        ),
                        el(dbc.Col, el(dbc.Button, t("partners.backfill_button"), id=ids.BACKFILL), md="auto"),
                    ],
                    className="g-2 align-items-center",
                ),
                el(dbc.Progress, id=ids.BACKFILL_PROGRESS, value=0, className="my-2", style={"height": "1.2rem"}),
                el(html.Div, id=ids.BACKFILL_STATUS, className="small"),
                el(dcc.Store, id=ids.BACKFILL_JOB),
                el(dcc.Interval, id=ids.BACKFILL_TICK, interval=1000, disabled=True),
                el(html.H3, t("partners.batches"), className="h6 mt-3"),
                el(html.Div, id=ids.BATCHES),
                el(html.H3, t("partners.letters"), className="h6 mt-3"),
                el(html.P, t("partners.letters_hint"), className="small text-muted"),
                el(dcc.Loading, el(html.Div, id=ids.LETTERS)),
            ],
        ),
        className="wb-card mb-3",
    )
    return el(
        html.Div,
        [
            el(html.H1, t("partners.title"), className="h3"),
            el(dcc.Store, id=ids.OPENED),
            el(dcc.Store, id=ids.PARTNERS_CHANGED),  # the slug of a partner just created: the list shows it
            section(t("partners.list"), [el(html.Div, id=ids.PARTNERS_TABLE)]),
            section(t("partners.requests"), [el(html.Div, id=ids.REQUESTS)], t("partners.requests_hint")),
            selected,
            setup_card(),
            # The raw configuration stays for administrators, folded away.
            el(html.Details, [el(html.Summary, t("setup.advanced"), id=ids.ADVANCED_OPEN), create], className="mb-3")
            if principal.role == "admin"
            else None,
        ],
    )


dash.register_page(__name__, path="/partners", name="partners", title="Wattboard — партнёры", layout=layout)
