"""Creative media as Google Ads image assets: bytes read from a local file.

roasloop's Google ads are Demand Gen multi-asset ads carrying the creative as their
landscape marketing image. Google's video ads play YouTube videos (a ``youtubeVideoAsset``
names a video already on YouTube); roasloop uploads nothing to YouTube, so a video creative
is refused for Google Ads before any write. A media URL is fetched by roasloop and uploaded
as bytes, since image assets take no URL.
"""

from __future__ import annotations

from pathlib import Path

from roasloop.domain.media import KindLimits, MediaLimits, Shape
from roasloop.errors import InvalidParameter
from roasloop.translations import N_

#: Image assets are at most 5 MB (https://support.google.com/google-ads/answer/13547298).
IMAGE_MAX_BYTES = 5 * 1024 * 1024
#: A multi-asset ad's marketing images: 1.91:1 (±1 %), at least 600 × 314
#: (https://developers.google.com/google-ads/api/reference/rpc/latest/DemandGenMultiAssetAdInfo).
IMAGE_SHAPES = (Shape.exact(191, 100, 600, 314, label="1.91:1"),)

LIMITS = MediaLimits(
    platform="Google Ads",
    video=None,
    image=KindLimits(max_bytes=IMAGE_MAX_BYTES, shapes=IMAGE_SHAPES),
    refuse_video=N_(
        "Google Ads video ads play YouTube videos, which roasloop does not upload; "
        "give a 1.91:1 JPEG or PNG image"
    ),
)


def image_bytes(media_url: str) -> bytes:
    if media_url.startswith(("http://", "https://")):
        raise InvalidParameter(
            "media_url", N_("Google Ads image assets are uploaded as bytes; give a local file")
        )
    try:
        content = Path(media_url).read_bytes()
    except OSError as exc:
        raise InvalidParameter(
            "media_url",
            N_("cannot read creative media {path}"),
            detail_params={"path": repr(media_url)},
        ) from exc
    if len(content) > IMAGE_MAX_BYTES:
        raise InvalidParameter("media_url", N_("Google Ads image assets are at most 5 MB"))
    return content
