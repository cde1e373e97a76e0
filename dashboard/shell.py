"""The app shell around every page: navigation, user menu, language switch — plain elements (``dashboard.plain``):
every page loaded whole builds it again."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from auth.principal import Principal
from context.sessions import csrf_token, current_principal
from dashboard.bell import QUIET_BADGE, ring
from dashboard.components import dropdown
from dashboard.ids import shell as ids
from dashboard.organization_choice import chosen_organization, linked_organization, switchable
from dashboard.page_container import address_loaded, page_container
from dashboard.plain import Element, el
from i18n import current_language, t

BELL_REFRESH_MS = 10_000


def post_form(action: str, label: str, button_id: str, *fields: Element) -> Element:
    """A menu entry that changes something (logging out, the language): a POST with the session's CSRF token, so no
    other site can make a signed-in browser do it by a link or an image."""
    return el(
        html.Form,
        [
            el(dcc.Input, type="hidden", name="csrf_token", value=csrf_token()),
            *fields,
            el(html.Button, label, type="submit", id=button_id, className="dropdown-item"),
        ],
        action=action,
        method="post",
        className="m-0",
    )


def organizations_to_switch(principal: Principal, linked: str) -> tuple[list[dict[str, Any]], int | None]:
    """The organizations a staff member may switch to, and the one to show (``dashboard.organization_choice``;
    ``linked``: a link's ``org``): the switch comes with the shell, already set, and the page's callbacks need not wait
    for it."""
    among = switchable(principal)
    options: list[dict[str, Any]] = [{"label": name, "value": org_id} for org_id, name in among]
    return options, chosen_organization(principal, linked, among)


def layout() -> html.Div:
    principal = current_principal()
    lang = current_language()
    other = "en" if lang == "ru" else "ru"
    menu = [
        ("nav.overview", "/", "exact", ids.NAV_OVERVIEW),
        ("nav.consumption", "/consumption", "partial", ids.NAV_CONSUMPTION),
        ("nav.analysis", "/analysis", "partial", ids.NAV_ANALYSIS),
        ("nav.forecast", "/forecast", "partial", ids.NAV_FORECAST),
        ("nav.recommendations", "/recommendations", "partial", ids.NAV_RECOMMENDATIONS),
        ("nav.devices", "/devices", "partial", ids.NAV_DEVICES),
    ]
    links = [
        el(dbc.NavItem, el(dbc.NavLink, t(key), href=href, active=active, id=link_id))
        for key, href, active, link_id in menu
    ]
    if principal is not None and principal.role in ("admin", "operator"):
        # The staff's pages under one menu: the bar stays one line wide on a laptop, organization switch included.
        manage = [
            ("nav.partners", "/partners", "nav-partners"),
            ("nav.review", "/review", "nav-review"),
            ("nav.tariffs", "/tariffs", "nav-tariffs"),
            ("nav.admin", "/admin", "nav-admin"),
        ]
        links.append(
            el(
                dbc.DropdownMenu,
                [el(dbc.DropdownMenuItem, t(key), href=href, id=item_id) for key, href, item_id in manage],
                label=t("nav.manage"),
                nav=True,
                id=ids.NAV_MANAGE,
            )
        )
    user_menu = el(
        dbc.DropdownMenu,
        [
            el(dbc.DropdownMenuItem, f"{principal.email} · {principal.role}" if principal else "", header=True),
            # assets/here.js puts the address the reader is on into "next" as the form is sent: after switching
            # the language they stay where they are, with the page's state (the pages write it into the address).
            post_form(
                f"/lang/{other}",
                t("nav.language"),
                "lang-switch",
                el(dcc.Input, type="hidden", name="next", value="/", id=ids.LANG_NEXT),
            ),
            el(dbc.DropdownMenuItem, t("nav.organization"), href="/organization", id=ids.ORG_LINK),
            el(dbc.DropdownMenuItem, t("nav.profile"), href="/profile", id=ids.PROFILE_LINK),
            post_form("/logout", t("nav.logout"), "logout-link"),
            el(
                dbc.DropdownMenuItem,
                t("logout.everywhere"),
                href="/logout/everywhere",
                external_link=True,
                id=ids.LOGOUT_EVERYWHERE_LINK,
            ),
        ],
        label=principal.email if principal else "",
        nav=True,
        align_end=True,
        id=ids.USER_MENU,
    )
    staff = principal is not None and principal.sees_all_organizations
    # Staff switch organizations here; the control exists for everyone (callbacks take it as an input)
    # but consumers never see it, and the server pins them to their own organization anyway.
    address = address_loaded()
    options, chosen = (
        organizations_to_switch(principal, linked_organization(address[1]) if address else "")
        if staff and principal is not None
        else ([], None)
    )
    org_switch = el(
        html.Div,
        dropdown(
            id=ids.ORG_SWITCH,
            options=options,
            value=chosen,
            placeholder=t("nav.all_organizations"),
            style={"minWidth": "240px"},
        ),
        className="wb-org-switch me-2" if staff else "d-none",
    )
    rung = ring(principal) if principal is not None else None  # no request of its own as the page opens
    title = t("bell.title")
    bell = el(
        dbc.DropdownMenu,
        rung.items if rung else [el(dbc.DropdownMenuItem, t("bell.empty"), header=True)],
        id=ids.BELL,
        label=el(
            html.Span,
            [
                el(html.Img, src="/assets/bell.svg", alt=title, title=title, className="wb-bell-icon"),
                el(
                    html.Span,
                    rung.count if rung else None,
                    id=ids.BELL_COUNT,
                    className=rung.badge if rung else QUIET_BADGE,
                ),
            ],
        ),
        nav=True,
        align_end=True,
        className="wb-bell me-lg-2",
    )
    navbar = el(
        dbc.Navbar,
        el(
            dbc.Container,
            [
                el(dbc.NavbarBrand, "⚡ Wattboard", href="/"),
                el(dbc.NavbarToggler, id=ids.NAV_TOGGLER),
                el(
                    dbc.Collapse,
                    el(
                        dbc.Nav,
                        [*links, org_switch, bell, user_menu],
                        className="ms-auto align-items-lg-center",
                        navbar=True,
                    ),
                    id=ids.NAV_COLLAPSE,
                    navbar=True,
                ),
            ],
            fluid=True,
        ),
        className="wb-navbar mb-3",
        color="#12324a",
        dark=True,
    )
    children: list[Any] = [  # elements in a Dash object (Dash's first request checks its layout is one)
        # The organization switch follows the address for staff only: a consumer's move between pages asks
        # nothing about organizations (no location, no callback: callbacks.shell.organizations). Nothing else in
        # the shell follows the address (a callback that did would answer again as the reader leaves a page).
        *([el(dcc.Location, id=ids.STAFF_URL, pathname=address[0] if address else None)] if staff else []),
        el(dcc.Interval, id=ids.BELL_TICK, interval=BELL_REFRESH_MS),
        el(dcc.Store, id=ids.BELL_SEEN, data=rung.version if rung else None),
        navbar,
        el(dbc.Container, page_container(address), fluid=True, className="pb-4"),
    ]
    return html.Div(children, lang=lang)
