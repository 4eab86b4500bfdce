"""Fetching a creative's media from its URL, for a platform that takes no URL (Google Ads).

The download is bounded: at most the platform's largest file (and never more than the
largest media roasloop takes), within ``settings.media_fetch_timeout_seconds`` for the whole
transfer, redirects included (at most :data:`MAX_REDIRECTS`). In live mode each hop's host
is resolved once, every address it has must be public, and the connection goes to that
checked address (the URL's host still names the server for HTTP and TLS), so a name that
resolves differently the second time cannot reach an internal service. The file lands in
the media folder's ``.fetched`` folder and is then checked exactly like a local file: type
by content, headers probed, limits applied.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from roasloop.errors import InvalidParameter
from roasloop.media.validation import FIELD, VIDEO_MAX_BYTES, check_file, public_addresses
from roasloop.ports.media import CheckedMedia, MediaFetch
from roasloop.translations import N_

#: Where fetched media is kept, inside the media folder.
FETCH_DIR = ".fetched"
MAX_REDIRECTS = 5

FETCH_SLOW = N_("the media URL did not send its file within {seconds} seconds")
FETCH_FAILED = N_("the media URL cannot be fetched")
FETCH_STATUS = N_("the media URL answered HTTP {status} instead of sending the file")
FETCH_REDIRECTS = N_("the media URL redirects more than {count} times")
FETCH_SCHEME = N_("the media URL redirects to an address that is not http(s)")


@dataclass(frozen=True, slots=True)
class MediaFetcher:
    """The services' :data:`~roasloop.ports.media.MediaFetch`, bound to a folder and mode.

    ``transport`` replaces the network (tests); ``None`` uses it.
    """

    media_dir: Path
    live: bool
    timeout_seconds: float
    transport: httpx.AsyncBaseTransport | None = None

    async def __call__(self, url: str, max_bytes: int | None) -> CheckedMedia:
        cap = min(max_bytes or VIDEO_MAX_BYTES, VIDEO_MAX_BYTES)
        folder = self.media_dir.resolve() / FETCH_DIR
        digest = hashlib.sha256(url.encode()).hexdigest()[:32]
        partial = folder / f".{digest}.{uuid.uuid4().hex}.part"
        try:
            await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
            await self._download(url, partial, cap)
            info = await asyncio.to_thread(check_file, partial)
            target = folder / f"{digest}{info.kind.suffix}"
            await asyncio.to_thread(partial.replace, target)
        finally:
            await asyncio.to_thread(partial.unlink, missing_ok=True)
        return CheckedMedia(str(target), info.kind, info)

    async def _download(self, url: str, partial: Path, cap: int) -> None:
        seconds = f"{self.timeout_seconds:g}"
        try:
            async with (
                asyncio.timeout(self.timeout_seconds),
                httpx.AsyncClient(transport=self.transport, timeout=self.timeout_seconds) as http,
            ):
                await self._follow(http, url, partial, cap)
        except (TimeoutError, httpx.TimeoutException):
            raise _refused(FETCH_SLOW, seconds=seconds) from None
        except httpx.HTTPError:
            raise _refused(FETCH_FAILED) from None

    async def _follow(self, http: httpx.AsyncClient, url: str, partial: Path, cap: int) -> None:
        for _ in range(MAX_REDIRECTS + 1):
            response = await http.send(await self._request(http, url), stream=True)
            try:
                if not response.is_redirect:
                    await _save(response, partial, cap)
                    return
                url = _next_hop(url, response.headers.get("location", ""))
            finally:
                await response.aclose()
        raise _refused(FETCH_REDIRECTS, count=MAX_REDIRECTS)

    async def _request(self, http: httpx.AsyncClient, url: str) -> httpx.Request:
        """A GET of ``url``; in live mode, to the checked public address of its host."""
        parts = urlsplit(url)
        if not parts.hostname:
            raise InvalidParameter(FIELD, "no host", detail_key="check_media_url_host")
        if not self.live:
            return http.build_request("GET", url)
        address = (await public_addresses(parts.hostname))[0]
        host = f"[{address}]" if ":" in address else address
        netloc = f"{host}:{parts.port}" if parts.port else host
        pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        return http.build_request(
            "GET",
            pinned,
            headers={"Host": parts.netloc.rpartition("@")[2]},
            extensions={"sni_hostname": parts.hostname},
        )


def media_fetcher(
    media_dir: Path,
    *,
    live: bool,
    timeout_seconds: float,
    transport: httpx.AsyncBaseTransport | None = None,
) -> MediaFetch:
    """A :class:`MediaFetcher` (the services' ``MediaFetch``)."""
    return MediaFetcher(media_dir, live, timeout_seconds, transport)


def _next_hop(url: str, location: str) -> str:
    target = urljoin(url, location)
    if urlsplit(target).scheme not in ("http", "https"):
        raise _refused(FETCH_SCHEME)
    return target


async def _save(response: httpx.Response, partial: Path, cap: int) -> None:
    if response.status_code != httpx.codes.OK:
        raise _refused(FETCH_STATUS, status=response.status_code)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise _too_large(cap)
    handle: BinaryIO = await asyncio.to_thread(partial.open, "wb")
    try:
        written = 0
        async for chunk in response.aiter_bytes():
            written += len(chunk)
            if written > cap:
                raise _too_large(cap)
            await asyncio.to_thread(handle.write, chunk)
    finally:
        await asyncio.to_thread(handle.close)


def _too_large(cap: int) -> InvalidParameter:
    return InvalidParameter(
        FIELD,
        "too large",
        detail_key="check_media_size",
        detail_params={"mb": f"{cap / 2**20:g}"},
    )


def _refused(msgid: str, **params: object) -> InvalidParameter:
    return InvalidParameter(FIELD, msgid, detail_params=params)
