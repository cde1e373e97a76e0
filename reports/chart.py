"""A bar chart as PNG bytes, drawn pixel by pixel (zlib and the PNG format; no plotting library): one bar per
month, the report's month in the brand colour and the others grey, a base line, and a gap for a month without
data. The letter labels the months in its HTML beside the image, so the image carries no text."""

from __future__ import annotations

import struct
import zlib

Colour = tuple[int, int, int]
BACKGROUND: Colour = (255, 255, 255)
BAR: Colour = (173, 181, 189)
HIGHLIGHT: Colour = (13, 110, 253)
AXIS: Colour = (108, 117, 125)


def bar_chart(values: list[float | None], width: int = 560, height: int = 180, highlight: int = -1) -> bytes:
    """``values`` left to right (None: no data); ``highlight`` is the index drawn in the brand colour."""
    pixels = [[BACKGROUND] * width for _ in range(height)]
    top = max((v for v in values if v is not None and v > 0), default=0.0)
    n = max(1, len(values))
    slot = width / n
    base = height - 4
    chosen = highlight % n if values else -1
    for i, value in enumerate(values):
        if value is None or value <= 0 or top <= 0:
            continue
        bar_height = max(1, round((base - 6) * value / top))
        left, right = round(i * slot + slot * 0.15), round((i + 1) * slot - slot * 0.15)
        colour = HIGHLIGHT if i == chosen else BAR
        for y in range(base - bar_height, base):
            row = pixels[y]
            for x in range(left, max(left + 1, right)):
                row[x] = colour
    for x in range(width):
        pixels[base][x] = AXIS
    return _png(pixels)


def _png(pixels: list[list[Colour]]) -> bytes:
    height, width = len(pixels), len(pixels[0])
    raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
