"""The sample creatives: PNGs that decode, MP4s whose boxes and H.264 stream read back as the
frames they promise, and files that ``register_creative`` takes by their name.

The readers below follow the PNG specification, ISO/IEC 14496-12 (boxes) and H.264's syntax
tables; they are written for these tests and share no code with the writers.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from roasloop import CampaignAutomation, Settings
from roasloop.domain.media import MediaKind
from roasloop.media import samples
from roasloop.media.h264 import ycbcr
from roasloop.media.samples import SAMPLES, Sample
from roasloop.media.validation import sniff

IMAGES = [s for s in SAMPLES if s.kind is MediaKind.PNG]
VIDEOS = [s for s in SAMPLES if s.kind is MediaKind.MP4]


def by_name(sample: Sample) -> str:
    return sample.name


# PNG


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """Every chunk as ``(type, data)``, each CRC checked."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack_from(">I", data, at)
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack_from(">I", data, at + 8 + length)
        assert crc == zlib.crc32(kind + body), f"bad CRC in {kind!r}"
        chunks.append((kind, body))
        at += 12 + length
    return chunks


@pytest.mark.parametrize("sample", IMAGES, ids=by_name)
def test_each_png_decodes_to_its_picture(sample: Sample) -> None:
    chunks = png_chunks(sample.render())
    kinds = [kind for kind, _ in chunks]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"IDAT" in kinds
    width, height, depth, colour_type, compression, filtering, interlace = struct.unpack(
        ">IIBBBBB", chunks[0][1]
    )
    assert (width, height) == (sample.width, sample.height)
    assert (depth, colour_type, compression, filtering, interlace) == (8, 2, 0, 0, 0)
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = 1 + 3 * width
    assert len(raw) == height * stride
    picture = sample.scenes[0]
    probes = {(0, 0), (width - 1, height - 1)}
    for rect in picture.rects:  # each rectangle's corners, inside and just outside
        for x in (rect.left - 1, rect.left, rect.right - 1, rect.right):
            for y in (rect.top - 1, rect.top, rect.bottom - 1, rect.bottom):
                if 0 <= x < width and 0 <= y < height:
                    probes.add((x, y))
    for x, y in sorted(probes):
        line = raw[y * stride : (y + 1) * stride]
        assert line[0] == 0, "the writer uses filter type 0 (None) only"
        assert tuple(line[1 + 3 * x : 4 + 3 * x]) == picture.colour_at(x, y), (x, y)
    assert len({picture.colour_at(x, y) for x, y in probes}) == 4  # background and 3 blocks


# MP4 boxes

CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"dinf", b"stbl"}


@dataclass
class Box:
    kind: bytes
    offset: int  # of the payload in the file
    payload: bytes
    children: list[Box]

    def find(self, *path: bytes) -> Box:
        box = self
        for kind in path:
            (box,) = [child for child in box.children if child.kind == kind]
        return box

    def full(self) -> tuple[int, int, bytes]:
        """A full box's version, flags and the rest of its payload."""
        (head,) = struct.unpack_from(">I", self.payload)
        return head >> 24, head & 0xFFFFFF, self.payload[4:]


def parse_boxes(data: bytes, base: int = 0) -> list[Box]:
    boxes, at = [], 0
    while at < len(data):
        size, kind = struct.unpack_from(">I4s", data, at)
        assert size >= 8 and at + size <= len(data), f"box {kind!r} overruns its parent"
        payload = data[at + 8 : at + size]
        children = parse_boxes(payload, base + at + 8) if kind in CONTAINERS else []
        boxes.append(Box(kind, base + at + 8, payload, children))
        at += size
    return boxes


@dataclass
class Movie:
    boxes: list[Box]
    data: bytes

    @property
    def moov(self) -> Box:
        (moov,) = [b for b in self.boxes if b.kind == b"moov"]
        return moov

    def stbl(self, kind: bytes) -> bytes:
        return self.moov.find(b"trak", b"mdia", b"minf", b"stbl", kind).full()[2]

    def samples(self) -> list[bytes]:
        (count,) = struct.unpack_from(">I", self.stbl(b"stsc"))
        first_chunk, per_chunk, _ = struct.unpack_from(">III", self.stbl(b"stsc"), 4)
        assert (count, first_chunk) == (1, 1)
        size, number = struct.unpack_from(">II", self.stbl(b"stsz"))
        assert size == 0 and per_chunk == number
        sizes = struct.unpack_from(f">{number}I", self.stbl(b"stsz"), 8)
        chunks, offset = struct.unpack_from(">II", self.stbl(b"stco"))
        assert chunks == 1
        found, at = [], offset
        for length in sizes:
            found.append(self.data[at : at + length])
            at += length
        return found


@pytest.fixture(scope="module", params=VIDEOS, ids=by_name)
def video(request: pytest.FixtureRequest) -> Iterator[tuple[Sample, Movie]]:
    sample: Sample = request.param
    data = sample.render()
    yield sample, Movie(parse_boxes(data), data)


def test_each_mp4_declares_its_duration_and_size(video: tuple[Sample, Movie]) -> None:
    sample, movie = video
    assert [b.kind for b in movie.boxes] == [b"ftyp", b"moov", b"mdat"]
    ftyp = movie.boxes[0].payload
    assert ftyp[:4] == b"isom" and b"avc1" in ftyp[8:]
    assert sniff(movie.data[:16]) is MediaKind.MP4
    assert sample.duration_ms == 6000 and (sample.width, sample.height) == (1080, 1920)

    _, _, mvhd = movie.moov.find(b"mvhd").full()
    timescale, duration = struct.unpack_from(">II", mvhd, 8)
    assert duration * 1000 // timescale == sample.duration_ms

    _, flags, tkhd = movie.moov.find(b"trak", b"tkhd").full()
    assert flags & 1, "the track is enabled"
    (track_duration,) = struct.unpack_from(">I", tkhd, 16)
    width, height = struct.unpack_from(">II", tkhd, 72)
    assert track_duration * 1000 // timescale == sample.duration_ms
    assert (width >> 16, height >> 16) == (sample.width, sample.height)

    _, _, mdhd = movie.moov.find(b"trak", b"mdia", b"mdhd").full()
    media_timescale, media_duration = struct.unpack_from(">II", mdhd, 8)
    assert media_duration * 1000 // media_timescale == sample.duration_ms
    assert movie.moov.find(b"trak", b"mdia", b"hdlr").full()[2][4:8] == b"vide"

    entries, count, delta = struct.unpack_from(">III", movie.stbl(b"stts"))
    assert entries == 1 and count == sample.frames and count * delta == media_duration
    assert media_timescale / delta == samples.FPS

    stsd = movie.stbl(b"stsd")
    assert struct.unpack_from(">I", stsd)[0] == 1 and stsd[8:12] == b"avc1"
    assert struct.unpack_from(">HH", stsd, 4 + 8 + 24) == (sample.width, sample.height)

    mdat = movie.boxes[2]
    found = movie.samples()
    assert len(found) == sample.frames
    assert sum(map(len, found)) == len(mdat.payload)
    assert struct.unpack_from(">II", movie.stbl(b"stco"))[1] == mdat.offset


# H.264


def avc_config(movie: Movie) -> tuple[bytes, bytes]:
    """The SPS and PPS NAL units of the ``avcC`` box."""
    stsd = movie.stbl(b"stsd")
    avc1 = parse_boxes(stsd[4:])[0]
    (avcc,) = parse_boxes(avc1.payload[78:])
    config = avcc.payload
    assert config[0] == 1 and config[4] == 0xFF and config[5] == 0xE1  # 4-byte lengths, 1 SPS
    (sps_length,) = struct.unpack_from(">H", config, 6)
    sps = config[8 : 8 + sps_length]
    at = 8 + sps_length
    assert config[at] == 1
    (pps_length,) = struct.unpack_from(">H", config, at + 1)
    return sps, config[at + 3 : at + 3 + pps_length]


def nal_units(sample: bytes) -> list[bytes]:
    units, at = [], 0
    while at < len(sample):
        (length,) = struct.unpack_from(">I", sample, at)
        units.append(sample[at + 4 : at + 4 + length])
        at += 4 + length
    assert at == len(sample), "NAL unit lengths cover the sample exactly"
    return units


class Reader:
    """The RBSP of one NAL unit (emulation prevention bytes dropped), read bit by bit."""

    def __init__(self, nal: bytes) -> None:
        rbsp, zeros = bytearray(), 0
        for byte in nal[1:]:
            if zeros >= 2 and byte == 3:
                zeros = 0
                continue
            rbsp.append(byte)
            zeros = zeros + 1 if byte == 0 else 0
        self.data, self.at = bytes(rbsp), 0

    def u(self, bits: int) -> int:
        value = 0
        for _ in range(bits):
            value = (value << 1) | (self.data[self.at >> 3] >> (7 - (self.at & 7)) & 1)
            self.at += 1
        return value

    def ue(self) -> int:
        zeros = 0
        while self.u(1) == 0:
            zeros += 1
        return (1 << zeros) - 1 + self.u(zeros)

    def se(self) -> int:
        code = self.ue()
        return (code + 1) // 2 if code % 2 else -(code // 2)

    def byte(self) -> int:
        assert self.at % 8 == 0
        self.at += 8
        return self.data[self.at // 8 - 1]

    def align(self) -> None:
        while self.at % 8:
            assert self.u(1) == 0, "alignment bits are zero"

    def trailing(self) -> None:
        assert self.u(1) == 1, "rbsp_stop_one_bit"
        self.align()
        assert self.at == len(self.data) * 8, "nothing after the trailing bits"


@dataclass
class Sps:
    mbs_wide: int
    mbs_high: int
    width: int
    height: int
    frame_num_bits: int


def read_sps(nal: bytes) -> Sps:
    assert nal[0] & 0x1F == 7
    r = Reader(nal)
    assert r.u(8) == 66, "Baseline profile"
    assert r.u(8) & 0b0100_0000, "constraint_set1: Constrained Baseline"
    assert r.u(8) == 40
    assert r.ue() == 0
    frame_num_bits = r.ue() + 4
    assert r.ue() == 2, "pic_order_cnt_type 2"
    assert r.ue() >= 1
    assert r.u(1) == 0
    mbs_wide, mbs_high = r.ue() + 1, r.ue() + 1
    assert r.u(1) == 1, "frames only"
    r.u(1)
    crop = [r.ue() for _ in range(4)] if r.u(1) else [0, 0, 0, 0]
    assert r.u(1) == 0
    r.trailing()
    width = 16 * mbs_wide - 2 * (crop[0] + crop[1])
    height = 16 * mbs_high - 2 * (crop[2] + crop[3])
    return Sps(mbs_wide, mbs_high, width, height, frame_num_bits)


def read_pps(nal: bytes) -> None:
    assert nal[0] & 0x1F == 8
    r = Reader(nal)
    assert (r.ue(), r.ue()) == (0, 0)
    assert r.u(1) == 0, "CAVLC"
    assert (r.u(1), r.ue(), r.ue(), r.ue(), r.u(1), r.u(2)) == (0, 0, 0, 0, 0, 0)
    assert (r.se(), r.se(), r.se()) == (0, 0, 0)
    assert r.u(1) == 1, "deblocking_filter_control_present_flag"
    assert (r.u(1), r.u(1)) == (0, 0)
    r.trailing()


def slice_header(r: Reader, seq: Sps, idr: bool) -> tuple[int, int]:
    """Reads the header; its slice type and frame_num."""
    assert r.ue() == 0, "one slice per frame"
    slice_type = r.ue() % 5
    assert r.ue() == 0
    frame_num = r.u(seq.frame_num_bits)
    if idr:
        r.ue()  # idr_pic_id
    if slice_type == 0:
        assert (r.u(1), r.u(1)) == (0, 0)
    if idr:
        assert (r.u(1), r.u(1)) == (0, 0)
    else:
        assert r.u(1) == 0
    r.se()
    assert r.ue() == 1, "deblocking off: the colours stay exact"
    return slice_type, frame_num


def coeff_token_is_empty(r: Reader, n_c: int) -> bool:
    """Reads a coeff_token; whether it says TotalCoeff 0 (H.264 table 9-5)."""
    if n_c >= 8:
        return r.u(6) == 0b000011
    ones = {0: 1, 2: 2, 4: 4}[0 if n_c < 2 else 2 if n_c < 4 else 4]
    return r.u(ones) == (1 << ones) - 1


def decode_idr(nal: bytes, seq: Sps) -> list[list[tuple[int, int, int]]]:
    """Each macroblock's (Y, Cb, Cr); asserts every macroblock is flat."""
    assert nal[0] & 0x1F == 5
    r = Reader(nal)
    assert slice_header(r, seq, idr=True) == (2, 0)
    grid = [[(0, 0, 0)] * seq.mbs_wide for _ in range(seq.mbs_high)]
    pcm = [[False] * seq.mbs_wide for _ in range(seq.mbs_high)]
    for y in range(seq.mbs_high):
        for x in range(seq.mbs_wide):
            mb_type = r.ue()
            if mb_type == 25:  # I_PCM
                r.align()
                planes = [bytes(r.byte() for _ in range(n)) for n in (256, 64, 64)]
                assert all(len(set(p)) == 1 for p in planes), "a flat macroblock"
                grid[y][x] = (planes[0][0], planes[1][0], planes[2][0])
                pcm[y][x] = True
                continue
            assert mb_type in (1, 2), "I_16x16, vertical or horizontal, no coded residual"
            chroma_mode = r.ue()
            assert r.se() == 0
            neighbours = ((x - 1, y), (x, y - 1))  # left, above
            counts = [16 if pcm[b][a] else 0 for a, b in neighbours if a >= 0 and b >= 0]
            n_c = (sum(counts) + 1) >> 1 if len(counts) == 2 else sum(counts)
            assert coeff_token_is_empty(r, n_c), (x, y)
            left = grid[y][x - 1] if x else None
            top = grid[y - 1][x] if y else None
            luma = top if mb_type == 1 else left
            chroma = {1: left, 2: top}[chroma_mode]
            assert luma is not None and chroma is not None, "predicted from an available block"
            grid[y][x] = (luma[0], chroma[1], chroma[2])
    r.trailing()
    return grid


def test_each_mp4_holds_h264_frames_showing_its_scenes(video: tuple[Sample, Movie]) -> None:
    sample, movie = video
    sps, pps = avc_config(movie)
    seq = read_sps(sps)
    read_pps(pps)
    assert (seq.width, seq.height) == (sample.width, sample.height)
    (sync_count,) = struct.unpack_from(">I", movie.stbl(b"stss"))
    sync = struct.unpack_from(f">{sync_count}I", movie.stbl(b"stss"), 4)
    per_scene = sample.frames // len(sample.scenes)
    assert sync == tuple(1 + per_scene * i for i in range(len(sample.scenes)))
    for number, payload in enumerate(movie.samples()):
        (nal,) = nal_units(payload)
        scene = sample.scenes[number // per_scene]
        if number % per_scene == 0:
            expected = [
                [ycbcr(scene.colour_at(16 * x, 16 * y)) for x in range(seq.mbs_wide)]
                for y in range(seq.mbs_high)
            ]
            assert decode_idr(nal, seq) == expected, f"frame {number}"
            continue
        assert nal[0] & 0x1F == 1 and nal[0] >> 5, "a reference P slice"
        r = Reader(nal)
        frame_num = number % per_scene
        assert slice_header(r, seq, idr=False) == (0, frame_num % (1 << seq.frame_num_bits))
        assert r.ue() == seq.mbs_wide * seq.mbs_high, "every macroblock skipped: a repeat"
        r.trailing()


def test_colours_are_bt601_limited_range() -> None:
    assert ycbcr((255, 255, 255)) == (235, 128, 128)
    assert ycbcr((0, 0, 0)) == (16, 128, 128)
    assert ycbcr((255, 0, 0)) == (81, 90, 240)


def test_scenes_differ_and_fit_the_macroblock_grid() -> None:
    for sample in VIDEOS:
        assert len(set(sample.scenes)) == len(sample.scenes)
        for rect in (r for scene in sample.scenes for r in scene.rects):
            # an edge of the frame may end in a partial macroblock, cropped away
            assert all(x % 16 == 0 or x == sample.width for x in (rect.left, rect.right)), rect
            assert all(y % 16 == 0 or y == sample.height for y in (rect.top, rect.bottom)), rect


# Files


def test_the_same_bytes_every_time() -> None:
    assert [s.render() for s in SAMPLES] == [s.render() for s in SAMPLES]
    assert len({s.name for s in SAMPLES}) == len(SAMPLES)


def test_write_samples_replaces_and_install_keeps_what_is_there(tmp_path: Path) -> None:
    written = samples.write_samples(tmp_path / "out")
    assert [p.name for p in written] == [s.name for s in SAMPLES]
    assert [p.read_bytes() for p in written] == [s.render() for s in SAMPLES]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(s.name for s in SAMPLES)

    settings = Settings(data_dir=tmp_path / "data")
    media = settings.resolved_media_dir
    media.mkdir(parents=True)
    (media / "hook.mp4").write_bytes(b"my own hook")
    installed = samples.install(settings)
    assert installed == [media / s.name for s in SAMPLES]
    assert (media / "hook.mp4").read_bytes() == b"my own hook"
    assert (media / "unboxing.mp4").read_bytes() == VIDEOS[1].render()
    assert sorted(p.name for p in media.iterdir()) == sorted(s.name for s in SAMPLES)


def test_the_module_command_installs_into_the_configured_media_folder(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROASLOOP_")}
    env["ROASLOOP_DATA_DIR"] = str(tmp_path / "data")
    done = subprocess.run(
        [sys.executable, "-m", "roasloop.media.samples"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=env,
    )
    media = tmp_path / "data" / "media"
    assert done.stdout.split() == [str(media / s.name) for s in SAMPLES]
    assert [(media / s.name).read_bytes() for s in SAMPLES] == [s.render() for s in SAMPLES]


async def test_register_creative_takes_each_sample_by_its_name(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    samples.install(settings)
    async with CampaignAutomation(settings) as module:
        for sample in SAMPLES:
            params = {
                "creative_id": sample.name,
                "name": sample.name,
                "product_url": "https://shop.example.com/p/serum",
                "media_url": sample.name,
            }
            response = await module.execute("register_creative", params, {"user_id": "u1"})
            assert response["status"] == "success", response
        store = (await module.runtime()).deps.store
        async with store.unit("u1") as uow:
            stored = await uow.creatives.get_many([s.name for s in SAMPLES])
    media = settings.resolved_media_dir.resolve()
    assert {k: c.media_url for k, c in stored.items()} == {
        s.name: str(media / s.name) for s in SAMPLES
    }
