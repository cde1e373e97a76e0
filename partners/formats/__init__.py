"""Partner data formats: one module each, implementing :class:`formats.base.Parser`.

A new format is one new module and one line in :data:`PARSERS`.
"""

from __future__ import annotations

from partners.formats.base import FormatError, Parser, ParseResult, SourceReading
from partners.formats.csv_mapping import CsvParser
from partners.formats.espi import EspiParser
from partners.formats.json_mapping import JsonParser
from partners.formats.xml80020 import Xml80020Parser

PARSERS: dict[str, Parser] = {
    "json": JsonParser(),
    "csv": CsvParser(),
    "80020": Xml80020Parser(),
    "espi": EspiParser(),
}

__all__ = ["PARSERS", "FormatError", "ParseResult", "Parser", "SourceReading"]
