"""The partners page's guided set-up card (``pw-*``): the sample, what Wattboard proposes from it, the mapping, the
live preview and the creation. Reading options are pattern-matching controls (``{"type": "pw-opt", "name": …}``)
drawn for the sample's format; the sample lives in the page's store (partner data, never a secret: the pull secret
is only ever a form field)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, html, no_update
from flask import request

from analytics.timezones import zone_label
from auth.access import visible_meters
from auth.principal import AccessDenied
from context.guard import signed_in
from context.services import services
from dashboard.callback_set import CallbackSet
from dashboard.components import dropdown, table
from dashboard.ids import partners as ids
from dashboard.reasons import reason_text, time_format_words
from i18n import current_language, t, t_error
from partners import admin
from partners.fetcher import FetchError
from partners.setup import MAX_SAMPLE, Choices, fetch_sample, meter_ids, organizations, preview
from partners.sniff import TIME_FORMATS, FileKind, UnknownFile, file_kind

STAFF = ("admin", "operator")
SHOWN_ROWS = 10
TS_FORMATS = (*TIME_FORMATS, "iso", "epoch", "epoch_ms")
DELIMITERS = [{"label": "«;»", "value": ";"}, {"label": "«,»", "value": ","}, {"label": "Tab", "value": "\t"}]

callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds


def _sample(data: dict[str, Any] | None) -> bytes:
    if not data:
        return b""
    try:
        return base64.b64decode(data.get("b64") or "")
    except (binascii.Error, ValueError):
        return b""


@callbacks.callback(Output(ids.PW_ORG, "options"), Input(ids.OPENED, "data"))
@signed_in(*STAFF)
def organization_options(principal, _opened):
    return [{"label": f"{name} (ИНН {inn})", "value": inn} for inn, name in organizations(services(), principal)]


@callbacks.callback(
    Output(ids.PW_SAMPLE_DATA, "data"),
    Output(ids.PW_SAMPLE_STATUS, "children"),
    Input(ids.PW_SAMPLE, "contents"),
    Input(ids.PW_FETCH, "n_clicks"),
    State(ids.PW_SAMPLE, "filename"),
    State(ids.PW_URL, "value"),
    State(ids.PW_AUTH, "value"),
    State(ids.PW_AUTH_HEADER, "value"),
    State(ids.PW_USERNAME, "value"),
    State(ids.PW_SECRET, "value"),
    State(ids.PW_PRIVATE, "value"),
    prevent_initial_call=True,
)
@signed_in(*STAFF)
def take_sample(principal, contents, _fetch, filename, url, auth, header, username, secret, private):
    if ctx.triggered_id == ids.PW_FETCH:
        try:
            payload = fetch_sample(
                services(), principal, (url or "").strip(), auth or "none", header or "X-API-Key", username,
                secret or None, bool(private),
            )  # fmt: skip
        except FetchError as exc:
            words = t("setup.err.url") if exc.code == "url" else reason_text(str(exc)[:300])
            return no_update, dbc.Alert(words, color="danger")
        except AccessDenied:
            return no_update, dbc.Alert(t("partners.err.private"), color="danger")
        name = url
    else:
        payload = base64.b64decode((contents or ",").split(",", 1)[1])
        name = filename or "—"
    if len(payload) > MAX_SAMPLE:
        return no_update, dbc.Alert(t("setup.err.large"), color="danger")
    status = t("setup.sample").format(name=name, size=max(1, round(len(payload) / 1024)))
    return {"name": name, "b64": base64.b64encode(payload).decode()}, html.Span(status, id=ids.PW_SAMPLE_NAME)


def _kind(payload: bytes, fmt: str | None, records_path: str | None = None) -> FileKind:
    kind = file_kind(payload, records_path)
    if fmt and fmt != "auto" and fmt != kind.format:
        return FileKind(fmt)  # the operator knows better: read as they say, the preview tells the outcome
    return kind


def _choice(name: str, label: str, options: list[Any], value: Any, clearable: bool = False) -> dbc.Col:
    control = dropdown(id={"type": "pw-opt", "name": name}, options=options, value=value, clearable=clearable)
    return dbc.Col([html.Div(label, className="small mb-1"), control], md=3, className="mb-2")


def _ts_formats() -> list[dict[str, str]]:
    """The time formats as a reader writes them («ДД.ММ.ГГГГ ЧЧ:ММ», «ISO 8601», «Unix, секунды»)."""
    words = {f: t(f"setup.{f}") if f.startswith("epoch") else time_format_words(f) for f in TS_FORMATS}
    return [{"label": label, "value": f} for f, label in words.items()]


def _mapping(kind: FileKind) -> list[Any]:
    options, columns = kind.options, list(kind.columns)
    if kind.format == "csv":
        meters = [{"label": t("setup.meter.none"), "value": ""}] + [{"label": c, "value": c} for c in columns]
        return [
            dbc.Row(
                [
                    _choice("ts_column", t("setup.ts"), columns, options.get("ts_column")),
                    _choice("value_column", t("setup.value"), columns, options.get("value_column")),
                    _choice("meter_column", t("setup.meter"), meters, options.get("meter_column", "")),
                    _choice("ts_format", t("setup.ts_format"), _ts_formats(), options.get("ts_format")),
                ]
            ),
            dbc.Row(
                [
                    _choice(
                        "delimiter",
                        t("setup.delimiter"),
                        DELIMITERS,
                        options.get("delimiter", ";"),
                    ),
                    dbc.Col(
                        dbc.Checkbox(
                            id={"type": "pw-opt", "name": "decimal_comma"},
                            label=t("setup.decimal_comma"),
                            value=bool(options.get("decimal_comma")),
                        ),
                        md=4,
                        className="mt-4",
                    ),
                ]
            ),
        ]
    if kind.format == "json":
        lists = list(kind.lists) or [options.get("records_path", "")]
        paths = [{"label": c, "value": c} for c in columns]
        return [
            dbc.Row(
                [
                    _choice("records_path", t("setup.records"), [{"label": p or "—", "value": p} for p in lists],
                            options.get("records_path", "")),
                    _choice("ts_path", t("setup.ts"), paths, options.get("ts_path")),
                    _choice("value_path", t("setup.value"), paths, options.get("value_path")),
                    _choice("meter_path", t("setup.meter"), [{"label": t("setup.meter.none"), "value": ""}, *paths],
                            options.get("meter_path", "")),
                ]
            ),
            dbc.Row([_choice("ts_format", t("setup.ts_format"), _ts_formats(), options.get("ts_format", "iso"))]),
        ]  # fmt: skip
    return [html.P(t("setup.no_mapping"), className="small text-muted")]


@callbacks.callback(
    Output(ids.PW_HEAD, "children"),
    Output(ids.PW_MAPPING, "children"),
    Output(ids.PW_UNITS, "value"),
    Output(ids.PW_INTERVAL, "value"),
    Input(ids.PW_SAMPLE_DATA, "data"),
    Input(ids.PW_FORMAT, "value"),
    prevent_initial_call=True,
)
@signed_in(*STAFF)
def propose(_principal, data, fmt):
    payload = _sample(data)
    if not payload:
        return None, None, no_update, no_update
    try:
        kind = _kind(payload, fmt)
    except UnknownFile as exc:
        return dbc.Alert(t_error("first.err", exc), color="danger"), None, no_update, no_update
    if kind.rows:
        head = table(list(kind.columns), [list(r) for r in kind.rows[:SHOWN_ROWS]], ids.PW_HEAD_TABLE)
    else:
        text = payload[:1500].decode("utf-8", "replace")
        head = html.Pre(text, className="small border rounded p-2", style={"maxHeight": "14rem", "overflow": "auto"})
    interval = kind.interval_s if kind.format in ("csv", "json") else no_update
    return head, _mapping(kind), kind.units if kind.format != "espi" else no_update, interval


def _reading_options(option_ids: list[dict[str, str]], values: list[Any]) -> dict[str, Any]:
    return {i["name"]: v for i, v in zip(option_ids or [], values or [], strict=False)}


def _format_and_options(payload: bytes, fmt: str | None, option_ids: list, values: list) -> tuple[str, dict[str, Any]]:
    """The format and reading options as the operator set them, over what the sample suggests."""
    chosen = _reading_options(option_ids, values)
    if not payload:
        return (fmt if fmt and fmt != "auto" else "csv"), chosen
    try:
        kind = _kind(payload, fmt, chosen.get("records_path"))
    except UnknownFile:
        return (fmt if fmt and fmt != "auto" else "csv"), chosen
    return kind.format, {**kind.options, **chosen} if kind.format in ("csv", "json") else {}


# The form's fields besides the reading options and the mapping: name → component id (property "value").
FIELDS = {
    "slug": ids.PW_SLUG, "units": ids.PW_UNITS, "timezone": ids.PW_TIMEZONE, "kind": ids.PW_KIND,
    "interval": ids.PW_INTERVAL, "org": ids.PW_ORG, "auto_create": ids.PW_AUTO_CREATE, "mode": ids.PW_MODE,
    "url": ids.PW_URL, "auth": ids.PW_AUTH, "auth_header": ids.PW_AUTH_HEADER, "username": ids.PW_USERNAME,
    "every": ids.PW_EVERY, "private": ids.PW_PRIVATE,
}  # fmt: skip
PREVIEWED = ("units", "timezone", "kind", "interval", "org", "auto_create")  # a change redraws the preview
SAMPLE: dict[str, tuple[Any, str]] = {"data": (ids.PW_SAMPLE_DATA, "data"), "fmt": (ids.PW_FORMAT, "value")}
OPTIONS: dict[str, tuple[Any, str]] = {
    "values": ({"type": "pw-opt", "name": ALL}, "value"),
    "targets": ({"type": "pw-map", "meter": ALL}, "value"),
}
OPTION_IDS = {
    "option_ids": ({"type": "pw-opt", "name": ALL}, "id"),
    "map_ids": ({"type": "pw-map", "meter": ALL}, "id"),
}


def _assemble(sample: bytes, fmt: str | None, values: list, option_ids: list, targets: list, map_ids: list,
              form: dict[str, Any]) -> Choices:  # fmt: skip
    """The operator's choices, from the whole form."""
    fmt, options = _format_and_options(sample, fmt, option_ids, values)
    mapping = {i["meter"]: v for i, v in zip(map_ids or [], targets or [], strict=False)}
    pull = form.get("mode") == "pull"
    return Choices(
        format=fmt,
        options=options,
        units=form.get("units") or "kWh",
        timezone=form.get("timezone") or "Europe/Moscow",
        value_kind=form.get("kind") or "interval",
        interval_s=int(form.get("interval") or 1800),
        organization_inn=form.get("org") or None,
        auto_create_meters=bool(form.get("auto_create")),
        meter_map=mapping,
        pull_url=((form.get("url") or "").strip() or None) if pull else None,
        auth=form.get("auth") or "none",
        auth_header=form.get("auth_header") or "X-API-Key",
        username=form.get("username") or None,
        every_s=int(form.get("every") or 900),
        allow_private_network=bool(form.get("private")),
    )


@callbacks.callback(
    Output(ids.PW_METER_MAP, "children"),
    Input(ids.PW_SAMPLE_DATA, "data"),
    Input(ids.PW_FORMAT, "value"),
    Input({"type": "pw-opt", "name": ALL}, "value"),
    Input(ids.PW_ORG, "value"),
    State({"type": "pw-opt", "name": ALL}, "id"),
    prevent_initial_call=True,
)
@signed_in(*STAFF)
def meter_mapping(principal, data, fmt, values, inn, option_ids):
    payload = _sample(data)
    if not payload:
        return None
    fmt, options = _format_and_options(payload, fmt, option_ids, values)
    found = meter_ids(fmt, options, payload)
    if not found:
        return None
    svc = services()
    org = next((o for i, _n, o in organizations(svc, principal, with_ids=True) if i == inn), None) if inn else None
    points = [m.code for m in visible_meters(svc.db, principal, org)] if org else []
    choices = [{"label": t("setup.map.same"), "value": ""}] + [{"label": c, "value": c} for c in points]
    rows = [
        dbc.Row(
            [
                dbc.Col(html.Code(meter), md=4),
                dbc.Col(dropdown(id={"type": "pw-map", "meter": meter}, options=choices, value="", clearable=False),
                        md=6),  # fmt: skip
            ],
            className="mb-1 align-items-center",
        )
        for meter in found
    ]
    return [html.Div(t("setup.map"), className="small mb-1"), *rows]


@callbacks.callback(
    Output(ids.PW_PREVIEW, "children"),
    inputs={
        **{name: Input(*where) for name, where in {**SAMPLE, **OPTIONS}.items()},
        **{name: Input(FIELDS[name], "value") for name in PREVIEWED},
    },
    state={
        **{name: State(*where) for name, where in OPTION_IDS.items()},
        **{name: State(cid, "value") for name, cid in FIELDS.items() if name not in PREVIEWED},
    },
    prevent_initial_call=True,
)
@signed_in(*STAFF)
def live_preview(principal, data, fmt, values, targets, option_ids, map_ids, **form):
    payload = _sample(data)
    if not payload:
        return html.P(t("setup.preview_wait"), className="small text-muted")
    choices = _assemble(payload, fmt, values, option_ids, targets, map_ids, {**form, "mode": "push"})
    try:
        report = preview(services(), principal, (form.get("slug") or "").strip(), choices.config(), payload)
    except admin.PartnerError as exc:
        return dbc.Alert(t_error("partners.err", exc, 400), color="danger")
    if report.error:
        return dbc.Alert(reason_text(report.error), color="danger", id=ids.PW_PREVIEW_ERROR)
    summary = t("setup.preview_sum").format(
        records=report.records, accepted=report.accepted, rejected=len(report.rejected), held=len(report.held)
    )
    zone = choices.timezone
    color = "warning" if report.rejected else "success"
    parts: list[Any] = [dbc.Alert(summary, color=color, id=ids.PW_PREVIEW_SUMMARY)]
    if report.preview:
        rows = [
            [r["meter"], dt.datetime.fromisoformat(r["ts"]).astimezone(ZoneInfo(zone)).strftime("%d.%m.%Y %H:%M"),
             f"{r['kwh']:.3f}".replace(".", ",") if current_language() == "ru" else f"{r['kwh']:.3f}"]
            for r in report.preview[:SHOWN_ROWS]
        ]  # fmt: skip
        local = t("setup.local").format(zone=zone_label(zone, current_language()))
        parts.append(table([t("setup.point"), local, t("partners.kwh")], rows, ids.PW_PREVIEW_TABLE))
    if report.rejected:
        rejected = [[reason_text(r["reason"])] for r in report.rejected[:SHOWN_ROWS]]
        parts.append(table([t("partners.reason")], rejected, ids.PW_PREVIEW_REJECTED))
    return parts


@callbacks.callback(
    Output(ids.PW_CREATE_RESULT, "children"),
    Output(ids.PARTNERS_CHANGED, "data", allow_duplicate=True),
    inputs={"_clicks": Input(ids.PW_CREATE, "n_clicks")},
    state={
        "name": State(ids.PW_NAME, "value"),
        "secret": State(ids.PW_SECRET, "value"),
        **{name: State(*where) for name, where in {**SAMPLE, **OPTIONS, **OPTION_IDS}.items()},
        **{name: State(cid, "value") for name, cid in FIELDS.items()},
    },
    prevent_initial_call=True,
)
@signed_in(*STAFF)
def create(principal, _clicks, name, secret, data, fmt, values, targets, option_ids, map_ids, **form):
    choices = _assemble(_sample(data), fmt, values, option_ids, targets, map_ids, form)
    slug = (form.get("slug") or "").strip()
    try:
        partner, key = admin.create_partner(
            services(), principal, slug, name or "", choices.config(), secret or None, ip=request.remote_addr
        )
    except admin.PartnerError as exc:
        return dbc.Alert(t_error("partners.err", exc, 400), color="danger"), no_update
    except AccessDenied:
        return dbc.Alert(t("partners.err.private"), color="danger"), no_update
    if choices.pull_url:
        done = t("setup.created_pull").format(n=choices.every_s // 60)
        return dbc.Alert(done, color="success", id=ids.PW_CREATED), partner.slug
    shown = [t("partners.created"), html.Br(), html.Code(key, id=ids.PW_KEY)]
    return dbc.Alert(shown, color="success", id=ids.PW_CREATED), partner.slug
