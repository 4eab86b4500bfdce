"""Reading picture size and length from media headers: the generated samples read back as
made, and hand-built broken files are refused with a reason, never an exception of another
kind."""

from __future__ import annotations

import io
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roasloop.domain.media import MediaInfo, MediaKind
from roasloop.media.mp4 import box, full_box
from roasloop.media.probe import DAMAGED, NO_DURATION, NO_PICTURE, Unreadable, probe
from roasloop.media.samples import SAMPLES, Sample
from tests.media_files import png, video, with_movie_header


def read(data: bytes, kind: MediaKind) -> MediaInfo:
    return probe(io.BytesIO(data), len(data), kind)


def refused(data: bytes, kind: MediaKind) -> str:
    with pytest.raises(Unreadable) as caught:
        read(data, kind)
    return caught.value.msgid


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_each_sample_reads_back_as_it_was_made(sample: Sample) -> None:
    data = sample.render()
    info = read(data, sample.kind)
    assert (info.width, info.height, info.size) == (sample.width, sample.height, len(data))
    assert info.duration_ms == (sample.duration_ms if sample.kind.is_video else None)


@pytest.mark.parametrize(("width", "height", "seconds"), [(640, 640, 3), (1280, 720, 1)])
def test_generated_videos_of_other_shapes_read_back(width: int, height: int, seconds: int) -> None:
    info = read(video(width, height, seconds), MediaKind.MP4)
    assert (info.width, info.height, info.duration_ms) == (width, height, seconds * 1000)


# Hand-built movies -------------------------------------------------------------------------

FTYP = box(b"ftyp", b"isom", bytes(4), b"isomavc1")


def mvhd(timescale: int, duration: int, version: int = 0) -> bytes:
    if version == 1:
        times = struct.pack(">QQIQ", 0, 0, timescale, duration)
    else:
        times = struct.pack(">IIII", 0, 0, timescale, duration)
    return full_box(b"mvhd", version, 0, times, bytes(80))


def tkhd(width: int, height: int, matrix: tuple[int, ...] = (1, 0, 0, 1)) -> bytes:
    a, b, c, d = (m << 16 for m in matrix)
    fields = struct.pack(">IIIII", 0, 0, 1, 0, 0) + bytes(16)
    transform = struct.pack(">9i", a, b, 0, c, d, 0, 0, 0, 0x40000000)
    return full_box(b"tkhd", 0, 3, fields, transform, struct.pack(">II", width << 16, height << 16))


def trak(handler: bytes, width: int, height: int, **kw: tuple[int, ...]) -> bytes:
    hdlr = full_box(b"hdlr", 0, 0, bytes(4), handler, bytes(12), b"\x00")
    return box(b"trak", tkhd(width, height, **kw), box(b"mdia", hdlr))


def movie(*parts: bytes, before: bytes = b"", after: bytes = b"") -> bytes:
    return FTYP + before + box(b"moov", *parts) + after


def test_the_video_track_is_found_after_a_sound_track_and_past_the_media_data() -> None:
    data = movie(
        mvhd(600, 9000),
        trak(b"soun", 0, 0),
        trak(b"vide", 720, 1280),
        before=box(b"mdat", bytes(5000)) + box(b"free", b"x"),
    )
    assert read(data, MediaKind.MOV) == MediaInfo(MediaKind.MOV, len(data), 720, 1280, 15_000)


def test_a_64_bit_movie_header_and_box_size_are_read() -> None:
    big_mdat = struct.pack(">I4sQ", 1, b"mdat", 16 + 100) + bytes(100)
    data = movie(mvhd(1000, 2**33, version=1), trak(b"vide", 1080, 1080), before=big_mdat)
    assert read(data, MediaKind.MP4).duration_ms == 2**33


def test_a_phone_video_turned_a_quarter_is_read_upright() -> None:
    data = movie(mvhd(1000, 7000), trak(b"vide", 1920, 1080, matrix=(0, 1, -1, 0)))
    info = read(data, MediaKind.MP4)
    assert (info.width, info.height) == (1080, 1920)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (movie(mvhd(0, 9000), trak(b"vide", 720, 1280)), NO_DURATION),
        (movie(mvhd(600, 0), trak(b"vide", 720, 1280)), NO_DURATION),
        (movie(mvhd(600, 0xFFFFFFFF), trak(b"vide", 720, 1280)), NO_DURATION),
        (movie(trak(b"vide", 720, 1280)), NO_DURATION),
        (FTYP + box(b"mdat", bytes(64)), NO_DURATION),
        (movie(mvhd(600, 9000), trak(b"soun", 0, 0)), NO_PICTURE),
        (movie(mvhd(600, 9000), trak(b"vide", 0, 1280)), NO_PICTURE),
        (FTYP + struct.pack(">I4s", 2**31, b"moov") + bytes(32), DAMAGED),
        (FTYP + struct.pack(">I4sQ", 1, b"mdat", 2**62) + bytes(32), DAMAGED),
        (FTYP + struct.pack(">I4s", 4, b"moov") + bytes(32), DAMAGED),
        (movie(full_box(b"mvhd", 0, 0, bytes(4)), trak(b"vide", 720, 1280)), DAMAGED),
        (movie(mvhd(600, 9000), box(b"trak", struct.pack(">I4s", 999, b"tkhd"))), DAMAGED),
    ],
    ids=[
        "zero timescale",
        "zero duration",
        "unknown duration",
        "no movie header",
        "no moov at all",
        "sound only",
        "zero width",
        "moov larger than the file",
        "64-bit size in the exabytes",
        "box smaller than its header",
        "movie header cut short",
        "track header past its parent",
    ],
)
def test_broken_movies_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    assert refused(data, MediaKind.MP4) == reason


def test_a_truncated_sample_is_refused() -> None:
    data = video(640, 640, 3)
    moov_end = data.index(b"mdat") - 4
    for cut in (10, 40, moov_end // 2, moov_end - 1):
        assert refused(data[:cut], MediaKind.MP4) in (DAMAGED, NO_DURATION)


def test_a_zero_timescale_sample_is_refused() -> None:
    assert refused(with_movie_header(video(640, 640, 3), timescale=0), MediaKind.MP4) == NO_DURATION


# Images ------------------------------------------------------------------------------------


def jpeg(*segments: bytes) -> bytes:
    return b"\xff\xd8" + b"".join(segments) + b"\xff\xd9"


def segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", 2 + len(payload)) + payload


APP0 = segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
DHT = segment(0xC4, bytes(20))
SOS = segment(0xDA, bytes(10))


@pytest.mark.parametrize("sof", [0xC0, 0xC2, 0xCF])
def test_a_jpeg_size_comes_from_its_frame_header(sof: int) -> None:
    frame = segment(sof, struct.pack(">BHHB", 8, 1350, 1080, 3) + bytes(9))
    data = jpeg(APP0, DHT, b"\xff", frame, SOS)  # a fill byte before the frame header
    info = read(data, MediaKind.JPEG)
    assert (info.width, info.height, info.duration_ms) == (1080, 1350, None)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (jpeg(APP0, DHT, SOS), NO_PICTURE),
        (jpeg(APP0, segment(0xC0, struct.pack(">BHHB", 8, 0, 1080, 3))), NO_PICTURE),
        (b"\xff\xd8\xff\xe0\xff\xff" + bytes(8), DAMAGED),
        (b"\xff\xd8\xff\xe0\x00", DAMAGED),
        (b"\xff\xd8" + b"\x00" * 16, DAMAGED),
        (jpeg(APP0, segment(0xC0, b"\x08\x01")), DAMAGED),
    ],
    ids=["no frame header", "zero height", "segment past the end", "cut", "no marker", "short"],
)
def test_broken_jpegs_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    assert refused(data, MediaKind.JPEG) == reason


def test_a_png_size_comes_from_its_header_and_a_broken_one_is_refused() -> None:
    info = read(png(1200, 628), MediaKind.PNG)
    assert (info.width, info.height) == (1200, 628)
    assert refused(b"\x89PNG\r\n\x1a\n" + bytes(32), MediaKind.PNG) == NO_PICTURE
    assert refused(png(1200, 628)[:20], MediaKind.PNG) == NO_PICTURE


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400), kind=st.sampled_from(list(MediaKind)))
def test_arbitrary_bytes_never_raise_anything_else(data: bytes, kind: MediaKind) -> None:
    try:
        info = read(data, kind)
    except Unreadable:
        return
    assert info.width > 0 and info.height > 0


@settings(max_examples=300, deadline=None)
@given(cut=st.integers(0, 2000), flip=st.integers(0, 2000), value=st.integers(0, 255))
def test_damaged_samples_never_raise_anything_else(cut: int, flip: int, value: int) -> None:
    data = bytearray(video(640, 640, 3)[: 2000 - cut])
    if flip < len(data):
        data[flip] = value
    try:
        read(bytes(data), MediaKind.MP4)
    except Unreadable:
        pass
