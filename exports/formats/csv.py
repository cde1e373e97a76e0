"""CSV: UTF-8 with a byte-order mark (Excel opens it with Cyrillic intact). In Russian the layout is a Russian
Excel's — semicolons, decimal commas, «да»/«нет»; else commas, points and true/false."""

from __future__ import annotations

import pandas as pd


class CsvWriter:
    content_type = "text/csv; charset=utf-8"

    def write(self, table: pd.DataFrame, title: str, russian: bool) -> bytes:
        flags = [c for c in table.columns if pd.api.types.is_bool_dtype(table[c].dtype)]
        if flags:
            table = table.copy()
            yes, no = ("да", "нет") if russian else ("true", "false")
            for column in flags:
                table[column] = table[column].map({True: yes, False: no})
        if russian:
            return table.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")
        return table.to_csv(index=False).encode("utf-8-sig")
