"""Partners page (admins and operators only): list, create, test connection, import, backfill."""

from __future__ import annotations

import base64
import datetime as dt
import json

import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, html, no_update
from flask import request

from alerts.actions import reading_zone
from analytics.timezones import zone_label
from auth.principal import AccessDenied
from context.guard import signed_in
from context.services import services
from dashboard.callback_set import CallbackSet
from dashboard.components import table
from dashboard.formatting import moment
from dashboard.ids import partners as ids
from dashboard.plain import Element
from dashboard.reasons import reason_text
from i18n import current_language, t, t_error
from onboarding.actions import connection_requests as requests_for_connection
from partners import admin
from partners.fetcher import FetchError
from partners.ingest import ingest_payload
from partners.polling import connection_preview
from workers.jobs import enqueue_backfill, job_progress

STAFF = ("admin", "operator")




def _record(record: object) -> str:
    return json.dumps(record, ensure_ascii=False)[:160] if record is not None else ""


def _rejections(items: list[dict]) -> Element | None:
    if not items:
        return None
    rows = [[reason_text(item["reason"]), _record(item.get("record"))] for item in items[:20]]
    return table([t("partners.reason"), t("partners.record")], rows, ids.REJECTIONS)


callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds


@callbacks.callback(
    Output(ids.PARTNERS_TABLE, "children"),
    Output(ids.PICK, "options"),
    Input(ids.OPENED, "data"),
    Input(ids.PARTNERS_CHANGED, "data"),
)
@signed_in(*STAFF)
def partner_list(principal, _opened, _created):
    partners = admin.partners_for(services(), principal)
    if not partners:
        return html.P(t("partners.none"), className="text-muted"), []
    zone = reading_zone(services(), principal)
    rows = []
    for p in partners:
        pull = p.config.get("pull") or {}
        every = t("partners.every_s").format(n=pull.get("interval_s")) if pull else t("partners.push_only")
        schedule = pull.get("cron") or every
        rows.append(
            [
                p.slug,
                p.name,
                p.format,
                schedule,
                moment(p.last_polled_at, zone) if p.last_polled_at else "—",
            ]
        )
    headers = [
        t(k) for k in ("partners.slug", "partners.name", "partners.format", "partners.schedule")
    ] + [f"{t('partners.last_poll')}, {zone_label(zone, current_language())}"]
    return table(headers, rows, ids.PARTNERS_LIST), [
        {"label": f"{p.slug} — {p.name}", "value": p.slug} for p in partners
    ]

@callbacks.callback(
    Output(ids.CREATE_RESULT, "children"),
    Output(ids.PARTNERS_CHANGED, "data", allow_duplicate=True),
    Input(ids.CREATE, "n_clicks"),
    State(ids.NEW_SLUG, "value"),
    State(ids.NEW_NAME, "value"),
    State(ids.NEW_CONFIG, "value"),
    State(ids.NEW_SECRET, "value"),
    prevent_initial_call=True,
)
@signed_in(*STAFF)
def create(principal, _clicks, slug, name, config_text, secret):
    svc = services()
    try:
        config = json.loads(config_text or "{}")
        if not isinstance(config, dict):
            raise admin.PartnerError("the configuration must be a JSON object", "not_object")
        partner, key = admin.create_partner(
            svc, principal, (slug or "").strip(), name or "", config, secret or None, ip=request.remote_addr
        )
    except json.JSONDecodeError as exc:
        return dbc.Alert(t("partners.err.json").format(line=exc.lineno, column=exc.colno), color="danger"), no_update
    except admin.PartnerError as exc:
        return dbc.Alert(t_error("partners.err", exc, 300), color="danger"), no_update
    except AccessDenied:
        return dbc.Alert(t("partners.err.private"), color="danger"), no_update
    created = dbc.Alert([t("partners.created"), html.Br(), html.Code(key, id=ids.NEW_KEY)], color="success")
    return created, partner.slug

@callbacks.callback(
    Output(ids.TEST_RESULT, "children"),
    Input(ids.TEST, "n_clicks"),
    State(ids.PICK, "value"),
    prevent_initial_call=True,
)
@signed_in(*STAFF)
def test_connection(principal, _clicks, slug):
    try:
        summary = connection_preview(services(), principal, slug or "", dt.datetime.now(dt.UTC))
    except FetchError as exc:
        return dbc.Alert(t_error("partners.err", exc, 300), color="danger")
    if summary is None:
        return dbc.Alert(t("partners.pick"), color="warning")
    parts: list = [
        html.P(
            f"{t('partners.records')}: {summary.records} · {t('partners.accepted')}: "
            f"{summary.accepted} · {t('partners.rejected')}: {summary.rejected}"
        )
    ]
    parts += [dbc.Alert(reason_text(error), color="danger") for error in summary.errors]
    if summary.preview:
        parts.append(html.H4(t("partners.first_rows"), className="h6"))
        parts.append(
            table(
                [t(f"partners.{key}") for key in ("meter", "ts_utc", "kwh", "interval", "status")],
                [[r["meter"], r["ts"], r["kwh"], r["interval_s"], r["status"]] for r in summary.preview],
                "partner-preview",
            )
        )
    parts.append(_rejections(summary.rejected_examples))
    return html.Div(parts)

@callbacks.callback(
    Output(ids.UPLOAD_RESULT, "children"),
    Input(ids.UPLOAD, "contents"),
    State(ids.UPLOAD, "filename"),
    State(ids.PICK, "value"),
    prevent_initial_call=True,
)
@signed_in(*STAFF)
def upload(principal, contents, filename, slug):
    svc = services()
    partner = admin.partner_for(svc, principal, slug or "")
    if partner is None:
        return dbc.Alert(t("partners.pick"), color="warning")
    payload = base64.b64decode(contents.split(",", 1)[1])
    report = ingest_payload(svc, partner, payload, "import", file_name=filename)
    if report.error:
        return dbc.Alert(f"{filename}: {reason_text(report.error)}", color="danger")
    summary = (
        f"{filename}: {t('partners.records')} {report.records}, {t('partners.accepted')} "
        f"{report.accepted}, {t('partners.rejected')} {len(report.rejected)}, {t('partners.held')} "
        f"{len(report.held)}, {t('partners.duplicates')} {report.duplicates}"
    )
    return html.Div(
        [
            dbc.Alert(
                summary,
                color="success" if not (report.rejected or report.held) else "warning",
                id=ids.UPLOAD_SUMMARY,
            ),
            _rejections(report.rejected),
        ]
    )

@callbacks.callback(
    Output(ids.BACKFILL_JOB, "data"),
    Output(ids.BACKFILL_TICK, "disabled"),
    Output(ids.BACKFILL_PROGRESS, "value"),
    Output(ids.BACKFILL_PROGRESS, "label"),
    Output(ids.BACKFILL_STATUS, "children"),
    Input(ids.BACKFILL, "n_clicks"),
    Input(ids.BACKFILL_TICK, "n_intervals"),
    State(ids.PICK, "value"),
    State(ids.BACKFILL_RANGE, "start_date"),
    State(ids.BACKFILL_RANGE, "end_date"),
    State(ids.BACKFILL_JOB, "data"),
    prevent_initial_call=True,
)
@signed_in(*STAFF)
def backfill(_principal, _clicks, _ticks, slug, start, end, job_id):
    svc = services()
    if ctx.triggered_id == ids.BACKFILL:
        if not slug or not start or not end:
            return no_update, True, 0, "", t("partners.pick")
        lo = dt.datetime.fromisoformat(start).replace(tzinfo=dt.UTC)
        hi = dt.datetime.fromisoformat(end).replace(tzinfo=dt.UTC) + dt.timedelta(days=1)
        return enqueue_backfill(svc, slug, lo, hi), False, 0, "0 %", ""
    if not job_id:
        return no_update, True, no_update, no_update, no_update
    info = job_progress(svc, job_id)
    share = float(info.get("progress") or 0.0)
    status = (
        f"{t('partners.accepted')}: {info.get('accepted', 0)} · {t('partners.rejected')}: {info.get('rejected', 0)}"
    )
    if info["status"] == "finished":
        return job_id, True, 100, "100 %", f"{t('partners.job_done')}. {status}"
    if info["status"] in ("failed", "missing", "canceled", "stopped"):
        return job_id, True, round(share * 100), "", f"{t('partners.job_failed')}: {info.get('error', '')}"
    return job_id, False, round(share * 100), f"{share:.0%}", status

@callbacks.callback(
    Output(ids.BATCHES, "children"),
    Input(ids.PICK, "value"),
    Input(ids.UPLOAD_RESULT, "children"),
    Input(ids.BACKFILL_STATUS, "children"),
)
@signed_in(*STAFF)
def recent_batches(principal, slug, _upload, _backfill):
    svc = services()
    partner = admin.partner_for(svc, principal, slug or "")
    if partner is None:
        return None
    zone = reading_zone(svc, principal)
    rows = [
        [
            moment(b.received_at, zone),
            b.source,
            b.file_name or "",
            b.records,
            b.accepted,
            b.rejected,
            reason_text(b.error or ""),
        ]
        for b in admin.recent_batches(svc, principal, partner)
    ]
    headers = [f"{t('partners.received')}, {zone_label(zone, current_language())}"] + [
        t(k)
        for k in (
            "partners.source",
            "partners.file",
            "partners.records",
            "partners.accepted",
            "partners.rejected",
            "partners.error",
        )
    ]
    return table(headers, rows, ids.BATCHES_TABLE)



@callbacks.callback(
    Output(ids.LETTERS, "children"),
    Input(ids.PICK, "value"),
    Input(ids.UPLOAD_RESULT, "children"),
)
@signed_in(*STAFF)
def recent_rejections(principal, slug, _upload):
    svc = services()
    partner = admin.partner_for(svc, principal, slug or "")
    if partner is None:
        return None
    letters = admin.recent_rejections(svc, principal, partner)
    if not letters:
        return html.P(t("partners.letters_none"), className="small", id=ids.LETTERS_NONE)
    zone = reading_zone(svc, principal)
    rows = [
        [
            moment(dt.datetime.fromisoformat(letter["at"]), zone) if letter.get("at") else "",
            letter.get("batch") or "",
            reason_text(str(letter.get("reason") or "")),
            _record(letter.get("record")),
        ]
        for letter in letters
    ]
    headers = [f"{t('partners.received')}, {zone_label(zone, current_language())}"] + [
        t(k) for k in ("partners.batch", "partners.reason", "partners.record")
    ]
    return table(headers, rows, ids.LETTERS_TABLE)


@callbacks.callback(Output(ids.REQUESTS, "children"), Input(ids.OPENED, "data"))
@signed_in(*STAFF)
def connection_requests(principal, _opened):
    svc = services()
    found = requests_for_connection(svc, principal)
    if not found:
        return html.P(t("partners.requests_none"), className="small text-muted")
    zone = reading_zone(svc, principal)
    rows = [[moment(r.at, zone), r.organization, r.point, r.supplier, r.contact, r.by] for r in found]
    headers = [f"{t('partners.received')}, {zone_label(zone, current_language())}"] + [
        t(f"partners.request.{k}") for k in ("organization", "point", "supplier", "contact", "by")
    ]
    return table(headers, rows, ids.REQUESTS_TABLE)
