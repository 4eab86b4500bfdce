"""Platform media limits as values: shapes with their tolerance, each misfit named, and the
limits checked at registration no stricter than any platform's."""

from __future__ import annotations

import pytest

from roasloop.domain.media import KindLimits, MediaInfo, MediaKind, MediaLimits, Misfit, Shape
from roasloop.media.validation import ANY_PLATFORM
from roasloop.platforms.google import media as google
from roasloop.platforms.google.client import GoogleAdsAdapter
from roasloop.platforms.meta import media as meta
from roasloop.platforms.meta.client import MetaAdapter
from roasloop.platforms.tiktok import media as tiktok
from roasloop.platforms.tiktok.client import TikTokAdapter

PLATFORMS = [tiktok.LIMITS, meta.LIMITS, google.LIMITS]


def clip(width: int, height: int, seconds: float = 10, size: int = 1000) -> MediaInfo:
    return MediaInfo(MediaKind.MP4, size, width, height, int(seconds * 1000))


def picture(width: int, height: int, size: int = 1000) -> MediaInfo:
    return MediaInfo(MediaKind.PNG, size, width, height)


@pytest.mark.parametrize(
    ("width", "height", "takes"),
    [(1080, 1920, True), (1080, 1910, True), (1080, 1900, False), (540, 960, True),
     (522, 928, False), (1080, 1350, False)],
)  # fmt: skip
def test_an_exact_ratio_allows_one_percent_and_needs_its_smallest_size(
    width: int, height: int, takes: bool
) -> None:
    assert Shape.exact(9, 16, 540, 960).takes(width, height) is takes


def test_each_misfit_is_named_with_its_numbers() -> None:
    limits = MediaLimits(
        video=KindLimits(2**20, (Shape.exact(1, 1, 640, 640),), 5_000, 60_000), image=None
    )
    assert limits.refusal(clip(640, 640)) is None
    assert limits.refusal(picture(640, 640)).misfit is Misfit.KIND  # type: ignore[union-attr]
    size = limits.refusal(clip(640, 640, size=3 * 2**20 // 2))
    assert size is not None and size.params == {"mb": "1", "actual_mb": "1.5"}
    short = limits.refusal(clip(640, 640, seconds=4.25))
    assert short is not None and short.params == {"min": "5", "max": "60", "actual": "4.25"}
    wrong = limits.refusal(clip(1280, 720))
    assert wrong is not None and wrong.misfit is Misfit.SHAPE
    assert wrong.params == {"shapes": "1:1 ≥ 640×640", "width": 1280, "height": 720}


def test_the_largest_file_a_platform_takes() -> None:
    assert tiktok.LIMITS.max_bytes == 500 * 2**20
    assert google.LIMITS.max_bytes == 5 * 2**20
    assert meta.LIMITS.max_bytes == 4 * 2**30
    assert MediaLimits().max_bytes is None


@pytest.mark.parametrize("limits", PLATFORMS, ids=lambda limits: limits.platform)
def test_registration_takes_everything_some_platform_takes(limits: MediaLimits) -> None:
    for kind in (MediaKind.MP4, MediaKind.PNG):
        own, loosest = limits.of(kind), ANY_PLATFORM.of(kind)
        assert loosest is not None
        if own is None:
            continue
        assert own.min_duration_ms >= loosest.min_duration_ms
        if kind.is_video:
            assert own.max_duration_ms is not None and loosest.max_duration_ms is not None
            assert own.max_duration_ms <= loosest.max_duration_ms
        for shape in own.shapes:
            assert any(
                shape.min_width >= s.min_width and shape.min_height >= s.min_height
                for s in loosest.shapes
            )


def test_each_adapter_states_its_platform_limits() -> None:
    assert TikTokAdapter.capabilities.media is tiktok.LIMITS
    assert MetaAdapter.capabilities.media is meta.LIMITS
    assert GoogleAdsAdapter.capabilities.media is google.LIMITS
    assert tiktok.LIMITS.refusal(picture(1200, 628)) is not None  # TikTok ads are videos
    assert google.LIMITS.refusal(clip(1920, 1080)) is not None  # Google's play YouTube videos
    assert google.LIMITS.refusal(picture(1200, 628)) is None
    assert meta.LIMITS.refusal(clip(1080, 1350)) is None
