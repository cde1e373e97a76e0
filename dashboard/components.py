"""Layout pieces several pages share: the selection controls, cards, download links — built as plain elements
(``dashboard.plain``: every page load builds them again)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from analytics.series import STEPS
from dashboard.formatting import number
from dashboard.ids import Export, Kpi, Selection
from dashboard.plain import Element, el
from dashboard.view_state import ViewState
from i18n import current_language, t


def dropdown(**props: Any) -> Element:
    """A ``dcc.Dropdown`` that speaks the user's language ("2 выбрано", "Поиск", …)."""
    labels: Any = {key: t(f"dropdown.{key}") for key in DROPDOWN_LABELS}  # Dash's ``Labels``, key for key
    return el(dcc.Dropdown, labels=labels, **props)


DROPDOWN_LABELS = (
    "select_all",
    "deselect_all",
    "selected_count",
    "search",
    "clear_search",
    "clear_selection",
    "no_options_found",
)


def graph_config() -> Any:  # Dash's ``Config`` of dcc.Graph
    """Chart options in the user's language (dashboard/assets/plotly-locale-ru.js brings the Russian dates)."""
    return {"displaylogo": False, "locale": current_language(), "responsive": True}


def graph(graph_id: str, height: str = "380px") -> Element:
    return el(dcc.Graph, id=graph_id, config=graph_config(), style={"height": height})


def downloads(prefix: str | Export, green_button: bool = False) -> Element:
    """CSV and XLSX links (and, for one metering point's readings, Green Button XML); a callback fills their
    ``href`` from the page state."""
    ids = prefix if isinstance(prefix, Export) else Export(prefix)
    espi = el(html.A, "Green Button (XML)", id=ids.espi, href="#", className="ms-2 small", title=t("export.espi"))
    return el(
        html.Span,
        [
            el(html.Small, t("export.download") + ": ", className="text-muted"),
            el(html.A, "CSV", id=ids.csv, href="#", className="me-2 small"),
            el(html.A, "XLSX", id=ids.xlsx, href="#", className="small"),
            espi if green_button else None,
        ],
        className="float-end",
    )


def clip(text: str | None, width: str = "16rem") -> Element:
    """A long value on one line, cut with an ellipsis; the whole value shows on hover."""
    value = text or ""
    classes = "wb-cell-clip d-inline-block align-bottom"
    return el(html.Span, value, title=value, className=classes, style={"maxWidth": width})


def table(headers: list[str], rows: list[list[Any]], table_id: str) -> Element:
    """A small table of plain cells with a header row."""
    return el(
        dbc.Table,
        [
            el(html.Thead, el(html.Tr, [el(html.Th, h) for h in headers])),
            el(html.Tbody, [el(html.Tr, [el(html.Td, c) for c in row]) for row in rows]),
        ],
        size="sm",
        hover=True,
        responsive=True,
        id=table_id,
    )


def cut_list(listing: Any, shown: int, total: int, words: str, note_id: str) -> Any:
    """A list that shows ``shown`` of its ``total`` rows (a browser draws a table row in about 20 ms), with the line
    that says so above it — ``words`` formatted with ``{shown}`` and ``{total}``; the list alone when nothing was left
    out."""
    if shown == total:
        return listing
    note = words.format(shown=number(shown, 0), total=number(total, 0))
    return el(html.Div, [el(html.P, note, className="small text-muted", id=note_id), listing])


def card(
    title: Any, body: list[Any], export: str | Export | None = None, green_button: bool = False, **kwargs: Any
) -> Element:
    header = el(
        html.Div,
        [el(html.Strong, title), downloads(export, green_button) if export else None],
        className="mb-2 clearfix",
    )
    return el(dbc.Card, el(dbc.CardBody, [header, *body]), className="wb-card mb-3", **kwargs)


def section(title: str, body: list[Any], hint: str | None = None) -> Element:
    """A staff page's card: its heading, a line saying what it is for, then its body."""
    head = [el(html.H2, title, className="h5"), *([el(html.P, hint, className="small text-muted")] if hint else [])]
    return el(dbc.Card, el(dbc.CardBody, [*head, *body]), className="wb-card mb-3")


def kpi(kpi_id: str | Kpi, title: str, spinner: bool = False) -> Element:
    """A headline figure (``kpi_id``) with a line under it (``<kpi_id>-sub``, :class:`dashboard.ids.Kpi`)."""
    ids = kpi_id if isinstance(kpi_id, Kpi) else Kpi(kpi_id)
    return el(
        dbc.Col,
        el(
            dbc.Card,
            el(
                dbc.CardBody,
                [
                    el(html.Div, title, className="text-muted small"),
                    el(html.Div, el(dbc.Spinner, size="sm") if spinner else None, id=ids.value, className="wb-kpi"),
                    el(html.Div, id=ids.sub, className="small"),
                ],
            ),
            className="wb-card h-100",
        ),
        xs=6,
        lg=3,
        className="mb-3",
    )


def address(location_id: str) -> Element:
    """The page's own view of the address bar, where its callbacks write the page's state (``?meter=…&from=…``).

    ``refresh=False``: a written state is pushed to the browser's history and nothing else happens. With
    ``"callback-nav"`` every write also told the pages router, which rendered the whole page again and fired every
    callback of it a second time — on each first visit and each change of a control. Back and Forward still bring
    an earlier state: the router renders the page of an address it did not render last (going back to the
    state the router last rendered, after changing a control since, leaves the page as it is)."""
    return el(dcc.Location, id=location_id, refresh=False)


def meter_picker(ids: Selection, options: list[dict[str, Any]], value: list[str]) -> Element:
    """The metering-point picker, starting on ``value`` among ``options`` (``dashboard.meter_choice.initial``)."""
    return el(
        dbc.Col,
        [
            el(dbc.Label, t("selection.meters"), html_for=ids.meter),
            dropdown(id=ids.meter, multi=True, placeholder=t("selection.whole_org"), options=options, value=value),
        ],
        lg=5,
        md=12,
    )


def range_picker(ids: Selection, state: ViewState) -> Element:
    return el(
        dbc.Col,
        [
            el(dbc.Label, t("consumption.range"), html_for=ids.range),
            el(html.Br),
            el(
                dcc.DatePickerRange,
                id=ids.range,
                start_date_id=f"{ids.range}-start",
                end_date_id=f"{ids.range}-end",
                start_date=state.start,
                end_date=state.end,
                display_format="DD.MM.YYYY",
                first_day_of_week=1,
                minimum_nights=0,
            ),
        ],
        lg=3,
        md=6,
    )


def step_picker(ids: Selection, state: ViewState) -> Element:
    return el(
        dbc.Col,
        [
            el(dbc.Label, t("consumption.granularity"), html_for=ids.step),
            el(
                dbc.RadioItems,
                id=ids.step,
                value=state.step,
                inline=True,
                options=[{"label": t(f"step.{s}"), "value": s} for s in STEPS],
            ),
        ],
        lg=4,
        md=6,
    )


def export_href(view: str, fmt: str, query: str) -> str:
    return f"/export/{view}.{fmt}?{query}"
