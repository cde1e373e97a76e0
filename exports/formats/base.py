"""What every download format implements, and what every format does to a table first."""

from __future__ import annotations

from typing import Protocol

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Writer(Protocol):
    """Writes one table as a file to download."""

    content_type: str

    def write(self, table: pd.DataFrame, title: str, russian: bool) -> bytes:
        """The file: ``title`` names the table (a sheet's name), ``russian`` asks for a Russian spreadsheet's layout
        where the format has one."""
        ...


def inert_text(value: object) -> object:
    """A text cell that a spreadsheet would take for a formula (OWASP's CSV injection rule: it starts with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe; anything else is left as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def inert(table: pd.DataFrame) -> pd.DataFrame:
    """The table with every text cell made inert (numbers stay numbers: a negative number is not text)."""
    text = [c for c in table.columns if table[c].dtype == object or pd.api.types.is_string_dtype(table[c].dtype)]
    if not text:
        return table
    table = table.copy()
    for column in text:
        table[column] = table[column].map(inert_text)
    return table
