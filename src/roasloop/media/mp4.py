"""An MP4 (ISO base media file, ISO/IEC 14496-12 and -15) writer for one H.264 video track.

The file is ``ftyp``, then ``moov`` (before the media, so a player can start while it
downloads), then ``mdat`` holding every sample in one chunk. Samples are NAL units with
4-byte length prefixes; the parameter sets live in the ``avcC`` box.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

#: Movie timescale: durations in the movie and track headers are in milliseconds.
MOVIE_TIMESCALE = 1000
#: Identity transformation matrix of the movie and track headers (16.16 and 2.30 fixed point).
MATRIX = (0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000)


@dataclass(frozen=True, slots=True)
class VideoTrack:
    """One H.264 track: frame size, timing, parameter sets and samples (one per frame)."""

    width: int
    height: int
    timescale: int
    sample_delta: int
    sps: bytes
    pps: bytes
    samples: Sequence[bytes]
    #: Indices (from 0) of the samples that are IDR frames.
    sync_samples: Sequence[int]

    @property
    def duration(self) -> int:
        """Length in ``timescale`` units."""
        return self.sample_delta * len(self.samples)

    @property
    def duration_ms(self) -> int:
        """Length in milliseconds (the movie timescale)."""
        return self.duration * MOVIE_TIMESCALE // self.timescale


def box(kind: bytes, *parts: bytes) -> bytes:
    """A box: 32-bit size, four-character type, payload."""
    payload = b"".join(parts)
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def full_box(kind: bytes, version: int, flags: int, *parts: bytes) -> bytes:
    """A box whose payload starts with a version byte and 24 bits of flags."""
    return box(kind, struct.pack(">I", (version << 24) | flags), *parts)


def sample_payload(nal_units: Sequence[bytes]) -> bytes:
    """One sample: each NAL unit after its 4-byte length."""
    return b"".join(struct.pack(">I", len(unit)) + unit for unit in nal_units)


def encode_mp4(track: VideoTrack) -> bytes:
    """``track`` as a complete MP4 file."""
    ftyp = box(b"ftyp", b"isom", struct.pack(">I", 0x200), b"isomiso2avc1mp41")
    media = b"".join(track.samples)
    # The chunk offset points past moov, whose size does not depend on the offset's value.
    offset = len(ftyp) + len(_moov(track, 0)) + 8
    return ftyp + _moov(track, offset) + box(b"mdat", media)


def _moov(track: VideoTrack, chunk_offset: int) -> bytes:
    mvhd = full_box(
        b"mvhd",
        0,
        0,
        struct.pack(">IIII", 0, 0, MOVIE_TIMESCALE, track.duration_ms),
        struct.pack(">IHH8x", 0x00010000, 0x0100, 0),  # rate 1.0, volume 1.0
        struct.pack(">9I", *MATRIX),
        bytes(24),  # pre_defined
        struct.pack(">I", 2),  # next_track_ID
    )
    tkhd = full_box(
        b"tkhd",
        0,
        0x000003,  # track_enabled | track_in_movie
        struct.pack(">IIIII", 0, 0, 1, 0, track.duration_ms),  # times, track_ID, duration
        bytes(8),
        struct.pack(">hhhH", 0, 0, 0, 0),  # layer, alternate_group, volume, reserved
        struct.pack(">9I", *MATRIX),
        struct.pack(">II", track.width << 16, track.height << 16),
    )
    mdhd = full_box(
        b"mdhd",
        0,
        0,
        struct.pack(">IIII", 0, 0, track.timescale, track.duration),
        struct.pack(">HH", _language("und"), 0),
    )
    hdlr = full_box(b"hdlr", 0, 0, bytes(4), b"vide", bytes(12), b"VideoHandler\x00")
    vmhd = full_box(b"vmhd", 0, 1, bytes(8))
    dinf = box(b"dinf", full_box(b"dref", 0, 0, struct.pack(">I", 1), full_box(b"url ", 0, 1)))
    stbl = box(
        b"stbl",
        full_box(b"stsd", 0, 0, struct.pack(">I", 1), _avc1(track)),
        full_box(b"stts", 0, 0, struct.pack(">III", 1, len(track.samples), track.sample_delta)),
        full_box(
            b"stss",
            0,
            0,
            struct.pack(
                f">I{len(track.sync_samples)}I",
                len(track.sync_samples),
                *(i + 1 for i in track.sync_samples),
            ),
        ),
        full_box(b"stsc", 0, 0, struct.pack(">IIII", 1, 1, len(track.samples), 1)),
        full_box(
            b"stsz",
            0,
            0,
            struct.pack(
                f">II{len(track.samples)}I", 0, len(track.samples), *(len(s) for s in track.samples)
            ),
        ),
        full_box(b"stco", 0, 0, struct.pack(">II", 1, chunk_offset)),
    )
    minf = box(b"minf", vmhd, dinf, stbl)
    trak = box(b"trak", tkhd, box(b"mdia", mdhd, hdlr, minf))
    return box(b"moov", mvhd, trak)


def _avc1(track: VideoTrack) -> bytes:
    avcc = box(
        b"avcC",
        bytes([1, track.sps[1], track.sps[2], track.sps[3]]),  # version, profile, compat, level
        bytes([0xFF, 0xE1]),  # 4-byte NAL lengths; one SPS
        struct.pack(">H", len(track.sps)),
        track.sps,
        bytes([1]),  # one PPS
        struct.pack(">H", len(track.pps)),
        track.pps,
    )
    return box(
        b"avc1",
        bytes(6),
        struct.pack(">H", 1),  # data_reference_index
        bytes(16),
        struct.pack(">HHII4xH", track.width, track.height, 0x00480000, 0x00480000, 1),
        bytes(32),  # compressorname
        struct.pack(">Hh", 0x0018, -1),  # depth, pre_defined
        avcc,
    )


def _language(code: str) -> int:
    """An ISO 639-2/T code packed as three 5-bit letters."""
    value = 0
    for letter in code:
        value = (value << 5) | (ord(letter) - 0x60)
    return value
