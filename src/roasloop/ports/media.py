"""Media ports: a creative's ``media_url`` checked before it is stored or launched, and
fetched when a platform takes no URL.

A ``media_url`` is either an ``http(s)`` URL (the platforms that take media by URL read it)
or a file inside the configured media folder. :data:`MediaCheck` and :data:`MediaFetch` are
the functions the services need; :mod:`roasloop.media` implements them and the composition
root binds them to the settings' media folder and mode.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from roasloop.domain.media import MediaInfo, MediaKind


@dataclass(frozen=True, slots=True)
class CheckedMedia:
    """Where the media is (an absolute path inside the media folder, or a URL), its type and
    what its headers say (``None`` for a URL: the platform reads it)."""

    location: str
    kind: MediaKind | None
    info: MediaInfo | None = None


def is_url(media_url: str) -> bool:
    return media_url.lower().startswith(("http://", "https://"))


#: ``check(media_url) -> CheckedMedia``: the media a creative may use. Raises
#: :class:`roasloop.errors.InvalidParameter` naming ``media_url`` when the file is missing,
#: outside the media folder, unreadable, of an unknown type, damaged (its size or length
#: cannot be read) or outside what any ad platform takes; or when a URL has no host (or, in
#: live mode, a non-public one).
MediaCheck = Callable[[str], Awaitable[CheckedMedia]]

#: ``fetch(url, max_bytes) -> CheckedMedia``: an ``http(s)`` URL's media downloaded into the
#: media folder and checked like a local file, for a platform that takes no URL. At most
#: ``max_bytes`` bytes (``None``: the largest media roasloop takes) within the configured
#: time; in live mode every address it connects to, redirects included, must be public.
#: Raises :class:`roasloop.errors.InvalidParameter` naming ``media_url``.
MediaFetch = Callable[[str, int | None], Awaitable[CheckedMedia]]
