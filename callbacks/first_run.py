"""The first-run card's actions (the overview's callback draws the card, ``ov-first-run``) and the register-readings
form wherever it is shown (the first-run card, the consumption page's card of a point read by hand)."""

from __future__ import annotations

import base64
import datetime as dt
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import ALL, MATCH, Input, Output, State, html, no_update
from flask import request

from auth.access import meter_for
from auth.principal import AccessDenied
from context.guard import signed_in
from context.services import services
from dashboard.callback_set import CallbackSet
from dashboard.formatting import kwh, roubles
from dashboard.ids import first_run as ids
from dashboard.reasons import reason_text
from i18n import t, t_error
from manual.actions import submit_reading
from manual.registers import ReadingRefused
from onboarding.actions import add_point, request_connection, upload_file
from partners.sniff import UnknownFile

callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds


@callbacks.callback(
    Output(ids.ADD_RESULT, "children"),
    Output(ids.ADDED, "data"),
    Input(ids.ADD, "n_clicks"),
    State(ids.CODE, "value"),
    State(ids.NAME, "value"),
    State(ids.ADDRESS, "value"),
    State(ids.PLAN, "value"),
    State(ids.WAY, "value"),
    prevent_initial_call=True,
)
@signed_in("consumer")
def add(principal, clicks, code, name, address, plan, way):
    if not clicks:  # the card was (re)drawn: nothing was pressed
        return no_update, no_update
    try:
        meter = add_point(services(), principal, code or "", name or "", plan or "single", address, way or "manual")
    except ReadingRefused as exc:
        return dbc.Alert(t_error("manual.err", exc), color="danger"), no_update
    except AccessDenied:
        return dbc.Alert(t("first.err.owner"), color="danger"), no_update
    return dbc.Alert(t("first.added").format(code=meter.code), color="success"), meter.code


@callbacks.callback(
    Output({"type": "fr-ask-result", "code": MATCH}, "children"),
    Input({"type": "fr-ask", "code": MATCH}, "n_clicks"),
    State({"type": "fr-ask", "code": MATCH}, "id"),
    State({"type": "fr-supplier", "code": MATCH}, "value"),
    State({"type": "fr-contact", "code": MATCH}, "value"),
    prevent_initial_call=True,
)
@signed_in("consumer")
def ask(principal, clicks, button, supplier, contact):
    if not clicks:
        return no_update
    try:
        request_connection(services(), principal, button["code"], supplier or "", contact or "", ip=request.remote_addr)
    except ValueError as exc:
        return dbc.Alert(t_error("first.err", exc), color="danger")
    return dbc.Alert(t("first.sent"), color="success", id=ids.ASK_SENT)


@callbacks.callback(
    Output({"type": "fr-upload-result", "code": MATCH}, "children"),
    Input({"type": "fr-upload", "code": MATCH}, "contents"),
    State({"type": "fr-upload", "code": MATCH}, "filename"),
    State({"type": "fr-upload", "code": MATCH}, "id"),
    prevent_initial_call=True,
)
@signed_in("consumer")
def upload(principal, contents, filename, target):
    if not contents:
        return no_update
    payload = base64.b64decode(contents.split(",", 1)[1])
    try:
        report = upload_file(services(), principal, target["code"], payload, filename)
    except UnknownFile as exc:
        return dbc.Alert(t_error("first.err", exc), color="danger")
    if report.error:
        return dbc.Alert(f"{filename}: {reason_text(report.error)}", color="danger")
    summary = t("first.uploaded").format(
        file=filename, accepted=report.accepted, records=report.records, rejected=len(report.rejected)
    )
    reasons = [html.Li(reason_text(r["reason"])) for r in report.rejected[:5]]
    return html.Div(
        [
            dbc.Alert(summary, color="warning" if report.rejected else "success", id=ids.UPLOAD_SUMMARY),
            html.Ul(reasons, className="small") if reasons else None,
        ]
    )


@callbacks.callback(
    Output({"type": "reading-result", "code": MATCH}, "children"),
    Input({"type": "reading-submit", "code": MATCH}, "n_clicks"),
    State({"type": "reading-submit", "code": MATCH}, "id"),
    State({"type": "reading-date", "code": MATCH}, "value"),
    State({"type": "reading-reg", "code": MATCH, "reg": ALL}, "value"),
    State({"type": "reading-reg", "code": MATCH, "reg": ALL}, "id"),
    prevent_initial_call=True,
)
@signed_in("consumer", "admin")
def submit(principal, clicks, button, date, values, register_ids):
    if not clicks:
        return no_update
    try:
        day = dt.datetime.strptime((date or "").strip(), "%d.%m.%Y")
    except ValueError:
        return dbc.Alert(t("reading.err.date"), color="danger")
    try:
        numbers = [str(v).replace(" ", "").replace("\u00a0", "").replace(",", ".") for v in values]
        registers = {i["reg"]: float(n) for i, n in zip(register_ids, numbers, strict=True)}
    except ValueError:
        return dbc.Alert(t("reading.err.number"), color="danger")
    try:
        closed = submit_reading(services(), principal, button["code"], day, registers)
    except ReadingRefused as exc:
        return dbc.Alert(t_error("manual.err", exc), color="danger")
    if closed is None:
        return dbc.Alert(t("reading.first"), color="success", className="reading-saved")
    period, zone = closed.period, ZoneInfo(meter_for(services().db, principal, button["code"]).timezone)
    cost = f" ≈ {roubles(closed.rub)}" if closed.rub is not None else ""
    text = t("reading.period").format(
        start=period.start.astimezone(zone).strftime("%d.%m.%Y"),
        end=period.end.astimezone(zone).strftime("%d.%m.%Y"),
        kwh=kwh(period.total),
        cost=cost,
    )
    return dbc.Alert(text, color="success", className="reading-saved")
