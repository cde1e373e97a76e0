"""Notifications and profile: load the caller's channels, zone and quiet hours; save them; link or unlink Telegram."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, html

from alerts.actions import Preference, profile, save_profile
from alerts.kinds import CHANNELS
from analytics.timezones import local_moment
from context.guard import signed_in
from context.services import services
from dashboard.callback_set import CallbackSet
from dashboard.ids import profile as ids
from i18n import current_language, say, t
from reports.monthly import subscribe, subscribed
from telegram import actions as telegram

callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds


@callbacks.callback(
    Output({"type": "pref-channels", "kind": ALL}, "value"),
    Output({"type": "pref-severity", "kind": ALL}, "value"),
    Output(ids.TIMEZONE, "value"),
    Output(ids.QUIET_FROM, "value"),
    Output(ids.QUIET_TO, "value"),
    Output(ids.MONTHLY, "value"),
    Input(ids.OPENED, "data"),
)
@signed_in()
def load(principal, _opened):
    mine = profile(services(), principal)
    by_kind = {p.kind: p for p in mine.matrix}
    kinds = [o["id"]["kind"] for o in ctx.outputs_list[0]]
    channels = [[c for c in CHANNELS if getattr(by_kind[k], c)] if k in by_kind else [] for k in kinds]
    severities = [by_kind[k].min_severity if k in by_kind else "warning" for k in kinds]
    quiet = (
        str(mine.quiet_from) if mine.quiet_from is not None else "",
        str(mine.quiet_to) if mine.quiet_to is not None else "",
    )
    return channels, severities, mine.timezone, *quiet, subscribed(services(), principal)


@callbacks.callback(
    Output(ids.RESULT, "children"),
    Input(ids.SAVE, "n_clicks"),
    State({"type": "pref-channels", "kind": ALL}, "value"),
    State({"type": "pref-severity", "kind": ALL}, "value"),
    State(ids.TIMEZONE, "value"),
    State(ids.QUIET_FROM, "value"),
    State(ids.QUIET_TO, "value"),
    State(ids.MONTHLY, "value"),
    prevent_initial_call=True,
)
@signed_in()
def save(principal, _clicks, channels, severities, timezone, quiet_from, quiet_to, monthly):
    kinds = [s["id"]["kind"] for s in ctx.states_list[0]]
    matrix = [
        Preference(
            kind,
            "bell" in (chosen or []),
            "email" in (chosen or []),
            "slack" in (chosen or []),
            severity or "warning",
            telegram="telegram" in (chosen or []),
        )
        for kind, chosen, severity in zip(kinds, channels, severities, strict=True)
    ]
    try:
        save_profile(
            services(),
            principal,
            matrix,
            timezone or "Europe/Moscow",
            int(quiet_from) if quiet_from not in (None, "") else None,
            int(quiet_to) if quiet_to not in (None, "") else None,
        )
    except ValueError as exc:
        return dbc.Alert(say(exc), color="danger", className="py-1")
    subscribe(services(), principal, bool(monthly))
    return dbc.Alert(t("profile.saved"), color="success", className="py-1")


@callbacks.callback(
    Output(ids.TG_STATUS, "children"),
    Output(ids.TG_CODE, "children", allow_duplicate=True),
    Input(ids.OPENED, "data"),
    Input(ids.TG_UNLINK, "n_clicks"),
    prevent_initial_call="initial_duplicate",
)
@signed_in()
def telegram_status(principal, _opened, _unlinked):
    """Whether the caller's chat is linked; «Отключить» unlinks it first."""
    if ctx.triggered_id == ids.TG_UNLINK and telegram.unlink(services(), principal):
        return dbc.Alert(t("tg.unlinked"), color="secondary", className="py-1 mb-0"), None
    return (t("tg.linked") if telegram.linked(services(), principal) else t("tg.not_linked")), None


@callbacks.callback(
    Output(ids.TG_CODE, "children"),
    Input(ids.TG_LINK, "n_clicks"),
    prevent_initial_call=True,
)
@signed_in()
def telegram_code(principal, _clicks):
    """A fresh one-time code, the bot's link and until when the code holds, in the caller's zone."""
    try:
        offer = telegram.offer_link(services(), principal)
    except telegram.TelegramNotConfigured:
        return dbc.Alert(t("tg.not_configured"), color="warning", className="py-1 mb-0")
    mine = profile(services(), principal)
    until = local_moment(offer.expires_at, mine.timezone, current_language())
    bot = f"@{offer.bot_name}" if offer.bot_name else t("tg.the_bot")
    return html.Div(
        [
            html.Div(t("tg.code").format(bot=bot, code=offer.code, until=until), id=ids.TG_CODE_TEXT),
            html.Code(offer.code, id=ids.TG_CODE_VALUE, className="fs-4 d-block my-1"),
            html.A(t("tg.open"), href=offer.link, target="_blank", rel="noopener") if offer.link else None,
            html.Div(t("tg.after"), className="small text-muted mt-1"),
        ]
    )


