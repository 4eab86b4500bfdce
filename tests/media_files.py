"""Real media for tests: roasloop's generated samples, made distinct per label.

A video gets a ``free`` box (ISO/IEC 14496-12: content to ignore) holding the label, an image
the label after its last chunk, so two creatives never share bytes (the TikTok sandbox checks
each upload's MD5) while every file still reads as the sample it is.
"""

from __future__ import annotations

import functools
import struct
from pathlib import Path

from roasloop.domain.media import MediaKind
from roasloop.media.h264 import MB
from roasloop.media.png import Picture, encode_png
from roasloop.media.samples import CORAL, CREAM, MINT, NAVY, SAMPLES, Sample, poster

#: The sample each shape name stands for.
SHAPES = {
    "video": "hook.mp4",
    "landscape": "product-landscape.png",
    "square": "product-square.png",
    "vertical": "product-vertical.png",
}


@functools.cache
def sample_bytes(name: str) -> bytes:
    return next(s for s in SAMPLES if s.name == name).render()


def media_bytes(label: str, shape: str = "video") -> bytes:
    """The ``shape`` sample's bytes, marked with ``label``."""
    data = sample_bytes(SHAPES[shape])
    mark = label.encode()
    if shape == "video":
        return data + struct.pack(">I", 8 + len(mark)) + b"free" + mark
    return data + mark


def write_media(path: Path, label: str, shape: str = "video") -> Path:
    """``path`` holding the ``shape`` sample marked with ``label`` (folders created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(media_bytes(label, shape))
    return path


@functools.cache
def video(width: int, height: int, seconds: int) -> bytes:
    """A real H.264 MP4 of ``width`` × ``height`` lasting ``seconds`` (one flat scene)."""
    scene = poster(width, height, (NAVY, CORAL, CREAM, MINT), grid=MB)
    return Sample("v.mp4", MediaKind.MP4, width, height, (scene,), scene_seconds=seconds).render()


@functools.cache
def png(width: int, height: int) -> bytes:
    """A flat-colour PNG of ``width`` × ``height``."""
    return encode_png(Picture(width, height, CREAM))


def with_movie_header(
    data: bytes, *, timescale: int | None = None, duration: int | None = None
) -> bytes:
    """``data`` (an MP4) with its ``mvhd`` timescale or duration replaced (version 0)."""
    at = data.index(b"mvhd") + 4 + 4 + 8  # type, version/flags, creation and modification
    old_scale, old_duration = struct.unpack_from(">II", data, at)
    patched = struct.pack(
        ">II",
        old_scale if timescale is None else timescale,
        old_duration if duration is None else duration,
    )
    return data[:at] + patched + data[at + 8 :]
