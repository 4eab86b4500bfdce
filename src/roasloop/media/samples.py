"""Sample creatives made by roasloop itself: vertical videos and product pictures to try the
module, the CLI and the sandbox with, without bringing media of your own.

* ``hook.mp4`` and ``unboxing.mp4``: 1080 × 1920, 6 s at 30 frames a second, three flat-colour
  scenes of 2 s each. Real H.264 (Constrained Baseline) in an MP4 file, about 33 kB: ``ffmpeg``
  decodes every frame to exactly the scene's colours (:mod:`roasloop.media.h264` tells how it
  stays this small).
* ``product-vertical.png`` (1080 × 1920, 9:16), ``product-square.png`` (1080 × 1080) and
  ``product-landscape.png`` (1200 × 628, 1.91:1): the picture shapes the three platforms
  take.

They are generated, not shipped: the generator is the single source, there are no binary
files to keep in step with it, and making all five takes a fraction of a second. A machine
gives the same bytes on every run; another zlib may compress the PNGs differently, the
pixels stay the same.

``install(settings)`` puts any that are missing into the media folder, after which a creative
can name one by its file name (``"media_url": "hook.mp4"``). From a shell:
``python -m roasloop.media.samples`` does the same for the configured media folder, or
``python -m roasloop.media.samples DIR`` writes them into ``DIR``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from roasloop.domain.media import MediaKind
from roasloop.media.h264 import MB, Encoder
from roasloop.media.mp4 import VideoTrack, encode_mp4, sample_payload
from roasloop.media.png import RGB, Picture, Rect, encode_png

if TYPE_CHECKING:
    from roasloop.config import Settings

FPS = 30
#: Media timescale of the videos: 512 ticks a frame, as common encoders choose for 30 fps.
TIMESCALE = FPS * 512


@dataclass(frozen=True, slots=True)
class Sample:
    """One sample file: its name in the media folder, its type and what it shows."""

    name: str
    kind: MediaKind
    width: int
    height: int
    #: One picture for an image; a video's scenes, each shown for ``scene_seconds``.
    scenes: tuple[Picture, ...]
    scene_seconds: int = 0

    @property
    def frames(self) -> int:
        """Frames in a video (1 for an image)."""
        return len(self.scenes) * self.scene_seconds * FPS if self.kind.is_video else 1

    @property
    def duration_ms(self) -> int:
        """A video's length in milliseconds (0 for an image)."""
        return len(self.scenes) * self.scene_seconds * 1000 if self.kind.is_video else 0

    def render(self) -> bytes:
        """The file's bytes."""
        if not self.kind.is_video:
            return encode_png(self.scenes[0])
        return encode_mp4(self.track())

    def track(self) -> VideoTrack:
        """A video's H.264 track: each scene an IDR frame, then frames that repeat it."""
        encoder = Encoder(self.width, self.height)
        samples: list[bytes] = []
        sync: list[int] = []
        for index, scene in enumerate(self.scenes):
            sync.append(len(samples))
            samples.append(sample_payload([encoder.intra(scene, idr_pic_id=index)]))
            repeat = [encoder.repeat(n) for n in range(1, self.scene_seconds * FPS)]
            samples += (sample_payload([unit]) for unit in repeat)
        return VideoTrack(
            width=self.width,
            height=self.height,
            timescale=TIMESCALE,
            sample_delta=TIMESCALE // FPS,
            sps=encoder.sps(),
            pps=encoder.pps(),
            samples=samples,
            sync_samples=sync,
        )


def poster(width: int, height: int, palette: tuple[RGB, RGB, RGB, RGB], grid: int = 8) -> Picture:
    """An ad-like layout: a background, a product block, a caption band and a button, with
    every edge on a ``grid``-pixel grid (16 for video, so each macroblock has one colour)."""
    background, product, caption, button = palette

    def snap(fraction: float, size: int) -> int:
        return min(round(fraction * size / grid) * grid, size)

    def rect(left: float, top: float, right: float, bottom: float, colour: RGB) -> Rect:
        return Rect(
            snap(left, width), snap(top, height), snap(right, width), snap(bottom, height), colour
        )

    return Picture(
        width,
        height,
        background,
        (
            rect(0.15, 0.18, 0.85, 0.58, product),
            rect(0.0, 0.64, 1.0, 0.72, caption),
            rect(0.25, 0.78, 0.75, 0.86, button),
        ),
    )


NAVY, CORAL, CREAM, MINT = (24, 36, 72), (255, 111, 97), (250, 240, 222), (64, 201, 162)
PLUM, GOLD, SKY, INK = (92, 44, 109), (247, 184, 1), (125, 190, 255), (30, 30, 36)


def _video(name: str, palettes: tuple[tuple[RGB, RGB, RGB, RGB], ...]) -> Sample:
    scenes = tuple(poster(1080, 1920, palette, grid=MB) for palette in palettes)
    return Sample(name, MediaKind.MP4, 1080, 1920, scenes, scene_seconds=2)


def _image(name: str, width: int, height: int, palette: tuple[RGB, RGB, RGB, RGB]) -> Sample:
    return Sample(name, MediaKind.PNG, width, height, (poster(width, height, palette),))


SAMPLES: tuple[Sample, ...] = (
    _video(
        "hook.mp4",
        ((NAVY, CORAL, CREAM, MINT), (CORAL, NAVY, CREAM, GOLD), (CREAM, NAVY, CORAL, MINT)),
    ),
    _video(
        "unboxing.mp4",
        ((PLUM, GOLD, CREAM, SKY), (INK, GOLD, SKY, CORAL), (GOLD, PLUM, INK, CREAM)),
    ),
    _image("product-vertical.png", 1080, 1920, (NAVY, CORAL, CREAM, MINT)),
    _image("product-square.png", 1080, 1080, (CREAM, PLUM, GOLD, NAVY)),
    _image("product-landscape.png", 1200, 628, (SKY, INK, CREAM, CORAL)),
)


def write_samples(directory: Path) -> list[Path]:
    """Write every sample into ``directory`` (created if needed, files replaced); their paths."""
    return [_write(directory / sample.name, sample) for sample in SAMPLES]


def install(settings: Settings) -> list[Path]:
    """Put the samples that are missing into the media folder, leaving files already there
    untouched (they may be your own); the paths of all the samples."""
    directory = settings.resolved_media_dir
    paths = []
    for sample in SAMPLES:
        path = directory / sample.name
        paths.append(path if path.exists() else _write(path, sample))
    return paths


def _write(path: Path, sample: Sample) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed, so a creative registered meanwhile never sees half a file.
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    partial.write_bytes(sample.render())
    partial.replace(path)
    return path


def main(argv: list[str]) -> None:
    """``python -m roasloop.media.samples [DIR]``: install into the media folder, or write into
    ``DIR``; print each path."""
    if argv:
        paths = write_samples(Path(argv[0]))
    else:
        from roasloop.config import Settings

        paths = install(Settings())
    for path in paths:
        print(path)


if __name__ == "__main__":
    main(sys.argv[1:])
