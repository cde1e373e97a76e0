"""Notifications and profile: load the caller's channels, zone and quiet hours; save them."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx

from alerts.actions import Preference, profile, save_profile
from alerts.kinds import CHANNELS
from auth.guard import signed_in
from dashboard.callback_set import CallbackSet
from dashboard.i18n import t
from dashboard.services import services


@signed_in()
def load(principal, _path):  # type: ignore[no-untyped-def]
    mine = profile(services(), principal)
    by_kind = {p.kind: p for p in mine.matrix}
    kinds = [o["id"]["kind"] for o in ctx.outputs_list[0]]
    channels = [[c for c in CHANNELS if getattr(by_kind[k], c)] if k in by_kind else [] for k in kinds]
    severities = [by_kind[k].min_severity if k in by_kind else "warning" for k in kinds]
    quiet = (
        str(mine.quiet_from) if mine.quiet_from is not None else "",
        str(mine.quiet_to) if mine.quiet_to is not None else "",
    )
    return channels, severities, mine.timezone, *quiet


@signed_in()
def save(principal, _clicks, channels, severities, timezone, quiet_from, quiet_to):  # type: ignore[no-untyped-def]
    kinds = [s["id"]["kind"] for s in ctx.states_list[0]]
    matrix = [
        Preference(
            kind, "bell" in (chosen or []), "email" in (chosen or []), "slack" in (chosen or []), severity or "warning"
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
        return dbc.Alert(str(exc), color="danger", className="py-1")
    return dbc.Alert(t("profile.saved"), color="success", className="py-1")


callbacks = CallbackSet()
register = callbacks.register  # create_app attaches these to the app it builds

callbacks.callback(
    Output({"type": "pref-channels", "kind": ALL}, "value"),
    Output({"type": "pref-severity", "kind": ALL}, "value"),
    Output("pref-timezone", "value"),
    Output("pref-quiet-from", "value"),
    Output("pref-quiet-to", "value"),
    Input("shell-url", "pathname"),
)(load)
callbacks.callback(
    Output("pref-result", "children"),
    Input("pref-save", "n_clicks"),
    State({"type": "pref-channels", "kind": ALL}, "value"),
    State({"type": "pref-severity", "kind": ALL}, "value"),
    State("pref-timezone", "value"),
    State("pref-quiet-from", "value"),
    State("pref-quiet-to", "value"),
    prevent_initial_call=True,
)(save)

