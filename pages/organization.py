"""My organization: who is in it, where its points are for their weather, and (for its owner) inviting people by
email."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components import card, dropdown
from dashboard.ids import organization as ids
from dashboard.plain import Element, el
from i18n import t


def _coordinate(input_id: str, placeholder: str) -> Element:
    return el(dbc.Col, el(dbc.Input, id=input_id, inputMode="decimal", placeholder=placeholder), md=2)


def layout(**_query: str) -> Element:
    return el(
        html.Div,
        [
            el(dcc.Store, id=ids.OPENED),
            el(
                html.H1, [t("org.title"), el(html.Small, id=ids.NAME, className="text-muted ms-2 fs-6")], className="h3"
            ),
            card(t("org.members"), [el(html.Div, id=ids.MEMBERS)]),
            card(
                t("budget.title"),
                [
                    el(
                        dbc.InputGroup,
                        [
                            el(
                                dbc.Input,
                                id=ids.BUDGET_AMOUNT,
                                type="number",
                                min=0,
                                step=1,
                                placeholder=t("budget.amount"),
                            ),
                            el(
                                dbc.Select,
                                id=ids.BUDGET_UNIT,
                                value="rub",
                                options=[
                                    {"label": t("budget.rub"), "value": "rub"},
                                    {"label": t("budget.kwh"), "value": "kwh"},
                                ],
                            ),
                            el(dbc.Button, t("budget.save"), id=ids.BUDGET_SAVE, color="primary"),
                        ],
                        style={"maxWidth": "520px"},
                    ),
                    el(html.Div, id=ids.BUDGET_RESULT, className="small mt-2"),
                ],
            ),
            card(
                t("rules.title"),
                [el(html.Div, id=ids.RULES), el(html.Div, id=ids.RULES_RESULT, className="small mt-2")],
            ),
            card(
                t("slack.title"),
                [
                    el(html.Div, id=ids.SLACK_STATE, className="small mb-2"),
                    el(
                        dbc.InputGroup,
                        [
                            el(dbc.Input, id=ids.SLACK_URL, type="url", placeholder=t("slack.url")),
                            el(dbc.Button, t("slack.save"), id=ids.SLACK_SAVE, color="primary"),
                            el(dbc.Button, t("slack.remove"), id=ids.SLACK_REMOVE, color="secondary", outline=True),
                        ],
                        style={"maxWidth": "720px"},
                    ),
                    el(html.Div, id=ids.SLACK_RESULT, className="small mt-2"),
                ],
            ),
            card(
                t("place.title"),
                [
                    el(html.P, t("place.hint"), className="small text-muted"),
                    el(html.Div, id=ids.PLACES),
                    el(
                        html.Div,  # only for those who may change a point's place: the owner, an administrator
                        [
                            el(
                                dbc.Row,
                                [
                                    el(dbc.Col, dropdown(id=ids.PLACE_POINT, placeholder=t("place.point")), md=4),
                                    _coordinate(ids.PLACE_LAT, t("place.latitude")),
                                    _coordinate(ids.PLACE_LON, t("place.longitude")),
                                    el(
                                        dbc.Col,
                                        [
                                            el(
                                                dbc.Button,
                                                t("place.save"),
                                                id=ids.PLACE_SAVE,
                                                color="primary",
                                                className="me-2",
                                            ),
                                            el(
                                                dbc.Button,
                                                t("place.clear"),
                                                id=ids.PLACE_CLEAR,
                                                color="secondary",
                                                outline=True,
                                            ),
                                        ],
                                        md=4,
                                    ),
                                ],
                                className="g-2",
                            ),
                            el(html.Div, id=ids.PLACE_RESULT, className="small mt-2"),
                        ],
                        id=ids.PLACE_FORM,
                        style={"display": "none"},
                    ),
                ],
            ),
            el(
                html.Div,  # hidden for a user who belongs to no organization: there is nobody to invite to
                card(
                    t("org.invite"),
                    [
                        el(
                            dbc.InputGroup,
                            [
                                el(dbc.Input, id=ids.INVITE_EMAIL, type="email", placeholder="name@example.ru"),
                                el(dbc.Button, t("org.invite_send"), id=ids.INVITE_SEND, color="primary"),
                            ],
                        ),
                        el(html.Div, id=ids.INVITE_RESULT, className="small mt-2"),
                    ],
                ),
                id=ids.INVITE_CARD,
            ),
        ],
    )


dash.register_page(__name__, path="/organization", name="organization", title="Wattboard — организация", layout=layout)
