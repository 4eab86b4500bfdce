"""A PNG writer for flat-colour pictures (8-bit RGB), with only ``zlib`` and ``struct``.

Pictures are described as a background and rectangles painted over it in order, which is
all the sample creatives need; rows that look alike are built once.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"
RGB = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Rect:
    """A filled rectangle in pixels: columns ``left`` to ``right - 1``, rows ``top`` to
    ``bottom - 1``."""

    left: int
    top: int
    right: int
    bottom: int
    colour: RGB

    def covers_row(self, y: int) -> bool:
        """Whether row ``y`` crosses this rectangle."""
        return self.top <= y < self.bottom


@dataclass(frozen=True, slots=True)
class Picture:
    """A ``width`` × ``height`` picture: ``background`` with ``rects`` painted in order."""

    width: int
    height: int
    background: RGB
    rects: Sequence[Rect] = ()

    def colour_at(self, x: int, y: int) -> RGB:
        """The colour of pixel (``x``, ``y``)."""
        colour = self.background
        for rect in self.rects:
            if rect.left <= x < rect.right and rect.top <= y < rect.bottom:
                colour = rect.colour
        return colour

    def row(self, y: int) -> bytes:
        """Row ``y`` as RGB bytes, left to right."""
        pixels = bytearray(bytes(self.background) * self.width)
        for rect in self.rects:
            if rect.covers_row(y):
                left, right = max(rect.left, 0), min(rect.right, self.width)
                if left < right:
                    pixels[3 * left : 3 * right] = bytes(rect.colour) * (right - left)
        return bytes(pixels)


def encode_png(picture: Picture) -> bytes:
    """``picture`` as a PNG file: IHDR (8-bit truecolour), one IDAT, IEND."""
    rows: dict[tuple[int, ...], bytes] = {}
    scanlines = []
    for y in range(picture.height):
        key = tuple(i for i, rect in enumerate(picture.rects) if rect.covers_row(y))
        if key not in rows:
            rows[key] = b"\x00" + picture.row(y)  # filter type 0 (None)
        scanlines.append(rows[key])
    header = struct.pack(">IIBBBBB", picture.width, picture.height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"".join(scanlines), 9)
    return SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
