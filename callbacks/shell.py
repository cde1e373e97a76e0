"""App shell: the language link, the organization switch for staff, the menu toggle on phones."""

from __future__ import annotations

from urllib.parse import quote

import dash
from dash import Input, Output, State

from auth.guard import signed_in
from dashboard.services import services
from data.meters import list_organizations


def register(app: dash.Dash) -> None:
    @app.callback(Output("lang-switch", "href"), Input("shell-url", "href"), Input("lang-switch", "href"))
    @signed_in()
    def language_link(_principal, href: str | None, current: str | None) -> str:  # type: ignore[no-untyped-def]
        base = (current or "/lang/en").split("?")[0]
        if not href:
            return base + "?next=/"
        path = "/" + href.split("/", 3)[3] if href.count("/") >= 3 else "/"
        return f"{base}?next={quote(path, safe='')}"

    @app.callback(Output("org-switch", "options"), Input("shell-url", "pathname"))
    @signed_in("admin", "operator")
    def organizations(_principal, _path):  # type: ignore[no-untyped-def]
        db = services().db
        return [{"label": name, "value": org_id} for org_id, name in list_organizations(db)]

    @app.callback(
        Output("nav-collapse", "is_open"),
        Input("nav-toggler", "n_clicks"),
        State("nav-collapse", "is_open"),
        prevent_initial_call=True,
    )
    @signed_in()
    def toggle_menu(_principal, _clicks, is_open):  # type: ignore[no-untyped-def]
        return not is_open
