"""Creative media as Google Ads image assets: bytes read from a local file."""

from __future__ import annotations

from pathlib import Path

from roasloop.errors import InvalidParameter
from roasloop.translations import N_

#: Image assets are at most 5 MB (https://support.google.com/google-ads/answer/13547298).
IMAGE_MAX_BYTES = 5 * 1024 * 1024


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
