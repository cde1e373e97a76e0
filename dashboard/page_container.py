"""Where the pages go in the shell — with the page already in it when a browser loads an address.

Dash's pages router fills ``dash.page_container`` by a callback once the browser has the shell: on every page load
the page's layout came one round trip after the shell, and the page's own callbacks one more after that. Dash asks
for the shell (``/_dash-layout``) from the page being loaded, so the request's ``Referer`` (same origin: the
``same-origin`` referrer policy sends it whole) names the address; the container is built with that page's layout
inside and its location already set, so the router has nothing to do and the page's callbacks go out with the
shell's. Moving between pages afterwards is the router's, as before; without a usable ``Referer`` (another origin,
a page that is not registered) the container is Dash's own and the router fills it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import dash
from dash import dcc, html
from dash._pages import _parse_query_string, _path_to_page  # the router's own matching of addresses and queries
from flask import has_request_context, request

from dashboard.plain import el

# The ids Dash's pages router reads and writes (dash.dash._ID_*; its callbacks are keyed to them).
LOCATION, CONTENT, STORE, DUMMY = "_pages_location", "_pages_content", "_pages_store", "_pages_dummy"


def page_container(address: tuple[str, str] | None) -> Any:
    """``dash.page_container``, filled with the page of the ``address`` being loaded (:func:`address_loaded`) where
    that is known."""
    if address is None:
        return dash.page_container
    path, search = address
    page, variables = _path_to_page(path.strip("/"))
    if not page:
        return dash.page_container  # the router renders its not-found page
    layout = page["layout"]
    content = layout(**{**(variables or {}), **_parse_query_string(search)}) if callable(layout) else layout
    title = page["title"](**(variables or {})) if callable(page["title"]) else page["title"]
    return el(
        html.Div,
        [
            el(dcc.Location, id=LOCATION, refresh="callback-nav", pathname=path, search=search),
            el(html.Div, content, id=CONTENT, disable_n_clicks=True),
            el(dcc.Store, id=STORE, data={"title": title}),
            el(html.Div, id=DUMMY, disable_n_clicks=True),
        ],
    )


def address_loaded() -> tuple[str, str] | None:
    """The path and the query (``?…`` or empty) of the page asking for the shell, if this is that request."""
    if not has_request_context() or not request.path.endswith("/_dash-layout"):
        return None
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or not referrer.path.startswith("/"):
        return None
    return referrer.path, f"?{referrer.query}" if referrer.query else ""
