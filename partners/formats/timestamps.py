"""Timestamp parsing shared by the text formats."""

from __future__ import annotations

import datetime as dt
from typing import Any


def parse_timestamp(value: Any, fmt: str) -> dt.datetime:
    """``fmt``: ``iso``, ``epoch``, ``epoch_ms`` or a strftime pattern; raises ValueError with a reason."""
    if fmt in ("epoch", "epoch_ms"):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError(f"timestamp {value!r} is not a number")
        try:
            seconds = float(value) / (1000 if fmt == "epoch_ms" else 1)
        except ValueError:
            raise ValueError(f"timestamp {value!r} is not a number") from None
        if not 946_684_800 <= seconds <= 4_102_444_800:
            raise ValueError(f"timestamp {value!r} is outside 2000..2100")
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"timestamp {value!r} is not text")
    text = value.strip()
    try:
        if fmt == "iso":
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return dt.datetime.strptime(text, fmt)
    except ValueError:
        raise ValueError(f"timestamp {text!r} does not match {fmt}") from None


def parse_number(value: Any, decimal_comma: bool = False) -> float:
    if isinstance(value, bool):
        raise ValueError(f"value {value!r} is not a number")
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str):
        raise ValueError(f"value {value!r} is not a number")
    text = value.strip().replace("\u00a0", "").replace(" ", "")
    if decimal_comma:
        text = text.replace(".", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"value {value!r} is not a number") from None
