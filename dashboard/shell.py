"""The app shell around every page: navigation, user menu, language switch."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from auth.sessions import current_principal
from dashboard.components import dropdown
from dashboard.i18n import current_language, t


def layout() -> html.Div:
    principal = current_principal()
    lang = current_language()
    other = "en" if lang == "ru" else "ru"
    links = [
        dbc.NavItem(dbc.NavLink(t("nav.overview"), href="/", active="exact", id="nav-overview")),
        dbc.NavItem(dbc.NavLink(t("nav.consumption"), href="/consumption", active="partial", id="nav-consumption")),
        dbc.NavItem(dbc.NavLink(t("nav.analysis"), href="/analysis", active="partial", id="nav-analysis")),
        dbc.NavItem(dbc.NavLink(t("nav.devices"), href="/devices", active="partial", id="nav-devices")),
    ]
    if principal is not None and principal.role in ("admin", "operator"):
        links.append(dbc.NavItem(dbc.NavLink(t("nav.partners"), href="/partners", active="partial", id="nav-partners")))
        links.append(dbc.NavItem(dbc.NavLink(t("nav.admin"), href="/admin", active="partial", id="nav-admin")))
    user_menu = dbc.DropdownMenu(
        [
            dbc.DropdownMenuItem(f"{principal.email} · {principal.role}" if principal else "", header=True),
            dbc.DropdownMenuItem(t("nav.language"), href=f"/lang/{other}?next=/", external_link=True, id="lang-switch"),
            dbc.DropdownMenuItem(t("nav.organization"), href="/organization", id="org-link"),
            dbc.DropdownMenuItem(t("nav.logout"), href="/logout", external_link=True, id="logout-link"),
            dbc.DropdownMenuItem(
                t("logout.everywhere"), href="/logout/everywhere", external_link=True, id="logout-everywhere-link"
            ),
        ],
        label=principal.email if principal else "",
        nav=True,
        align_end=True,
        id="user-menu",
    )
    staff = principal is not None and principal.sees_all_organizations
    # Staff switch organizations here; the control exists for everyone (callbacks take it as an input)
    # but consumers never see it, and the server pins them to their own organization anyway.
    org_switch = html.Div(
        dropdown(
            id="org-switch",
            placeholder=t("nav.all_organizations"),
            persistence=True,
            persistence_type="session",
            style={"minWidth": "240px"},
        ),
        className="wb-org-switch me-2" if staff else "d-none",
    )
    navbar = dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand("⚡ Wattboard", href="/"),
                dbc.NavbarToggler(id="nav-toggler"),
                dbc.Collapse(
                    dbc.Nav([*links, org_switch, user_menu], className="ms-auto align-items-lg-center", navbar=True),
                    id="nav-collapse",
                    navbar=True,
                ),
            ],
            fluid=True,
        ),
        className="wb-navbar mb-3",
        color="#12324a",
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
