"""Validating a creative's ``media_url`` when it is registered and again before a launch.

Local media must sit inside the configured media folder (``settings.media_dir``, default
``<data_dir>/media``): a path that escapes it, directly or through a symlink, is refused, so
no other file of the server can be uploaded to an ad platform. The file's type is read
from its content (MP4, MOV, JPEG, PNG), not from its name, and its headers are read
(:mod:`roasloop.media.probe`): a file whose picture size or length cannot be read is
refused, and so is one that no ad platform takes (:data:`ANY_PLATFORM`, the loosest of the
platforms' limits). Each platform's own limits are checked at launch.

``http(s)`` URLs are passed to the platforms that take media by URL; in live mode a URL
whose host resolves to a loopback, private, link-local or otherwise non-public address is
refused.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from pathlib import Path
from urllib.parse import urlsplit

from roasloop.domain.media import KindLimits, MediaInfo, MediaKind, MediaLimits, Misfit, Shape
from roasloop.errors import InvalidParameter
from roasloop.media.probe import Unreadable, probe
from roasloop.ports.media import CheckedMedia, MediaCheck, is_url
from roasloop.translations import N_

FIELD = "media_url"
#: Bytes read to tell a file's type.
HEAD_BYTES = 16
#: Largest video roasloop takes. Uploads go in one request read into memory, so roasloop keeps
#: to TikTok's limit, the smallest of the platforms' (500 MB,
#: https://ads.tiktok.com/help/article/video-ads-specifications; Meta takes up to 4 GB).
VIDEO_MAX_BYTES = 500 * 1024 * 1024
#: Largest image Meta takes (30 MB, https://www.facebook.com/business/ads-guide/image).
IMAGE_MAX_BYTES = 30 * 1024 * 1024

#: What at least one ad platform takes; media outside it is refused when registered.
#: Videos: Meta's range, the widest (1 s to 241 min, at least 120 × 120,
#: https://www.facebook.com/business/ads-guide/video). Images: Google's landscape minimum,
#: the smallest (600 × 314; Meta's is 600 × 315), from
#: https://developers.google.com/google-ads/api/reference/rpc/latest/DemandGenMultiAssetAdInfo
ANY_PLATFORM = MediaLimits(
    video=KindLimits(
        max_bytes=VIDEO_MAX_BYTES,
        shapes=(Shape.any_ratio(120, 120),),
        min_duration_ms=1_000,
        max_duration_ms=241 * 60_000,
    ),
    image=KindLimits(max_bytes=IMAGE_MAX_BYTES, shapes=(Shape.any_ratio(600, 314),)),
)
TOO_SHORT_OR_LONG = N_(
    "the video lasts {actual} seconds; ad platforms take videos of {min} to {max} seconds"
)
TOO_SMALL = N_(
    "the picture is {width}×{height} pixels, smaller than any ad platform takes ({shapes})"
)


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
        await check_url(media_url, live=live)
        return CheckedMedia(media_url, None)
    path = confined(media_url, media_dir)
    info = await asyncio.to_thread(check_file, path)
    return CheckedMedia(str(path), info.kind, info)


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


def check_file(path: Path) -> MediaInfo:
    """What the file at ``path`` is, if some ad platform takes it."""
    if not path.is_file():
        raise InvalidParameter(FIELD, "no such file", detail_key="check_media_missing")
    try:
        with path.open("rb") as handle:
            size = path.stat().st_size
            kind = sniff(handle.read(HEAD_BYTES))
            if kind is None:
                raise InvalidParameter(FIELD, "unknown type", detail_key="check_media_type")
            _check_size(kind, size)
            info = probe(handle, size, kind)
    except OSError:
        raise InvalidParameter(FIELD, "unreadable", detail_key="check_media_unreadable") from None
    except Unreadable as unreadable:
        raise InvalidParameter(FIELD, unreadable.msgid) from None
    check_any_platform(info)
    return info


def check_any_platform(info: MediaInfo) -> None:
    """Refuse media that no ad platform takes, naming ``media_url``."""
    refusal = ANY_PLATFORM.refusal(info)
    if refusal is None:
        return
    if refusal.misfit is Misfit.DURATION:
        raise InvalidParameter(FIELD, TOO_SHORT_OR_LONG, detail_params=refusal.params)
    if refusal.misfit is Misfit.SHAPE:
        raise InvalidParameter(FIELD, TOO_SMALL, detail_params=refusal.params)
    _check_size(info.kind, info.size)


def _check_size(kind: MediaKind, size: int) -> None:
    limit = VIDEO_MAX_BYTES if kind.is_video else IMAGE_MAX_BYTES
    if size > limit:
        raise InvalidParameter(
            FIELD, "too large", detail_key="check_media_size", detail_params={"mb": limit // 2**20}
        )


async def check_url(url: str, *, live: bool) -> None:
    """Refuse a URL without a host or, in live mode, one whose host is not public."""
    host = urlsplit(url).hostname
    if not host:
        raise InvalidParameter(FIELD, "no host", detail_key="check_media_url_host")
    if live:
        await public_addresses(host)


async def public_addresses(host: str) -> list[str]:
    """Every address ``host`` resolves to, all of them public; else ``InvalidParameter``."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise InvalidParameter(FIELD, "no address", detail_key="check_media_url_host") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses or not all(_public(a) for a in addresses):
        raise InvalidParameter(FIELD, "not public", detail_key="check_media_url_public")
    return addresses


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return ip.is_global and not ip.is_multicast
