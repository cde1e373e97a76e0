"""Administration: users (search, filters, role, block, approve pending), organizations and contracts, audit log,
the weather source's freshness."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from context.sessions import current_principal
from dashboard.components import card, dropdown
from dashboard.ids import admin as ids
from dashboard.plain import Element, el
from i18n import t

ROLES = ("admin", "operator", "consumer")
STATUSES = ("active", "pending", "rejected", "blocked")


def _filters() -> Element:
    return el(
        dbc.Row,
        [
            el(dbc.Col, el(dbc.Input, id=ids.USER_SEARCH, placeholder=t("admin.search"), debounce=True), md=4),
            el(
                dbc.Col,
                dropdown(
                    id=ids.USER_ROLE,
                    placeholder=f"{t('admin.role')}: {t('admin.any')}",
                    options=[{"label": t(f"role.{r}"), "value": r} for r in ROLES],
                ),
                md=3,
            ),
            el(
                dbc.Col,
                dropdown(
                    id=ids.USER_STATUS,
                    placeholder=f"{t('admin.status')}: {t('admin.any')}",
                    options=[{"label": t(f"ustatus.{s}"), "value": s} for s in STATUSES],
                ),
                md=3,
            ),
        ],
        className="g-2 mb-2",
    )


def _actions() -> Element:
    return el(
        dbc.Row,
        [
            el(dbc.Col, dropdown(id=ids.PICK, placeholder=t("admin.pick_user")), md=4),
            el(
                dbc.Col,
                dropdown(
                    id=ids.NEW_ROLE,
                    options=[{"label": t(f"role.{r}"), "value": r} for r in ROLES],
                    placeholder=t("admin.new_role"),
                ),
                md=2,
            ),
            el(dbc.Col, el(dbc.Input, id=ids.REASON, placeholder=t("admin.reason")), md=3),
            el(
                dbc.Col,
                el(
                    dbc.ButtonGroup,
                    [
                        el(dbc.Button, t("admin.set_role"), id=ids.SET_ROLE, color="secondary", size="sm"),
                        el(dbc.Button, t("admin.block"), id=ids.BLOCK, color="danger", size="sm", outline=True),
                        el(dbc.Button, t("admin.unblock"), id=ids.UNBLOCK, color="success", size="sm", outline=True),
                        el(dbc.Button, t("admin.approve"), id=ids.APPROVE, color="success", size="sm"),
                        el(dbc.Button, t("admin.reject"), id=ids.REJECT, color="warning", size="sm"),
                    ],
                    className="flex-wrap",
                ),
                md=12,
                className="mt-2",
            ),
            el(dbc.Col, el(html.Div, id=ids.RESULT, className="small mt-2"), md=12),
        ],
        className="g-2 mb-3",
    )


def layout(**_query: str) -> Element:
    principal = current_principal()
    if principal is None or not principal.sees_all_organizations:
        return el(html.Div, el(dbc.Alert, t("admin.staff_only"), color="warning"), id=ids.DENIED)
    actions = _actions() if principal.role == "admin" else el(dbc.Alert, t("admin.admins_only"), color="info")
    users_tab = el(
        html.Div,
        [
            el(html.Div, id=ids.PENDING, className="mb-2"),
            _filters(),
            actions,
            el(dcc.Store, id=ids.CHANGED, data=0),
            el(html.Div, id=ids.USERS),
        ],
    )
    orgs_tab = el(
        html.Div,
        [
            el(dbc.Input, id=ids.ORG_SEARCH, placeholder=t("admin.search"), debounce=True, className="mb-2"),
            el(html.Div, id=ids.ORGS),
        ],
    )
    audit_tab = el(
        html.Div,
        [
            el(dbc.Input, id=ids.AUDIT_SEARCH, placeholder=t("admin.search"), debounce=True, className="mb-2"),
            el(html.Div, id=ids.AUDIT),
        ],
    )
    weather_tab = el(html.Div, id=ids.WEATHER)
    return el(
        html.Div,
        [
            el(html.H1, t("admin.title"), className="h3"),
            card(
                "",
                [
                    el(
                        dbc.Tabs,
                        [
                            el(dbc.Tab, users_tab, label=t("admin.users"), tab_id="users"),
                            el(dbc.Tab, orgs_tab, label=t("admin.organizations"), tab_id="orgs"),
                            el(dbc.Tab, audit_tab, label=t("admin.audit"), tab_id="audit"),
                            el(dbc.Tab, weather_tab, label=t("admin.weather"), tab_id="weather"),
                        ],
                        active_tab="users",
                        id=ids.TABS,
                    )
                ],
            ),
        ],
    )


dash.register_page(__name__, path="/admin", name="admin", title="Wattboard — администрирование", layout=layout)
