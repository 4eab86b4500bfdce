"""Reading a media file's picture size and length from its headers, standard library only.

* MP4 and MOV (ISO/IEC 14496-12 boxes): the movie header ``moov/mvhd`` gives the timescale
  and duration; the video track's header ``moov/trak/tkhd`` its width and height (16.16
  fixed point), turned a quarter when its matrix rotates it (phones record that way).
* PNG: the ``IHDR`` chunk, which must come first.
* JPEG: the first start-of-frame segment (``SOF0`` … ``SOF15``, not DHT, JPG or DAC).

Only headers are read: a file's media data is skipped by seeking, so a 500 MB video costs a
few reads. Every size a file states is checked against the bytes that are really there;
a file that lies (a truncated download, a box claiming terabytes, a zero timescale) is
refused with :class:`Unreadable`, never trusted or allowed to raise anything else.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

from roasloop.domain.media import MediaInfo, MediaKind
from roasloop.translations import N_

#: Largest ``moov`` read into memory: real ones are kilobytes to a few megabytes.
MAX_MOOV_BYTES = 64 * 2**20
#: Top-level boxes looked at before giving up on finding ``moov``.
MAX_TOP_BOXES = 1024
#: Nesting read inside ``moov`` (moov/trak/mdia/hdlr is 4 deep).
MAX_DEPTH = 6
#: JPEG segments looked at before giving up on finding a frame header.
MAX_JPEG_SEGMENTS = 4096
#: ``tkhd`` duration/size fields that mean "unknown" in a version-0 header.
UNKNOWN_DURATION = 0xFFFFFFFF

DAMAGED = N_("the media file is damaged or cut short")
NO_DURATION = N_("the video does not say how long it lasts")
NO_PICTURE = N_("the media file does not say how large its picture is")


class Unreadable(ValueError):
    """The file's headers cannot be read; ``msgid`` says why in every language."""

    def __init__(self, msgid: str) -> None:
        super().__init__(msgid)
        self.msgid = msgid


def probe(stream: BinaryIO, size: int, kind: MediaKind) -> MediaInfo:
    """What the headers of the ``size``-byte file in ``stream`` say, read as ``kind``."""
    try:
        if kind.is_video:
            return _movie(stream, size, kind)
        reader = _png if kind is MediaKind.PNG else _jpeg
        width, height = reader(stream, size)
    except (struct.error, EOFError, IndexError, OverflowError):
        raise Unreadable(DAMAGED) from None
    if width <= 0 or height <= 0:
        raise Unreadable(NO_PICTURE)
    return MediaInfo(kind, size, width, height)


# MP4 / MOV ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Box:
    kind: bytes
    #: Offset of the payload and its length.
    start: int
    length: int


def _movie(stream: BinaryIO, size: int, kind: MediaKind) -> MediaInfo:
    moov = _find_top(stream, size, b"moov")
    if moov.length > MAX_MOOV_BYTES:
        raise Unreadable(DAMAGED)
    stream.seek(moov.start)
    data = _read(stream, moov.length)
    timescale, duration = _mvhd(data)
    if timescale == 0 or duration in (0, UNKNOWN_DURATION, 2**64 - 1):
        raise Unreadable(NO_DURATION)
    width, height = _video_size(data)
    if width <= 0 or height <= 0:
        raise Unreadable(NO_PICTURE)
    return MediaInfo(kind, size, width, height, duration * 1000 // timescale)


def _find_top(stream: BinaryIO, size: int, wanted: bytes) -> _Box:
    """The first top-level box of type ``wanted``, reading headers only."""
    offset = 0
    for _ in range(MAX_TOP_BOXES):
        if offset + 8 > size:
            break
        stream.seek(offset)
        box = _header(_read(stream, 16 if offset + 16 <= size else 8), offset, size)
        if box.kind == wanted:
            return box
        offset = box.start + box.length
    raise Unreadable(NO_DURATION if offset >= size else DAMAGED)


def _header(head: bytes, offset: int, end: int) -> _Box:
    """The box whose header is ``head`` at ``offset``; its payload must end by ``end``."""
    size32, kind = struct.unpack_from(">I4s", head)
    start = offset + 8
    if size32 == 1:  # a 64-bit size follows the type
        (total,) = struct.unpack_from(">Q", head, 8)
        start += 8
    elif size32 == 0:  # the box runs to the end of its container
        total = end - offset
    else:
        total = size32
    if total < start - offset or offset + total > end:
        raise Unreadable(DAMAGED)
    return _Box(kind, start, offset + total - start)


def _children(data: bytes, start: int, end: int) -> list[_Box]:
    boxes, offset = [], start
    while offset + 8 <= end:
        box = _header(data[offset : offset + 16], offset, end)
        boxes.append(box)
        offset = box.start + box.length
    return boxes


def _child(data: bytes, parent: _Box | None, kind: bytes) -> _Box | None:
    start, end = (0, len(data)) if parent is None else (parent.start, parent.start + parent.length)
    return next((b for b in _children(data, start, end) if b.kind == kind), None)


def _mvhd(data: bytes) -> tuple[int, int]:
    """The movie's timescale and duration."""
    box = _child(data, None, b"mvhd")
    if box is None:
        raise Unreadable(NO_DURATION)
    _inside(box, 4)
    if data[box.start] == 1:  # version 1: 64-bit times and duration
        _inside(box, 32)
        timescale, duration = struct.unpack_from(">IQ", data, box.start + 20)
    else:
        _inside(box, 20)
        timescale, duration = struct.unpack_from(">II", data, box.start + 12)
    return int(timescale), int(duration)


def _video_size(data: bytes) -> tuple[int, int]:
    """The shown width and height of the first video track."""
    for trak in (b for b in _children(data, 0, len(data)) if b.kind == b"trak"):
        if _handler(data, trak) == b"vide":
            return _track_size(data, trak)
    raise Unreadable(NO_PICTURE)


def _handler(data: bytes, trak: _Box) -> bytes:
    mdia = _child(data, trak, b"mdia")
    hdlr = _child(data, mdia, b"hdlr") if mdia else None
    if hdlr is None:
        return b""
    _inside(hdlr, 12)
    return data[hdlr.start + 8 : hdlr.start + 12]


def _track_size(data: bytes, trak: _Box) -> tuple[int, int]:
    tkhd = _child(data, trak, b"tkhd")
    if tkhd is None:
        raise Unreadable(NO_PICTURE)
    # After version/flags: times and ids (20 bytes, or 32 in version 1), then 16 bytes of
    # reserved, layer, group and volume, the 3×3 matrix (36 bytes), then width and height.
    _inside(tkhd, 4)
    fixed = 32 if data[tkhd.start] == 1 else 20
    matrix_at = tkhd.start + 4 + fixed + 16
    _inside(tkhd, 4 + fixed + 60)
    a, b, _u, c, d = struct.unpack_from(">iiiii", data, matrix_at)
    width, height = struct.unpack_from(">II", data, matrix_at + 36)
    width, height = width >> 16, height >> 16
    turned = a == 0 and d == 0 and b != 0 and c != 0
    return (height, width) if turned else (width, height)


def _inside(box: _Box, needed: int) -> None:
    if box.length < needed:
        raise Unreadable(DAMAGED)


# Images ------------------------------------------------------------------------------------


def _png(stream: BinaryIO, size: int) -> tuple[int, int]:
    stream.seek(0)
    head = _read(stream, min(size, 24))
    if len(head) < 24 or head[12:16] != b"IHDR":
        raise Unreadable(NO_PICTURE)
    width, height = struct.unpack_from(">II", head, 16)
    return int(width), int(height)


#: Start-of-frame markers: C0–CF except DHT (C4), JPG (C8) and DAC (CC).
SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
#: Markers without a length: TEM, RST0–7, SOI, EOI.
STANDALONE = frozenset({0x01, *range(0xD0, 0xDA)})


def _jpeg(stream: BinaryIO, size: int) -> tuple[int, int]:
    offset = 2  # after SOI
    for _ in range(MAX_JPEG_SEGMENTS):
        stream.seek(offset)
        head = _read(stream, 4)
        if head[0] != 0xFF:
            raise Unreadable(DAMAGED)
        marker = head[1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker in STANDALONE:
            offset += 2
            continue
        if marker == 0xDA:  # start of scan: the picture data began without a frame header
            raise Unreadable(NO_PICTURE)
        (length,) = struct.unpack_from(">H", head, 2)
        if length < 2 or offset + 2 + length > size:
            raise Unreadable(DAMAGED)
        if marker in SOF_MARKERS:
            if length < 7:
                raise Unreadable(DAMAGED)
            frame = _read(stream, 5)  # precision, height, width
            height, width = struct.unpack_from(">HH", frame, 1)
            return int(width), int(height)
        offset += 2 + length
    raise Unreadable(NO_PICTURE)


def _read(stream: BinaryIO, count: int) -> bytes:
    data = stream.read(count)
    if len(data) < count:
        raise EOFError
    return data
