"""XLSX: one sheet named after the table; Excel has no time zones, so zoned columns are written as UTC wall time."""

from __future__ import annotations

import io

import pandas as pd


class XlsxWriter:
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def write(self, table: pd.DataFrame, title: str, russian: bool) -> bytes:
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            _naive(table).to_excel(writer, sheet_name=title[:31], index=False)
        return buffer.getvalue()


def _naive(table: pd.DataFrame) -> pd.DataFrame:
    table = table.copy()
    for column in table.columns:
        if isinstance(table[column].dtype, pd.DatetimeTZDtype):
            table[column] = table[column].dt.tz_convert("UTC").dt.tz_localize(None)
    return table
