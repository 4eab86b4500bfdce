"""Validating a creative's ``media_url`` when it is registered and again before a launch.

Local media must sit inside the configured media folder (``settings.media_dir``, default
``<data_dir>/media``): a path that escapes it, directly or through a symlink, is refused, so
no other file of the server can be uploaded to an ad platform. The file's type is read
from its content (MP4, MOV, JPEG, PNG), not from its name. ``http(s)`` URLs are passed to
the platforms that take media by URL; in live mode a URL whose host resolves to a
loopback, private, link-local or otherwise non-public address is refused.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from pathlib import Path
from urllib.parse import urlsplit

from roasloop.errors import InvalidParameter
from roasloop.ports.media import CheckedMedia, MediaCheck, MediaKind, is_url

FIELD = "media_url"
#: Bytes read to tell a file's type.
HEAD_BYTES = 16
#: Largest video any supported platform takes by upload (TikTok: 500 MB,
#: https://business-api.tiktok.com/portal/docs?id=1737587322856449).
VIDEO_MAX_BYTES = 500 * 1024 * 1024
#: Largest image Meta takes (30 MB, https://www.facebook.com/business/ads-guide/image).
IMAGE_MAX_BYTES = 30 * 1024 * 1024


def sniff(head: bytes) -> MediaKind | None:
    """The media type of a file from its first bytes, or ``None`` if it is none we take."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return MediaKind.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return MediaKind.JPEG
    if head[4:8] == b"ftyp":  # ISO base media file (MP4 family); QuickTime's brand is "qt  "
        return MediaKind.MOV if head[8:12] == b"qt  " else MediaKind.MP4
    return None


async def check_media(media_url: str, media_dir: Path, *, live: bool) -> CheckedMedia:
    """The media a creative may use, or ``InvalidParameter`` naming ``media_url``."""
    if is_url(media_url):
        await _check_url(media_url, live=live)
        return CheckedMedia(media_url, None)
    path = confined(media_url, media_dir)
    return CheckedMedia(str(path), await asyncio.to_thread(_check_file, path))


def media_check(media_dir: Path, *, live: bool) -> MediaCheck:
    """:func:`check_media` bound to the media folder and mode (the services' ``MediaCheck``)."""

    async def check(media_url: str) -> CheckedMedia:
        return await check_media(media_url, media_dir, live=live)

    return check


def confined(media_url: str, media_dir: Path) -> Path:
    """The real path of ``media_url`` (relative to the media folder, or absolute) inside it."""
    root = media_dir.resolve()
    raw = Path(media_url)
    real = (raw if raw.is_absolute() else root / raw).resolve()
    if not real.is_relative_to(root):
        raise InvalidParameter(FIELD, "outside the media folder", detail_key="check_media_outside")
    return real


def _check_file(path: Path) -> MediaKind:
    if not path.is_file():
        raise InvalidParameter(FIELD, "no such file", detail_key="check_media_missing")
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
        size = path.stat().st_size
    except OSError:
        raise InvalidParameter(FIELD, "unreadable", detail_key="check_media_unreadable") from None
    kind = sniff(head)
    if kind is None:
        raise InvalidParameter(FIELD, "unknown type", detail_key="check_media_type")
    limit = VIDEO_MAX_BYTES if kind.is_video else IMAGE_MAX_BYTES
    if size > limit:
        raise InvalidParameter(
            FIELD, "too large", detail_key="check_media_size", detail_params={"mb": limit // 2**20}
        )
    return kind


async def _check_url(url: str, *, live: bool) -> None:
    host = urlsplit(url).hostname
    if not host:
        raise InvalidParameter(FIELD, "no host", detail_key="check_media_url_host")
    if live and not await _public(host):
        raise InvalidParameter(FIELD, "not public", detail_key="check_media_url_public")


async def _public(host: str) -> bool:
    """Whether every address ``host`` resolves to is a public one."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        raise InvalidParameter(FIELD, "no address", detail_key="check_media_url_host") from None
    addresses = {ipaddress.ip_address(info[4][0]) for info in infos}
    return bool(addresses) and all(a.is_global and not a.is_multicast for a in addresses)
