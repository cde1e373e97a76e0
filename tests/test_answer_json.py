"""Dash's answers are serialised by orjson in one pass (web.answer_json) and say what plotly's encoder said."""

from __future__ import annotations

import datetime as dt
import decimal
import importlib
import json

import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html
from plotly.io._json import to_json_plotly

from tests.helpers import login, make_user
from web import answer_json

MOSCOW_HOURS = pd.date_range("2026-01-01", periods=48, freq="h", tz="Europe/Moscow")
ANSWERS = {
    "a layout": html.Div(
        [
            html.Span("Потребление </script>", className="fw-bold"),  # escaped as plotly escapes it
            dbc.Row(dbc.Col(dcc.Dropdown(options=[{"label": "ПУ-1", "value": 1}], value=1, id="meter"))),
            dcc.Graph(figure=go.Figure(go.Bar(x=["янв", "фев"], y=[1.5, 2.5]))),
        ]
    ),
    "a figure of numpy and pandas": {
        "data": [
            {"type": "scatter", "x": MOSCOW_HOURS, "y": np.linspace(0, 1, 48), "customdata": pd.Series(range(48))}
        ],
        "layout": {"yaxis": {"title": {"text": "кВт·ч"}}},
    },
    "a figure with gaps": go.Figure(go.Scatter(x=MOSCOW_HOURS.tz_localize(None), y=[1.0, float("nan")] * 24)),
    "odd values": {
        "values": [dt.date(2026, 1, 1), pd.Timestamp("2026-01-01 03:00"), pd.NaT, None, decimal.Decimal("1.5"),
                   np.float64(2.5), np.int64(3), np.array(["a", "b"]), np.array([1, None], dtype=object)],  # fmt: skip
        1: "a key that is not text",
    },
}


def test_every_answer_reads_back_as_plotly_wrote_it_and_a_layout_costs_a_fraction() -> None:
    for what, answer in ANSWERS.items():
        ours, plotly = answer_json.dumps(answer), to_json_plotly(answer, engine="orjson")
        assert ours == plotly, what
    assert json.loads(answer_json.dumps({"at": np.datetime64("2026-01-01T00:00")})) == {"at": "2026-01-01T00:00:00"}


def test_what_orjson_refuses_plotlys_encoder_still_answers() -> None:
    huge = {"n": 2**70}  # beyond 64 bits: orjson refuses, the standard library writes it
    assert json.loads(answer_json.dumps(huge)) == huge


def test_dash_serialises_through_it_once_the_app_is_built(services, live_app) -> None:
    for name in answer_json.DASH_MODULES:
        assert importlib.import_module(name).to_json is answer_json.dumps, name
    make_user(services.db, "a@x.ru", "admin")
    session = login(live_app.url, "a@x.ru")
    shell = session.get(f"{live_app.url}/_dash-layout", headers={"Referer": f"{live_app.url}/consumption"}, timeout=10)
    assert shell.status_code == 200 and "cons-archive" in shell.text
    callbacks = session.get(f"{live_app.url}/_dash-dependencies", timeout=10)
    assert callbacks.status_code == 200 and any(c["output"].startswith("..bell-count") for c in callbacks.json())
