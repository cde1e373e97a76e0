"""Recommendations: cards with the yearly saving, the evidence and the assumptions, marked done or not relevant; and
the tariff comparison of a metering point over any range.

Page state in the URL: ``/recommendations?meter=CODE&from=…&to=…`` (the comparison's point and range).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from analytics.series import opening_days
from context.today import reader_today
from dashboard import meter_choice
from dashboard.components import address, card, dropdown
from dashboard.ids import recommendations as ids
from dashboard.plain import Element, el
from dashboard.pricing_notes import priced_point_label
from i18n import t


def layout(**query: str) -> Element:
    today = reader_today()
    first, last = opening_days("tariffs", today)
    start, end = query.get("from") or first, query.get("to") or last
    # The comparison's picker comes set (the address's point, else the first): its table asks at once.
    options, point = meter_choice.initial_point(query, first_by_default=True, label=priced_point_label)
    comparison = card(
        t("rec.tariffs"),
        [
            el(
                dbc.Row,
                [
                    el(
                        dbc.Col,
                        dropdown(
                            id=ids.TARIFF_METER,
                            options=options,
                            value=point,
                            placeholder=t("tariffs.point"),
                            clearable=False,
                        ),
                        lg=5,
                    ),
                    el(
                        dbc.Col,
                        el(
                            dcc.DatePickerRange,
                            id=ids.TARIFF_RANGE,
                            start_date=start,
                            end_date=end,
                            display_format="DD.MM.YYYY",
                            first_day_of_week=1,
                            start_date_placeholder_text=t("picker.start"),
                            end_date_placeholder_text=t("picker.end"),
                        ),
                        lg=5,
                    ),
                ],
                className="g-2 mb-2",
            ),
            el(html.Div, id=ids.TARIFF_TABLE),
        ],
        export=ids.TARIFF_EXPORT,
    )
    return el(
        html.Div,
        [
            address(ids.URL),
            el(html.H1, t("rec.title"), className="h3"),
            el(html.Div, id=ids.TOTAL, className="fw-semibold mb-2"),
            el(
                dbc.RadioItems,
                id=ids.FILTER,
                value="open",
                inline=True,
                className="mb-3",
                options=[
                    {"label": t("rec.filter_open"), "value": "open"},
                    {"label": t("rec.filter_closed"), "value": "closed"},
                ],
            ),
            el(html.Div, id=ids.CARDS),
            comparison,
        ],
    )


dash.register_page(
    __name__, path="/recommendations", name="recommendations", title="Wattboard — рекомендации", layout=layout
)
