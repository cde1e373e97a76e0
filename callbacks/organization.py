"""My organization: its people, and invitations sent by its owner."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, html

from alerts.actions import has_slack, rules, save_rule, set_slack
from auth.invites import invite, own_organization
from auth.mail import MailUnavailable
from auth.principal import AccessDenied
from context.guard import signed_in
from context.services import services
from dashboard.callback_set import CallbackSet
from dashboard.components import table
from dashboard.formatting import number
from dashboard.ids import organization as ids
from forecasting.actions import current_budget, set_budget
from i18n import say, t, t_error, t_or
from weather.location import PointPlace, point_places, set_point_place

callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds


@callbacks.callback(
    Output(ids.BUDGET_AMOUNT, "value"),
    Output(ids.BUDGET_UNIT, "value"),
    Input(ids.OPENED, "data"),
)
@signed_in()
def budget_form(principal, _opened):
    budget = current_budget(services(), principal, principal.organization_id)
    return (budget.amount, budget.unit) if budget else (None, "rub")


@callbacks.callback(
    Output(ids.BUDGET_RESULT, "children"),
    Input(ids.BUDGET_SAVE, "n_clicks"),
    State(ids.BUDGET_AMOUNT, "value"),
    State(ids.BUDGET_UNIT, "value"),
    prevent_initial_call=True,
)
@signed_in()
def save_budget(principal, _clicks, amount, unit):
    if principal.organization_id is None:
        return dbc.Alert(t("org.none"), color="warning", className="py-1")
    try:
        value = float(amount) if amount not in (None, "") else None
        set_budget(services(), principal, principal.organization_id, value, unit or "rub")
    except AccessDenied:
        return dbc.Alert(t("budget.only_owner"), color="warning", className="py-1")
    except (ValueError, TypeError):
        return dbc.Alert(t("budget.bad"), color="danger", className="py-1")
    return dbc.Alert(t("budget.saved" if value is not None else "budget.cleared"), color="success", className="py-1")


@callbacks.callback(
    Output(ids.RULES, "children"),
    Output(ids.RULES_RESULT, "children"),
    Input(ids.OPENED, "data"),
    Input({"type": "rule-save", "kind": ALL}, "n_clicks"),
    State({"type": "rule-on", "kind": ALL}, "value"),
    State({"type": "rule-threshold", "kind": ALL}, "value"),
)
@signed_in()
def alert_rules(principal, _opened, _clicks, switches, thresholds):
    """The organization's alert rules; a row's save button stores that row."""
    org = principal.organization_id
    if org is None:
        return html.Div(t("org.none"), className="text-muted"), ""
    svc = services()
    result = ""
    trigger = ctx.triggered_id
    if isinstance(trigger, dict) and trigger.get("type") == "rule-save":
        kinds = [s["id"]["kind"] for s in ctx.states_list[0]]
        row = kinds.index(trigger["kind"])
        threshold = thresholds[row] if row < len(thresholds) else None
        try:
            save_rule(
                svc,
                principal,
                org,
                trigger["kind"],
                bool(switches[row]),
                float(threshold) if threshold not in (None, "") else None,
            )
            result = dbc.Alert(t("rules.saved"), color="success", className="py-1")
        except AccessDenied:
            result = dbc.Alert(t("slack.only_owner"), color="warning", className="py-1")
        except (ValueError, TypeError) as exc:
            result = dbc.Alert(say(exc), color="danger", className="py-1")
    rows = [
        html.Tr(
            [
                html.Td(t(f"kind.{r.kind}")),
                html.Td(dbc.Switch(id={"type": "rule-on", "kind": r.kind}, value=r.enabled)),
                html.Td(
                    dbc.Input(
                        id={"type": "rule-threshold", "kind": r.kind},
                        type="number",
                        size="sm",
                        value=r.threshold,
                        placeholder=t("rules.default").format(value=_amount(r.default, r.unit)),
                    )
                    if r.default is not None
                    else dbc.Input(id={"type": "rule-threshold", "kind": r.kind}, type="hidden", value=None)
                ),
                html.Td(
                    dbc.Button(
                        "✓", id={"type": "rule-save", "kind": r.kind}, size="sm", color="secondary", outline=True
                    )
                ),
            ]
        )
        for r in rules(svc, principal, org)
    ]
    head = html.Thead(
        html.Tr([html.Th(t("rules.kind")), html.Th(t("rules.on")), html.Th(t("rules.threshold")), html.Th("")])
    )
    return dbc.Table([head, html.Tbody(rows)], size="sm", responsive=True, id=ids.RULES_TABLE), result


@callbacks.callback(
    Output(ids.SLACK_STATE, "children"),
    Output(ids.SLACK_RESULT, "children"),
    Input(ids.OPENED, "data"),
    Input(ids.SLACK_SAVE, "n_clicks"),
    Input(ids.SLACK_REMOVE, "n_clicks"),
    State(ids.SLACK_URL, "value"),
)
@signed_in()
def slack(principal, _opened, _save, _remove, url):
    org = principal.organization_id
    if org is None:
        return "", ""
    svc = services()
    result = ""
    if ctx.triggered_id in (ids.SLACK_SAVE, ids.SLACK_REMOVE):
        try:
            set_slack(svc, principal, org, url if ctx.triggered_id == ids.SLACK_SAVE else None)
            result = dbc.Alert(t("slack.saved"), color="success", className="py-1")
        except AccessDenied:
            result = dbc.Alert(t("slack.only_owner"), color="warning", className="py-1")
        except ValueError as exc:
            why = t_error("slack", exc)  # the address check's reason in the reader's words
            result = dbc.Alert(t("slack.bad_address").format(why=why), color="danger", className="py-1")
    state = t("slack.connected") if has_slack(svc, principal, org) else t("slack.not_connected")
    return state, result


def _amount(value: float, unit: str) -> str:
    """«6 ч», «20 %»: a default threshold in the reader's words and numbers."""
    return f"{number(value, 0 if value == int(value) else 1)} {t_or('unit.' + unit, unit)}"


@callbacks.callback(
    Output(ids.MEMBERS, "children"),
    Output(ids.NAME, "children"),
    Output(ids.INVITE_CARD, "style"),
    Input(ids.OPENED, "data"),
)
@signed_in()
def members(principal, _opened):
    own = own_organization(services(), principal)
    if own is None:
        return html.Div(t("org.none"), className="text-muted"), "", {"display": "none"}
    name, rows = own
    items = [
        html.Li(
            [
                html.Strong(u.full_name, className="me-2") if u.full_name else None,
                html.Span(u.email, className="text-muted me-2"),
                dbc.Badge(t("org.owner"), color="info") if u.is_owner else None,
                " ",
                dbc.Badge(t(f"ustatus.{u.status}"), color="light", text_color="dark"),
            ]
        )
        for u in rows
    ]
    return html.Ul(items, id=ids.MEMBER_LIST), name, {}

@callbacks.callback(
    Output(ids.INVITE_RESULT, "children"),
    Input(ids.INVITE_SEND, "n_clicks"),
    State(ids.INVITE_EMAIL, "value"),
    prevent_initial_call=True,
)
@signed_in()
def send_invite(principal, _clicks, email):
    if principal.organization_id is None:
        return dbc.Alert(t("org.none"), color="warning", className="py-1")
    svc = services()
    try:
        invite(svc, principal, email or "", principal.organization_id)
    except AccessDenied:
        return dbc.Alert(t("org.only_owner"), color="warning", className="py-1")
    except (ValueError, MailUnavailable) as exc:
        return dbc.Alert(say(exc), color="danger", className="py-1")
    return dbc.Alert(t("org.invited").format(email=email.strip().lower()), color="success", className="py-1")



@callbacks.callback(
    output={
        "table": Output(ids.PLACES, "children"),
        "options": Output(ids.PLACE_POINT, "options"),
        "form": Output(ids.PLACE_FORM, "style"),
        "result": Output(ids.PLACE_RESULT, "children"),
    },
    inputs=[
        Input(ids.OPENED, "data"),
        Input(ids.PLACE_SAVE, "n_clicks"),
        Input(ids.PLACE_CLEAR, "n_clicks"),
        State(ids.PLACE_POINT, "value"),
        State(ids.PLACE_LAT, "value"),
        State(ids.PLACE_LON, "value"),
    ],
)
@signed_in()
def places(principal, _opened, _save, _clear, code, latitude, longitude):
    """Where each point of the organization takes its weather from; its owner (or an administrator) gives a point
    coordinates or clears them."""
    org = principal.organization_id
    if org is None:
        return {"table": html.Div(t("org.none"), className="text-muted"), "options": [], "form": {"display": "none"},
                "result": ""}  # fmt: skip
    svc = services()
    result: object = ""
    if ctx.triggered_id in (ids.PLACE_SAVE, ids.PLACE_CLEAR):
        result = _change_place(svc, principal, code, latitude, longitude, clear=ctx.triggered_id == ids.PLACE_CLEAR)
    points = point_places(svc, principal, org)
    changeable = [{"label": f"{p.code} — {p.name}", "value": p.code} for p in points if p.may_change]
    return {
        "table": _places_table(points),
        "options": changeable,
        "form": {} if changeable else {"display": "none"},
        "result": result,
    }


def _change_place(svc, principal, code, latitude, longitude, clear: bool):
    if not code:
        return dbc.Alert(t("place.choose"), color="warning", className="py-1")
    try:
        coordinates = (None, None) if clear else (_degrees(latitude, "latitude"), _degrees(longitude, "longitude"))
        place = set_point_place(svc, principal, code, *coordinates)
    except (ValueError, AccessDenied) as exc:
        return dbc.Alert(say(exc), color="danger", className="py-1")
    where = place.name if place else t("place.unknown")
    words = t("place.cleared" if clear else "place.saved").format(code=code, place=where)
    return dbc.Alert(words, color="success", className="py-1")


def _degrees(text: object, name: str) -> float | None:
    """«56,84» or «56.84»; empty is None (the use case then asks for both or neither)."""
    value = str(text or "").strip().replace(",", ".").replace("\u2212", "-")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ValueError(t("err.place.number").format(name=t(f"place.{name}").split(",")[0])) from None


def _places_table(points: list[PointPlace]):
    rows = [
        [
            f"{p.code} — {p.name}",
            p.place.name if p.place else t("place.unknown"),
            t(f"place.source.{'coordinates' if p.by_coordinates else 'address'}") if p.place else "—",
        ]
        for p in points
    ]
    return table([t("place.point"), t("place.where"), t("place.source")], rows, ids.PLACES_TABLE)
