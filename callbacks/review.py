"""Data review page: the held readings with accept / reject, the recent corrections with their rollback."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, html, no_update

from analytics.timezones import local_moment
from context.guard import signed_in
from context.services import services
from dashboard.callback_set import CallbackSet
from dashboard.formatting import number, percent
from dashboard.ids import review as ids
from dashboard.ids import shell as shell_ids
from i18n import current_language, t
from review import corrections, held
from review.held import HeldRow

STAFF = ("admin", "operator")


def _reason(row: HeldRow) -> str:
    return t("review.reason_capacity" if "capacity" in row.reason else "review.reason_history")


def _decision(row: HeldRow) -> Any:
    if row.state == "held":
        return html.Span(
            [
                dbc.Button(t("review.accept"), id={"type": "review-accept", "id": row.id}, size="sm", color="success",
                           className="me-1"),
                dbc.Button(t("review.reject"), id={"type": "review-reject", "id": row.id}, size="sm", color="danger",
                           outline=True),
            ],
            className="text-nowrap",
        )  # fmt: skip
    return t(f"review.{row.state}").format(who=row.decided_by or "—")


def _table(head: list[str], body: list[Any], table_id: str) -> dbc.Table:
    header = html.Thead(html.Tr([html.Th(t(f"review.{h}")) for h in head]))
    return dbc.Table([header, html.Tbody(body)], size="sm", hover=True, responsive=True, id=table_id)


def held_table(rows: list[HeldRow]) -> Any:
    if not rows:
        return html.P(t("review.none_held"), className="text-muted", id=ids.HELD_EMPTY)
    lang = current_language()
    head = ["point", "organization", "partner", "interval", "value", "limit", "reason", "decision"]
    body = [
        html.Tr(
            [
                html.Td(r.code),
                html.Td(r.organization_name, className="wb-cell-clip", title=r.organization_name),
                html.Td(r.partner),
                html.Td(local_moment(dt.datetime.fromtimestamp(r.ts, dt.UTC), r.timezone, lang)),
                html.Td(number(r.value, 3), className="text-end"),
                html.Td(number(r.limit_kwh, 3), className="text-end"),
                html.Td(_reason(r), title=r.reason),
                html.Td(_decision(r)),
            ],
            id=f"review-held-{r.id}",
        )
        for r in rows
    ]
    return _table(head, body, ids.HELD_TABLE)


def corrections_table(found: list[corrections.Correction]) -> Any:
    if not found:
        return html.P(t("review.none_corrections"), className="text-muted", id=ids.CORRECTIONS_EMPTY)
    head = ["batch", "point", "organization", "day", "rows", "before", "after", "share", "rollback"]
    seen: set[str] = set()
    body = []
    for c in found:
        first = c.batch not in seen
        seen.add(c.batch)
        button = (
            dbc.Button(t("review.rollback"), id={"type": "review-rollback", "batch": c.batch}, size="sm",
                       color="warning")
            if first
            else ""
        )  # fmt: skip
        body.append(
            html.Tr(
                [
                    html.Td(c.batch, className="wb-cell-clip", title=c.batch),
                    html.Td(c.code),
                    html.Td(c.organization_name, className="wb-cell-clip", title=c.organization_name),
                    html.Td(c.day.strftime("%d.%m.%Y")),
                    html.Td(c.rows, className="text-end"),
                    html.Td(number(c.old_kwh, 1), className="text-end"),
                    html.Td(number(c.new_kwh, 1), className="text-end"),
                    html.Td(percent(c.new_kwh / c.old_kwh - 1 if c.old_kwh else None), className="text-end"),
                    html.Td(button),
                ],
                id=f"review-correction-{c.batch}-{c.code}-{c.day.isoformat()}",
            )
        )
    return _table(head, body, ids.CORRECTIONS_TABLE)


callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds


@callbacks.callback(
    Output(ids.HELD, "children"),
    Input(ids.DECIDED, "value"),
    Input(ids.CHANGED, "data"),
    Input(shell_ids.ORG_SWITCH, "value"),
)
@signed_in(*STAFF)
def show_held(principal, decided, _changed, org):
    return held_table(held.held_for_review(services(), principal, org, decided=bool(decided)))

@callbacks.callback(
    Output(ids.CORRECTIONS, "children"),
    Input(ids.CHANGED, "data"),
    Input(shell_ids.ORG_SWITCH, "value"),
)
@signed_in(*STAFF)
def show_corrections(principal, _changed, org):
    return corrections_table(corrections.recent_corrections(services(), principal, org))

@callbacks.callback(
    Output(ids.RESULT, "children"),
    Output(ids.CHANGED, "data", allow_duplicate=True),
    Input({"type": "review-accept", "id": ALL}, "n_clicks"),
    Input({"type": "review-reject", "id": ALL}, "n_clicks"),
    Input(ids.ACCEPT_ALL, "n_clicks"),
    Input(ids.REJECT_ALL, "n_clicks"),
    State(shell_ids.ORG_SWITCH, "value"),
    prevent_initial_call=True,
)
@signed_in(*STAFF)
def decide(principal, accepts, rejects, _all_a, _all_r, org):
    trigger = ctx.triggered_id
    if trigger is None or not (ctx.triggered and ctx.triggered[0]["value"]):
        return no_update, no_update
    svc = services()
    if isinstance(trigger, dict):
        held_ids, accept = [int(trigger["id"])], trigger["type"] == "review-accept"
    else:
        held_ids = [r.id for r in held.held_for_review(svc, principal, org)]
        accept = trigger == ids.ACCEPT_ALL
    n = held.accept(svc, principal, held_ids) if accept else held.reject(svc, principal, held_ids)
    message = t("review.done_accept" if accept else "review.done_reject").format(n=n)
    return dbc.Alert(message, color="success", id=ids.RESULT_ALERT), dt.datetime.now(dt.UTC).isoformat()

@callbacks.callback(
    Output(ids.ROLLBACK_RESULT, "children"),
    Output(ids.CHANGED, "data", allow_duplicate=True),
    Input({"type": "review-rollback", "batch": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
@signed_in(*STAFF)
def roll_back(principal, _clicks):
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not (ctx.triggered and ctx.triggered[0]["value"]):
        return no_update, no_update
    n = corrections.rollback(services(), principal, trigger["batch"])
    if not n:
        return dbc.Alert(t("review.nothing_to_roll_back"), color="warning"), no_update
    message = t("review.rolled_back").format(n=n, batch=trigger["batch"])
    return dbc.Alert(message, color="success", id=ids.ROLLBACK_ALERT), dt.datetime.now(dt.UTC).isoformat()

