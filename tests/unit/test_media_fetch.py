"""Fetching media from a URL, bounded and, in live mode, only from public addresses: the
network is an ``httpx.MockTransport`` that records what roasloop asked for."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

from roasloop.domain.media import MediaKind
from roasloop.errors import InvalidParameter
from roasloop.media.fetch import FETCH_DIR, MAX_REDIRECTS, MediaFetcher
from tests.media_files import png

IMAGE = png(1200, 628)
#: A public address, written as a literal so no name is looked up.
PUBLIC = "93.184.215.14"

Handler = Callable[[httpx.Request], httpx.Response]


class Network:
    """A mock network answering with ``handler`` and recording every request."""

    def __init__(self, handler: Handler) -> None:
        self.requests: list[httpx.Request] = []

        def record(request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            return handler(request)

        self.transport = httpx.MockTransport(record)


class Trickle(httpx.AsyncByteStream):
    """A body sent a little at a time, slower than any patience."""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for start in range(0, len(IMAGE), 100):
            await asyncio.sleep(0.05)
            yield IMAGE[start : start + 100]


class Endless(httpx.AsyncByteStream):
    """A body without a stated length that never ends."""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield IMAGE
        while True:
            yield bytes(2**16)


async def fetch(
    tmp_path: Path,
    handler: Handler,
    url: str = f"http://{PUBLIC}/ad.png",
    *,
    live: bool = False,
    max_bytes: int | None = 5 * 2**20,
    patience: float = 5.0,
) -> tuple[Network, Path | InvalidParameter]:
    """Fetch ``url``; the network, and the file (or the refusal)."""
    network = Network(handler)
    fetcher = MediaFetcher(tmp_path, live, patience, network.transport)
    try:
        checked = await fetcher(url, max_bytes)
    except InvalidParameter as refusal:
        assert refusal.field == "media_url"
        assert fetched(tmp_path) == [], "a refused fetch leaves no file"
        return network, refusal
    return network, Path(checked.location)


def fetched(media_dir: Path) -> list[str]:
    """The names of the files in the media folder's fetch folder."""
    folder = media_dir / FETCH_DIR
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def image(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=IMAGE)


async def test_a_fetched_image_lands_in_the_media_folder_checked(tmp_path: Path) -> None:
    network = Network(image)
    checked = await MediaFetcher(tmp_path, False, 5.0, network.transport)(
        "https://cdn.example.com/ad.png", 5 * 2**20
    )
    path = Path(checked.location)
    assert str(path.parent).endswith(FETCH_DIR) and path.suffix == ".png"
    assert fetched(tmp_path) == [path.name]  # no partial file left
    assert await asyncio.to_thread(path.read_bytes) == IMAGE
    assert checked.info is not None and (checked.info.width, checked.info.height) == (1200, 628)
    assert checked.kind is MediaKind.PNG


@pytest.mark.parametrize(
    ("handler", "said"),
    [
        (lambda r: httpx.Response(200, content=IMAGE + bytes(6 * 2**20)), "larger than 5 MB"),
        (
            lambda r: httpx.Response(200, headers={"content-length": str(2**40)}, content=b""),
            "larger than 5 MB",
        ),
        (lambda r: httpx.Response(200, stream=Endless()), "larger than 5 MB"),
        (lambda r: httpx.Response(200, text="<html>sign in</html>"), "MP4"),
        (lambda r: httpx.Response(200, content=IMAGE[:20]), "how large its picture is"),
        (lambda r: httpx.Response(404), "HTTP 404"),
        (lambda r: httpx.Response(302, headers={"location": "/again"}), "redirects more than"),
        (lambda r: httpx.Response(302, headers={"location": "file:///etc/passwd"}), "http(s)"),
    ],
    ids=["oversized", "declared huge", "endless", "wrong type", "damaged", "missing", "loop",
         "to a file"],
)  # fmt: skip
async def test_hostile_answers_are_refused(tmp_path: Path, handler: Handler, said: str) -> None:
    network, result = await fetch(tmp_path, handler)
    assert isinstance(result, InvalidParameter) and said in result.detail_in("en"), result
    assert len(network.requests) <= MAX_REDIRECTS + 1


async def test_a_slow_answer_is_cut_off(tmp_path: Path) -> None:
    _, result = await fetch(
        tmp_path, lambda r: httpx.Response(200, stream=Trickle()), patience=0.3
    )
    assert isinstance(result, InvalidParameter) and "0.3 seconds" in result.detail


async def test_a_network_failure_is_a_refusal(tmp_path: Path) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    _, result = await fetch(tmp_path, down)
    assert isinstance(result, InvalidParameter) and "cannot be fetched" in result.detail


async def test_the_platforms_byte_cap_applies(tmp_path: Path) -> None:
    _, result = await fetch(tmp_path, image, max_bytes=1000)
    assert isinstance(result, InvalidParameter) and "larger than" in result.detail_in("en")


async def test_live_mode_connects_to_the_checked_address_with_the_hosts_name(
    tmp_path: Path,
) -> None:
    network, result = await fetch(tmp_path, image, f"https://{PUBLIC}:8443/a.png?v=2", live=True)
    assert isinstance(result, Path)
    (request,) = network.requests
    assert request.url == httpx.URL(f"https://{PUBLIC}:8443/a.png?v=2")
    assert request.headers["host"] == f"{PUBLIC}:8443"
    assert request.extensions["sni_hostname"] == PUBLIC


@pytest.mark.parametrize(
    "private",
    [
        "http://10.0.0.5/internal.png",
        "http://127.0.0.1:8080/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x.png",
        "http://[::ffff:127.0.0.1]/x.png",
        "http://localhost/x.png",
    ],
)
async def test_live_mode_refuses_a_redirect_to_a_private_address(
    tmp_path: Path, private: str
) -> None:
    def redirect(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": private})

    network, result = await fetch(tmp_path, redirect, live=True)
    assert isinstance(result, InvalidParameter), result
    assert result.detail_key in ("check_media_url_public", "check_media_url_host")
    assert [str(r.url.host) for r in network.requests] == [PUBLIC]  # never asked the private one


async def test_live_mode_refuses_a_private_address_from_the_start(tmp_path: Path) -> None:
    network, result = await fetch(tmp_path, image, "http://192.168.1.20/a.png", live=True)
    assert isinstance(result, InvalidParameter) and network.requests == []


async def test_sandbox_mode_follows_redirects_anywhere(tmp_path: Path) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/moved":
            return httpx.Response(301, headers={"location": "http://127.0.0.1:9/ad.png"})
        return image(request)

    network, result = await fetch(tmp_path, answer, "http://cdn.example.com/moved")
    assert isinstance(result, Path)
    assert [str(r.url) for r in network.requests][-1] == "http://127.0.0.1:9/ad.png"
