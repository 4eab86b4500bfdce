"""Creative media as values: its type, what a probe reads of it, and the limits an ad
platform sets on it (size, duration, shape), with the pure check of one against the other.

Each platform states its limits as a :class:`MediaLimits` next to its adapter, citing the
vendor's documentation; roasloop checks them before the first write of a launch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction


class MediaKind(StrEnum):
    MP4 = "video/mp4"
    MOV = "video/quicktime"
    JPEG = "image/jpeg"
    PNG = "image/png"

    @property
    def is_video(self) -> bool:
        return self in (MediaKind.MP4, MediaKind.MOV)

    @property
    def suffix(self) -> str:
        """The usual file name ending of the type."""
        return {"video/mp4": ".mp4", "video/quicktime": ".mov", "image/jpeg": ".jpg"}.get(
            self.value, ".png"
        )


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """What reading a media file's headers tells: type, bytes, picture size as shown, and a
    video's length."""

    kind: MediaKind
    size: int
    width: int
    height: int
    #: A video's length in milliseconds; ``None`` for an image.
    duration_ms: int | None = None


#: How far from an exact ratio a picture may be when the vendor names exact ratios and no
#: tolerance of its own (Google states ±1 % for its image assets).
RATIO_TOLERANCE = Fraction(1, 100)


@dataclass(frozen=True, slots=True)
class Shape:
    """Pictures whose width:height lies in ``[min_ratio, max_ratio]``, at least
    ``min_width`` × ``min_height`` pixels."""

    label: str
    min_ratio: Fraction
    max_ratio: Fraction
    min_width: int
    min_height: int

    @classmethod
    def exact(
        cls, width: int, height: int, min_width: int, min_height: int, label: str = ""
    ) -> Shape:
        """The ratio ``width:height`` (within :data:`RATIO_TOLERANCE`) at a smallest size."""
        ratio = Fraction(width, height)
        return cls(
            label or f"{width}:{height}",
            ratio * (1 - RATIO_TOLERANCE),
            ratio * (1 + RATIO_TOLERANCE),
            min_width,
            min_height,
        )

    @classmethod
    def between(
        cls, low: tuple[int, int], high: tuple[int, int], min_size: tuple[int, int]
    ) -> Shape:
        """Any ratio from ``low`` to ``high`` (each ``(width, height)``) at a smallest size."""
        return cls(
            f"{low[0]}:{low[1]}–{high[0]}:{high[1]}",
            Fraction(*low),
            Fraction(*high),
            *min_size,
        )

    @classmethod
    def any_ratio(cls, min_width: int, min_height: int) -> Shape:
        """Any ratio at a smallest size."""
        return cls("", Fraction(0), Fraction(10**9), min_width, min_height)

    def takes(self, width: int, height: int) -> bool:
        return (
            width >= self.min_width
            and height >= self.min_height
            and self.min_ratio <= Fraction(width, height) <= self.max_ratio
        )

    def describe(self) -> str:
        """``9:16 ≥ 540×960``: the same in every language."""
        smallest = f"≥ {self.min_width}×{self.min_height}"
        return f"{self.label} {smallest}" if self.label else smallest


@dataclass(frozen=True, slots=True)
class KindLimits:
    """What a platform takes of one kind of media (videos or images)."""

    #: Largest file in bytes, ``None`` if no limit of its own.
    max_bytes: int | None = None
    #: Accepted shapes; empty: any.
    shapes: tuple[Shape, ...] = ()
    #: A video's shortest and longest length in milliseconds.
    min_duration_ms: int = 0
    max_duration_ms: int | None = None


class Misfit(StrEnum):
    """Why media does not fit a platform's limits."""

    KIND = "kind"
    SIZE = "size"
    DURATION = "duration"
    SHAPE = "shape"


@dataclass(frozen=True, slots=True)
class Refusal:
    """A misfit and the numbers a message about it needs."""

    misfit: Misfit
    params: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MediaLimits:
    """One platform's limits on creative media; a kind set to ``None`` is not taken at all,
    and ``refuse_video`` / ``refuse_image`` (catalog msgids) say why."""

    #: The platform's name as its users know it (``Google Ads``), for messages.
    platform: str = ""
    video: KindLimits | None = KindLimits()
    image: KindLimits | None = KindLimits()
    refuse_video: str = ""
    refuse_image: str = ""

    def of(self, kind: MediaKind) -> KindLimits | None:
        return self.video if kind.is_video else self.image

    @property
    def max_bytes(self) -> int | None:
        """The largest file of any kind the platform takes (``None``: no limit of its own)."""
        sizes = [k.max_bytes for k in (self.video, self.image) if k is not None]
        return None if None in sizes or not sizes else max(s for s in sizes if s is not None)

    def refusal(self, info: MediaInfo) -> Refusal | None:
        """Why ``info`` does not fit these limits, or ``None`` if it fits."""
        limits = self.of(info.kind)
        if limits is None:
            return Refusal(Misfit.KIND)
        if limits.max_bytes is not None and info.size > limits.max_bytes:
            return Refusal(Misfit.SIZE, {"mb": _mb(limits.max_bytes), "actual_mb": _mb(info.size)})
        if info.duration_ms is not None and not _lasts(limits, info.duration_ms):
            return Refusal(Misfit.DURATION, _duration_params(limits, info.duration_ms))
        if limits.shapes and not any(s.takes(info.width, info.height) for s in limits.shapes):
            shapes = ", ".join(s.describe() for s in limits.shapes)
            return Refusal(
                Misfit.SHAPE, {"shapes": shapes, "width": info.width, "height": info.height}
            )
        return None


def _lasts(limits: KindLimits, duration_ms: int) -> bool:
    longest = limits.max_duration_ms
    return duration_ms >= limits.min_duration_ms and (longest is None or duration_ms <= longest)


def _duration_params(limits: KindLimits, duration_ms: int) -> dict[str, str | int]:
    longest = limits.max_duration_ms
    return {
        "min": _seconds(limits.min_duration_ms),
        "max": "∞" if longest is None else _seconds(longest),
        "actual": _seconds(duration_ms),
    }


def _seconds(milliseconds: int) -> str:
    """Seconds as a person writes them: ``5``, ``0.5``, ``14460``."""
    return f"{milliseconds / 1000:.3f}".rstrip("0").rstrip(".")


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f}".removesuffix(".0")


#: Limits of a platform that states none of its own (test doubles): any kind, size, shape.
UNLIMITED = MediaLimits()
