"""Notifications: every alert the caller may see, with filters (kind, severity, state, period), marking read and
acknowledging. Staff see the organization chosen in the navigation bar."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from alerts.kinds import KINDS, SEVERITIES
from dashboard.components import dropdown
from dashboard.ids import notifications as ids
from dashboard.plain import Element, el
from i18n import t

PERIODS = ("day", "week", "month", "all_time")


def layout(**_query: str) -> Element:
    filters = el(
        dbc.Row,
        [
            el(
                dbc.Col,
                dropdown(
                    id=ids.KIND,
                    placeholder=f"{t('notif.kind')}: {t('notif.any')}",
                    options=[{"label": t(f"kind.{k}"), "value": k} for k in KINDS],
                ),
                md=3,
            ),
            el(
                dbc.Col,
                dropdown(
                    id=ids.SEVERITY,
                    placeholder=f"{t('notif.severity')}: {t('notif.any')}",
                    options=[{"label": t(f"severity.{s}"), "value": s} for s in SEVERITIES],
                ),
                md=3,
            ),
            el(
                dbc.Col,
                el(
                    dbc.RadioItems,
                    id=ids.STATE,
                    value="",
                    inline=True,
                    options=[{"label": t("notif.any"), "value": ""}]
                    + [{"label": t(f"state.{s}"), "value": s} for s in ("firing", "resolved")],
                ),
                md=3,
            ),
            el(
                dbc.Col,
                el(
                    dbc.Select,
                    id=ids.PERIOD,
                    value="week",
                    options=[{"label": t(f"notif.{p}"), "value": p} for p in PERIODS],
                ),
                md=3,
            ),
        ],
        className="g-2 mb-3",
    )
    return el(
        html.Div,
        [
            el(html.H1, t("notif.title"), className="h3"),
            filters,
            el(
                html.Div,
                [
                    el(dbc.Button, t("notif.read_all"), id=ids.READ_ALL, size="sm", color="secondary", outline=True),
                    el(html.Span, id=ids.RESULT, className="small text-muted ms-2"),
                ],
                className="mb-2",
            ),
            el(html.Div, id=ids.LIST),
            el(dcc.Store, id=ids.READ_NOW),
        ],
    )


dash.register_page(
    __name__, path="/notifications", name="notifications", title="Wattboard — уведомления", layout=layout
)
