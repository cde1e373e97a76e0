"""Plain elements (dashboard.plain) are the JSON Dash sends for the same components, and refuse what Dash refuses."""

from __future__ import annotations

import json
from typing import Any

import dash_bootstrap_components as dbc
import pytest
from dash import dcc, html

from dashboard.plain import el
from web.answer_json import dumps

SAME = [
    (html.Td, ("ПУ-1",), {"className": "small"}),
    (html.Tr, ([html.Td("a"), el(html.Td, "b")],), {"id": "row-1"}),
    (html.Div, (), {"id": "empty", "data-point": "7", "aria-label": "метка"}),
    (html.A, ("CSV",), {"id": "x-csv", "href": "#", "title": None}),
    (dbc.Table, ([el(html.Tbody, [])],), {"hover": True, "size": "sm", "responsive": True}),
    (dbc.Badge, ("Нет связи",), {"color": "danger"}),
    (dbc.Col, (el(dbc.Card, el(dbc.CardBody, "1")),), {"xs": 6, "lg": 3, "className": "mb-3"}),
    (dcc.Dropdown, (), {"id": "meter", "options": [{"label": "ПУ-1", "value": "1"}], "value": None, "multi": True}),
    (dcc.Graph, (), {"id": "chart", "config": {"locale": "ru"}, "style": {"height": "380px"}}),
    (dcc.Location, (), {"id": "url", "refresh": False}),
    (dcc.DatePickerRange, (), {"id": "range", "start_date": "2026-11-01", "first_day_of_week": 1}),
    (dcc.Store, (), {"id": "seen", "data": {"v": 1}}),
    (dcc.Input, (), {"type": "hidden", "name": "csrf_token", "value": "t"}),
    (dcc.Interval, (), {"id": "tick", "interval": 10_000}),
    (dcc.Link, ("На главную",), {"href": "/", "className": "btn btn-primary"}),
    (dbc.NavLink, ("Обзор",), {"href": "/", "active": "exact", "id": "nav"}),
    (dbc.DropdownMenu, ([el(dbc.DropdownMenuItem, "Выйти", header=True)],), {"label": el(html.Img, src="/b.svg")}),
    (dbc.Navbar, (el(dbc.Container, "x", fluid=True),), {"color": "#12324a", "dark": True}),
    (dbc.Collapse, (), {"id": "c", "navbar": True}),
    (html.Form, (el(html.Button, "Выйти", type="submit"),), {"action": "/logout", "method": "post"}),
    (dcc.Loading, (el(html.Div, id="inner"),), {"type": "default"}),
    (dbc.Row, ([el(dbc.Col, "a", lg=5, md=12)],), {"className": "mb-3"}),
    (dbc.Button, ("Пересчитать",), {"id": "b", "color": "secondary", "size": "sm"}),
    (dbc.Select, (), {"id": "s", "value": "warning", "options": [{"label": "Внимание", "value": "warning"}]}),
    (dbc.Progress, (), {"id": "p", "value": 0, "style": {"height": "0.6rem"}}),
    (dbc.Checklist, (), {"id": "c", "inline": True, "options": [{"label": "Почта", "value": "email"}], "value": []}),
    (dbc.RadioItems, (), {"id": "r", "value": "all", "inline": True, "options": [{"label": "Все", "value": "all"}]}),
    (dbc.Spinner, (), {"size": "sm"}),
    (dbc.Label, ("Точки учёта",), {"html_for": "meter"}),
    (html.H1, (["Обзор", el(html.Small, id="org")],), {"className": "h3"}),
]


def _json(value: Any) -> Any:
    return json.loads(dumps(value))


@pytest.mark.parametrize(("kind", "children", "props"), SAME, ids=[f"{k._namespace}.{k._type}" for k, _, _ in SAME])
def test_an_element_is_what_dash_sends_for_the_component(kind: Any, children: tuple, props: dict[str, Any]) -> None:
    assert _json(el(kind, *children, **props)) == _json(kind(*children, **props))


def test_an_element_refuses_a_property_its_component_does_not_have() -> None:
    with pytest.raises(TypeError, match="has no property `colour`"):
        el(dbc.Badge, "x", colour="danger")
    with pytest.raises(TypeError, match="takes no children"):
        el(dcc.Store, "x", id="s")
    with pytest.raises(TypeError, match="needs `id`"):
        el(dcc.Store, data=1)
    with pytest.raises(TypeError, match="needs `href`"):
        el(dcc.Link, "Обзор")
    with pytest.raises(TypeError):
        dbc.Badge("x", colour="danger")  # as Dash itself does


def test_elements_and_components_nest_either_way() -> None:
    children: list[Any] = [el(html.Span, html.B("жирный"), className="c")]
    mixed = html.Div(children, id="outer")
    assert _json(mixed) == _json(html.Div([html.Span(html.B("жирный"), className="c")], id="outer"))
