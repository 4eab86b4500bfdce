"""A media URL for a platform that takes no URL (Google Ads) is fetched, checked like a file
and uploaded as bytes; what cannot be fetched within the limits stops the launch before any
write. The media is served by a real HTTP server on 127.0.0.1 (sandbox mode allows it; live
mode refuses it, see tests/unit/test_media_fetch.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from roasloop.domain.enums import Platform
from roasloop.media.fetch import FETCH_DIR
from tests.integration.harness import PRODUCT_URL, Harness, build_harness
from tests.integration.served import served
from tests.media_files import png

LANDSCAPE = png(1200, 628)
ROUTES = {
    "/ad.png": LANDSCAPE,
    "/square.png": png(1080, 1080),
    "/heavy.png": LANDSCAPE + bytes(6 * 2**20),
    "/page.png": b"<html><body>please sign in</body></html>",
}


async def serve_file(request: Request) -> Response:
    return Response(ROUTES[request.url.path], media_type="image/png")


async def trickle(request: Request) -> StreamingResponse:
    async def body() -> AsyncIterator[bytes]:
        for start in range(0, len(LANDSCAPE), 200):
            await asyncio.sleep(0.2)
            yield LANDSCAPE[start : start + 200]

    return StreamingResponse(body(), media_type="image/png")


async def moved(request: Request) -> RedirectResponse:
    return RedirectResponse("/ad.png", status_code=302)


APP = Starlette(
    routes=[
        *(Route(path, serve_file) for path in ROUTES),
        Route("/slow.png", trickle),
        Route("/moved", moved),
    ]
)


@pytest.fixture(scope="module")
def media_host() -> Iterator[str]:
    with served(APP) as base:
        yield base


@pytest.fixture
def g(tmp_path: Path) -> Iterator[Harness]:
    """A harness whose media downloads give up after one second."""
    harness = build_harness(tmp_path, media_fetch_timeout_seconds=1)
    yield harness
    harness.close()


def launch_url(h: Harness, url: str, user: str = "", locale: str = "en") -> dict[str, Any]:
    user = user or h.new_user()
    creative = {"creative_id": "web", "name": "web", "product_url": PRODUCT_URL, "media_url": url}
    assert h.execute("register_creative", creative, user=user)["status"] == "success"
    params = {
        "platform": "google",
        "objective": "sales",
        "daily_budget": 90,
        "creative_ids": ["web"],
    }
    return h.execute("create_campaign", params, user=user, locale=locale)


def google_docs(h: Harness, kind: str) -> list[dict[str, Any]]:
    return list(h.runtime.sandboxes[Platform.GOOGLE].all(kind))


def fetched(h: Harness) -> list[Path]:
    folder = h.media_dir / FETCH_DIR
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("path", ["/ad.png", "/moved"])
def test_google_gets_the_fetched_image_as_bytes(g: Harness, media_host: str, path: str) -> None:
    user = g.new_user()
    result = launch_url(g, media_host + path, user)
    assert result["status"] == "success", result
    (asset,) = google_docs(g, "gads:assets")
    assert asset["imageAsset"]["fileSize"] == str(len(LANDSCAPE))  # the fetched bytes
    (kept,) = fetched(g)
    assert kept.suffix == ".png" and kept.read_bytes() == LANDSCAPE
    (stored,) = g.stored(user, lambda uow: uow.creatives.all())
    assert stored.media_url == media_host + path  # the creative still names its URL


@pytest.mark.parametrize(
    ("path", "said", "kept"),
    [
        ("/heavy.png", "larger than 5 MB", 0),
        ("/slow.png", "within 1 seconds", 0),
        ("/page.png", "MP4 or MOV video, or a JPEG or PNG image", 0),
        ("/missing.png", "HTTP 404", 0),
        # fetched whole and valid, but not a shape Google Ads takes: the download stays
        ("/square.png", "1.91:1 ≥ 600×314", 1),
    ],
)
def test_what_cannot_be_fetched_within_the_limits_stops_the_launch_before_any_write(
    g: Harness, media_host: str, path: str, said: str, kept: int
) -> None:
    result = launch_url(g, media_host + path)
    assert result["status"] == "error", result
    error = result["error"]
    assert error["code"] == "1001" and error["details"]["field"] == "creative_ids[0]", error
    assert error["details"]["media_url"] == media_host + path
    assert said in error["message"], error["message"]
    assert google_docs(g, "gads:campaigns") == [] and google_docs(g, "gads:assets") == []
    assert len(fetched(g)) == kept


def test_the_refusal_is_said_in_chinese(g: Harness, media_host: str) -> None:
    result = launch_url(g, media_host + "/slow.png", locale="zh-CN")
    assert "1 秒" in result["error"]["message"], result
