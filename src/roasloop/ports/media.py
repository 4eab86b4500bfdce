"""Media port: a creative's ``media_url`` checked before it is stored or launched.

A ``media_url`` is either an ``http(s)`` URL (the platforms that take media by URL read it)
or a file inside the configured media folder. :data:`MediaCheck` is the one function the
services need; :mod:`roasloop.media.validation` implements it and the composition root
binds it to the settings' media folder and mode.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum


class MediaKind(StrEnum):
    MP4 = "video/mp4"
    MOV = "video/quicktime"
    JPEG = "image/jpeg"
    PNG = "image/png"

    @property
    def is_video(self) -> bool:
        return self in (MediaKind.MP4, MediaKind.MOV)


@dataclass(frozen=True, slots=True)
class CheckedMedia:
    """Where the media is (an absolute path inside the media folder, or a URL) and its type."""

    location: str
    kind: MediaKind | None  # None for a URL: the platform reads it


def is_url(media_url: str) -> bool:
    return media_url.lower().startswith(("http://", "https://"))


#: ``check(media_url) -> CheckedMedia``: the media a creative may use. Raises
#: :class:`roasloop.errors.InvalidParameter` naming ``media_url`` (with a ``check_media_*``
#: detail key) when the file is missing, outside the media folder, unreadable, of an unknown
#: type or too large, or when a URL has no host (or, in live mode, a non-public one).
MediaCheck = Callable[[str], Awaitable[CheckedMedia]]
