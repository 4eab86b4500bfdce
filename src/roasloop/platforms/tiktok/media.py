"""What TikTok takes as a creative's media: roasloop's TikTok ads are single-video In-Feed
ads (``SINGLE_VIDEO``), so videos only."""

from __future__ import annotations

from roasloop.domain.media import KindLimits, MediaLimits, Shape
from roasloop.translations import N_

#: In-Feed video ads: 9:16, 1:1 or 16:9, at least 540 × 960, 640 × 640 or 960 × 540
#: (https://ads.tiktok.com/help/article/video-ads-specifications).
VIDEO_SHAPES = (
    Shape.exact(9, 16, 540, 960),
    Shape.exact(1, 1, 640, 640),
    Shape.exact(16, 9, 960, 540),
)
#: At most 500 MB (https://ads.tiktok.com/help/article/video-ads-specifications).
VIDEO_MAX_BYTES = 500 * 2**20
#: At least 5 seconds (https://ads.tiktok.com/help/article/video-ads-specifications).
VIDEO_MIN_MS = 5_000
#: Auction In-Feed (non-Spark) videos: up to 10 minutes
#: (https://ads.tiktok.com/help/article/tiktok-kyte-set-up-guide); the older general table
#: says 60 s, the auction ads roasloop buys take the longer limit.
VIDEO_MAX_MS = 10 * 60_000

LIMITS = MediaLimits(
    platform="TikTok",
    video=KindLimits(
        max_bytes=VIDEO_MAX_BYTES,
        shapes=VIDEO_SHAPES,
        min_duration_ms=VIDEO_MIN_MS,
        max_duration_ms=VIDEO_MAX_MS,
    ),
    image=None,
    refuse_image=N_("roasloop's TikTok ads are video ads; give an MP4 or MOV video"),
)
