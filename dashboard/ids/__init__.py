"""Component ids, one module per page: the page lays them out and its callbacks reads and writes them by these names,
so an id is spelled once and a misspelling is an import error, not a callback that silently never fires.

A component the kit builds from one id makes more than one (:func:`dashboard.components.kpi`: the figure and the line
under it; :func:`dashboard.components.card` with ``export``: its CSV and XLSX links); :class:`Kpi` and
:class:`Export` name them. ``dashboard/ids/forecast.py`` is the model for a page.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kpi:
    """A headline figure (``value``) and the line under it (``sub``)."""

    value: str

    @property
    def sub(self) -> str:
        return f"{self.value}-sub"


@dataclass(frozen=True)
class Export:
    """A card's download links: CSV, XLSX and, for one point's readings, Green Button XML."""

    prefix: str

    @property
    def csv(self) -> str:
        return f"{self.prefix}-csv"

    @property
    def xlsx(self) -> str:
        return f"{self.prefix}-xlsx"

    @property
    def espi(self) -> str:
        return f"{self.prefix}-espi"


@dataclass(frozen=True)
class Selection:
    """What a page's selection is made of (:func:`dashboard.components.meter_picker`, ``range_picker``,
    ``step_picker``): the points, the dates with their two boxes, the step, and the page's location the picker
    reads the address from."""

    prefix: str

    @property
    def meter(self) -> str:
        return f"{self.prefix}-meter"

    @property
    def range(self) -> str:
        return f"{self.prefix}-range"

    @property
    def step(self) -> str:
        return f"{self.prefix}-step"

    @property
    def url(self) -> str:
        return f"{self.prefix}-url"
