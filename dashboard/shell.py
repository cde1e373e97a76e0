"""The app shell around every page: navigation, user menu, language switch."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from auth.sessions import current_principal
from dashboard.i18n import current_language, t


def layout() -> html.Div:
    principal = current_principal()
    lang = current_language()
    other = "en" if lang == "ru" else "ru"
    links = [
        dbc.NavItem(dbc.NavLink(t("nav.overview"), href="/", active="exact", id="nav-overview")),
        dbc.NavItem(dbc.NavLink(t("nav.consumption"), href="/consumption", active="partial", id="nav-consumption")),
    ]
    if principal is not None and principal.role in ("admin", "operator"):
        links.append(dbc.NavItem(dbc.NavLink(t("nav.partners"), href="/partners", active="partial", id="nav-partners")))
    user_menu = dbc.DropdownMenu(
        [
            dbc.DropdownMenuItem(f"{principal.email} · {principal.role}" if principal else "", header=True),
            dbc.DropdownMenuItem(t("nav.language"), href=f"/lang/{other}?next=/", external_link=True, id="lang-switch"),
            dbc.DropdownMenuItem(t("nav.logout"), href="/logout", external_link=True, id="logout-link"),
        ],
        label=principal.email if principal else "",
        nav=True,
        align_end=True,
        id="user-menu",
    )
    navbar = dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand("⚡ Wattboard", href="/"),
                dbc.NavbarToggler(id="nav-toggler"),
                dbc.Collapse(
                    dbc.Nav([*links, user_menu], className="ms-auto", navbar=True), id="nav-collapse", navbar=True
                ),
            ],
            fluid=True,
        ),
        className="wb-navbar mb-3",
        dark=True,
    )
    return html.Div(
        [
            dcc.Location(id="shell-url"),
            navbar,
            dbc.Container(dash.page_container, fluid=True, className="pb-4"),
        ],
        lang=lang,
    )
