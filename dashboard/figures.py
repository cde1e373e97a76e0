"""Plotly figures as plain dicts: no per-point validation, so a year of hourly data serialises fast."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from analytics.tariffs import zone_spans
from i18n import current_language, t

BLUE = "#2a7ab0"
GREY = "#9aa5b1"
AMBER = "#e0a526"
RED = "#d64545"
ZONE_COLORS = {
    "night": "rgba(42, 122, 176, 0.10)",
    "half_peak": "rgba(224, 165, 38, 0.08)",
    "peak": "rgba(214, 69, 69, 0.12)",
}
ZONE_SOLID = {
    "night": "rgba(42, 122, 176, 0.45)",
    "half_peak": "rgba(224, 165, 38, 0.4)",
    "peak": "rgba(214, 69, 69, 0.45)",
}
MAX_SHADED_DAYS = 31

Figure = dict[str, Any]


def layout(y_title: str = "", **extra: Any) -> dict[str, Any]:
    base = {
        "margin": {"l": 55, "r": 10, "t": 10, "b": 40},
        # Whole numbers with spaces between thousands ("20 000"), never plotly's SI suffixes ("20k").
        "yaxis": {
            "title": {"text": y_title},
            "rangemode": "tozero",
            "exponentformat": "none",
            "separatethousands": True,
        },
        "xaxis": {},
        "template": "plotly_white",
        "uirevision": "keep",
        # Decimal comma and thin-space thousands in Russian; "0.5" and "20,000" in English.
        "separators": ".," if current_language() == "en" else ", ",
        "legend": {"orientation": "h", "y": -0.15},
        "hovermode": "x unified",
    }
    for key, value in extra.items():  # an axis given here adds to the defaults, never drops them
        base[key] = {**base[key], **value} if key in ("xaxis", "yaxis") and isinstance(value, dict) else value  # type: ignore[dict-item]  # an axis default is a dict
    return base


# Dates on time axes the way Russians write them (24.11.2026, 14:00), whatever locale plotly has loaded: its
# defaults ("Nov 24, 2026", or "Ноя 24, 2026" with the Russian locale) put the month first.
DATE_TICKS = [
    {"dtickrange": [None, 60_000], "value": "%H:%M:%S"},
    {"dtickrange": [60_000, 86_400_000], "value": "%H:%M<br>%d.%m.%Y"},
    {"dtickrange": [86_400_000, "M1"], "value": "%d.%m.%Y"},
    {"dtickrange": ["M1", "M12"], "value": "%m.%Y"},
    {"dtickrange": ["M12", None], "value": "%Y"},
]


TEMPERATURE_COLOR = "#8e44ad"


def with_temperature(figure: Figure, x: Any, temperature: Any, name: str) -> Figure:
    """``figure`` with the air temperature drawn as a thin line on its own axis at the right (°C)."""
    if temperature is None:
        return figure
    trace = {"type": "scatter", "mode": "lines", "x": x, "y": temperature, "name": name, "yaxis": "y2",
             "line": {"color": TEMPERATURE_COLOR, "width": 1.2}, "opacity": 0.75, "connectgaps": False,
             "hovertemplate": "%{y:.1f} °C"}  # fmt: skip
    # Whole degrees at round steps of its own (not ticks synchronised with the kWh axis' grid, which land on −4,44).
    axis = {"title": {"text": "°C"}, "overlaying": "y", "side": "right", "showgrid": False, "zeroline": False,
            "tickmode": "auto", "nticks": 6, "tickformat": ".0f"}  # fmt: skip
    layout = {**figure["layout"], "yaxis2": axis, "margin": {**figure["layout"].get("margin", {}), "r": 50}}
    return {**figure, "data": [*figure["data"], trace], "layout": layout}


def date_axis(hover: str = "%d.%m.%Y %H:%M", **extra: Any) -> dict[str, Any]:
    """An x axis of wall-clock times: Russian date order on the ticks and in the hover label."""
    return {"type": "date", "tickformatstops": DATE_TICKS, "hoverformat": hover, "automargin": True, **extra}


def time_layout(
    y_title: str = "", hover: str = "%d.%m.%Y %H:%M", x_range: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    """:func:`layout` for a chart over time (over ``x_range`` when given, else what the data spans)."""
    axis = date_axis(hover, range=x_range) if x_range else date_axis(hover)
    return layout(y_title, xaxis=axis, **extra)


def empty(y_title: str = "", message: str | None = None) -> Figure:
    """A chart with nothing to draw; with ``message``, no axes but the message in the middle."""
    if message is None:
        return {"data": [], "layout": layout(y_title)}
    hidden = {"visible": False}
    note = {"text": message, "showarrow": False, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5,
            "font": {"size": 15, "color": "#6c757d"}}  # fmt: skip
    return {"data": [], "layout": layout(y_title, xaxis=hidden, yaxis=hidden, annotations=[note])}


def values(series: pd.Series) -> np.ndarray:
    """Numbers for the chart; NaN is sent as null, so a gap stays a gap, never a zero."""
    return series.to_numpy(dtype="float64").round(4)


def stamps(series: pd.Series) -> np.ndarray:
    """Wall-clock times for the x axis (sent as ISO strings without a zone)."""
    ts = pd.to_datetime(series)
    if ts.dt.tz is not None:
        ts = ts.dt.tz_localize(None)
    return ts.to_numpy(dtype="datetime64[s]")


def line(x: Any, y: Any, name: str, color: str = BLUE, **extra: Any) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines",
        "x": x,
        "y": y,
        "name": name,
        "line": {"color": color, "width": 1.6},
        "connectgaps": False,
        **extra,
    }


def bar(x: Any, y: Any, name: str, color: str = BLUE, **extra: Any) -> dict[str, Any]:
    return {"type": "bar", "x": x, "y": y, "name": name, "marker": {"color": color}, **extra}


def zone_shapes(plan: str, start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    """Background bands for the tariff zones between two local times (none beyond a month: too dense)."""
    if end - start > dt.timedelta(days=MAX_SHADED_DAYS):
        return []
    return [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": lo.isoformat(),
            "x1": hi.isoformat(),
            "y0": 0,
            "y1": 1,
            "fillcolor": ZONE_COLORS[zone],
            "line": {"width": 0},
            "layer": "below",
            "name": zone,
        }
        for lo, hi, zone in zone_spans(plan, start, end)
        if zone in ZONE_COLORS
    ]


def zone_legend(plan: str) -> list[dict[str, Any]]:
    """Legend entries for the shaded zones (an invisible trace per zone)."""
    zones = ["night", "half_peak", "peak"] if plan != "two_zone" else ["night"]
    return [
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "marker": {"size": 12, "symbol": "square", "color": ZONE_SOLID[z]},
            "name": t(f"zone.{z}"),
            "hoverinfo": "skip",
        }
        for z in zones
    ]


def heatmap(table: pd.DataFrame) -> Figure:
    days = [t(f"weekday.{d}") for d in range(7)]
    z = [[None if pd.isna(v) else round(float(v), 3) for v in row] for row in table.to_numpy()]
    return {
        "data": [
            {
                "type": "heatmap",
                "z": z,
                "x": [f"{h:02d}" for h in range(24)],
                "y": days,
                "colorscale": "YlOrRd",
                "colorbar": {"title": {"text": t("consumption.kwh")}},
                "hovertemplate": "%{y} %{x}:00 — %{z} " + t("consumption.kwh") + "<extra></extra>",
            }
        ],
        "layout": layout("", yaxis={"autorange": "reversed"}, hovermode="closest"),
    }
