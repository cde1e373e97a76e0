"""App shell: the language switch returns the user to the page they were on."""

from __future__ import annotations

from urllib.parse import quote

import dash
from dash import Input, Output

from auth.guard import signed_in


def register(app: dash.Dash) -> None:
    @app.callback(Output("lang-switch", "href"), Input("shell-url", "href"), Input("lang-switch", "href"))
    @signed_in()
    def language_link(_principal, href: str | None, current: str | None) -> str:  # type: ignore[no-untyped-def]
        base = (current or "/lang/en").split("?")[0]
        if not href:
            return base + "?next=/"
        path = "/" + href.split("/", 3)[3] if href.count("/") >= 3 else "/"
        return f"{base}?next={quote(path, safe='')}"
