"""Download formats: one module each, implementing :class:`exports.formats.base.Writer`.

A new format is one new module and one line in :data:`WRITERS` (the URL's extension names it). The Green Button
(ESPI) file of one point's readings is written beside its parser, ``partners/formats/espi.py``: it carries readings,
not a table.
"""

from __future__ import annotations

from exports.formats.base import Writer
from exports.formats.csv import CsvWriter
from exports.formats.xlsx import XlsxWriter

WRITERS: dict[str, Writer] = {"csv": CsvWriter(), "xlsx": XlsxWriter()}
