"""Notifications and profile: for each alert kind, which channels (bell, email, Telegram, Slack) and from which
severity; the Telegram chat linked by a one-time code; the time zone and quiet hours in which email, Telegram and Slack
wait until morning (the bell never waits)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from alerts.actions import kinds_for
from alerts.kinds import CHANNELS, SEVERITIES
from analytics.timezones import CITIES, zone_label
from context.services import services
from context.sessions import current_principal
from dashboard.components import card
from dashboard.ids import profile as ids
from dashboard.plain import Element, el
from i18n import current_language, t
from telegram.actions import configured as telegram_configured


def layout(**_query: str) -> Element:
    principal = current_principal()
    if principal is None:
        return el(html.Div)
    lang = current_language()
    telegram = telegram_configured(services())
    channels = [c for c in CHANNELS if c != "telegram" or telegram]
    head = el(
        html.Thead, el(html.Tr, [el(html.Th, t("notif.kind")), el(html.Th, ""), el(html.Th, t("profile.min_severity"))])
    )
    rows = [
        el(
            html.Tr,
            [
                el(html.Td, t(f"kind.{kind}")),
                el(
                    html.Td,
                    el(
                        dbc.Checklist,
                        id={"type": "pref-channels", "kind": kind},
                        inline=True,
                        options=[{"label": t(f"profile.{c}"), "value": c} for c in channels],
                        value=[],
                    ),
                ),
                el(
                    html.Td,
                    el(
                        dbc.Select,
                        id={"type": "pref-severity", "kind": kind},
                        size="sm",
                        value="warning",
                        options=[{"label": t(f"severity.{s}"), "value": s} for s in SEVERITIES],
                    ),
                ),
            ],
        )
        for kind in kinds_for(principal)
    ]
    hours = [{"label": t("profile.no_quiet"), "value": ""}] + [
        {"label": f"{h:02d}:00", "value": str(h)} for h in range(24)
    ]
    zones = [{"label": zone_label(zone, lang), "value": zone} for zone in CITIES if zone != "UTC"]
    return el(
        html.Div,
        [
            el(dcc.Store, id=ids.OPENED),
            el(html.H1, t("profile.title"), className="h3"),
            card(
                t("profile.channels"),
                [
                    el(dbc.Table, [head, el(html.Tbody, rows)], size="sm", responsive=True, id=ids.TABLE),
                    el(html.Div, t("profile.slack_hint"), className="small text-muted"),
                ],
            ),
            _telegram_card() if telegram else None,
            card(
                t("report.title"),
                [
                    el(dbc.Checkbox, id=ids.MONTHLY, label=t("report.opt_in"), value=False),
                    el(html.Div, t("report.hint"), className="small text-muted"),
                ],
            ),
            card(
                t("profile.quiet"),
                [
                    el(
                        dbc.Row,
                        [
                            el(
                                dbc.Col,
                                [el(dbc.Label, t("profile.timezone")), el(dbc.Select, id=ids.TIMEZONE, options=zones)],
                                md=4,
                            ),
                            el(
                                dbc.Col,
                                [
                                    el(dbc.Label, t("profile.quiet_from")),
                                    el(dbc.Select, id=ids.QUIET_FROM, options=hours),
                                ],
                                md=2,
                            ),
                            el(
                                dbc.Col,
                                [el(dbc.Label, t("profile.quiet_to")), el(dbc.Select, id=ids.QUIET_TO, options=hours)],
                                md=2,
                            ),
                        ],
                        className="g-2",
                    )
                ],
            ),
            el(dbc.Button, t("profile.save"), id=ids.SAVE, color="primary"),
            el(html.Div, id=ids.RESULT, className="small mt-2"),
        ],
    )


def _telegram_card() -> Element:
    """Filled by the callbacks: whether a chat is linked, and the code to send the bot."""
    return card(
        t("tg.title"),
        [
            el(html.Div, id=ids.TG_STATUS, className="mb-2"),
            el(dbc.Button, t("tg.link"), id=ids.TG_LINK, color="primary", size="sm", className="me-2"),
            el(dbc.Button, t("tg.unlink"), id=ids.TG_UNLINK, color="secondary", outline=True, size="sm"),
            el(html.Div, id=ids.TG_CODE, className="mt-2"),
        ],
        id=ids.TG_CARD,
    )


dash.register_page(__name__, path="/profile", name="profile", title="Wattboard — уведомления и профиль", layout=layout)
