"""The sandbox served on a port: platform routes plus a small control API.

Each enabled platform is mounted under ``/<platform>``: TikTok's API at
``/tiktok/open_api/v1.3/``, Meta's Graph API at ``/meta/<version>/``, Google Ads' REST API at
``/google/<version>/`` (its OAuth token endpoint at ``/google/token``). A ``GET`` of one of
those base URLs describes it. Control routes (not part of any platform's API) live under
``/sandbox/``: ``GET /sandbox/clock``, ``POST /sandbox/clock/advance`` ``{"days": n}`` and
``POST /sandbox/faults`` with a :class:`FaultConfig` body. The simulated clock starts at the
wall-clock time of the first start and is kept in the sandbox's SQLite files. roasloop itself
points at ``http://host:port`` (``ROASLOOP_SANDBOX_URL``); ``docs/sandbox.md`` shows how to
point the platforms' official SDKs at it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Mount, Route

from roasloop.bootstrap_sandbox import SANDBOXES, build_sandboxes
from roasloop.config import Settings
from roasloop.domain.enums import Platform
from roasloop.i18n import render
from roasloop.ports.clock import SimulatedClock
from roasloop.sandbox.clock import ADVANCE_PATH, CLOCK_PATH, MAX_ADVANCE_DAYS, save_now, saved_now
from roasloop.sandbox.credentials import SANDBOX_APP_ID, SANDBOX_APP_SECRET
from roasloop.sandbox.google.api import TOKEN_PATH as GOOGLE_TOKEN_PATH
from roasloop.sandbox.google.protocol import SANDBOX_DEVELOPER_TOKEN
from roasloop.sandbox.tiktok.api import PREFIX as TIKTOK_PREFIX
from roasloop.sandbox.world import FaultConfig, SandboxWorld


def api_names(settings: Settings) -> dict[Platform, str]:
    """The API each platform's sandbox speaks, as its vendor names it."""
    return {
        Platform.TIKTOK: "TikTok Marketing API v1.3",
        Platform.META: f"Meta Marketing API (Graph {settings.meta_api_version})",
        Platform.GOOGLE: f"Google Ads API {settings.google_ads_api_version} (REST)",
    }


def base_paths(settings: Settings) -> dict[Platform, str]:
    """Path of each enabled platform's API base on the served sandbox (ends with ``/``)."""
    paths = {
        Platform.TIKTOK: f"/tiktok{TIKTOK_PREFIX}/",
        Platform.META: f"/meta/{settings.meta_api_version}/",
        Platform.GOOGLE: f"/google/{settings.google_ads_api_version}/",
    }
    return {p: paths[p] for p in settings.enabled_platforms}


def describe(settings: Settings, host: str, port: int, locale: str = "en") -> list[str]:
    """What ``roasloop sandbox serve`` prints: base URLs, credentials and control routes."""
    root = f"http://{f'[{host}]' if ':' in host else host}:{port}"
    names = api_names(settings)
    lines = [render("sandbox_serving", locale, url=root)]
    for platform, path in base_paths(settings).items():
        lines.append(render("sandbox_api_url", locale, api=names[platform], url=root + path))
        if platform is Platform.GOOGLE:
            token_url = f"{root}/google{GOOGLE_TOKEN_PATH}"
            lines.append(render("sandbox_google_token", locale, url=token_url))
            lines.append(render("sandbox_google_developer", locale, token=SANDBOX_DEVELOPER_TOKEN))
    advance_body = json.dumps({"days": 1})
    lines += [
        render("sandbox_credentials", locale, app_id=SANDBOX_APP_ID, secret=SANDBOX_APP_SECRET),
        render("sandbox_clock_routes", locale, clock=root + CLOCK_PATH),
        render("sandbox_advance_route", locale, advance=root + ADVANCE_PATH, body=advance_body),
        render("sandbox_use_with_roasloop", locale, url=root),
    ]
    return lines


def build_served_app(settings: Settings, seed: int | None = None) -> Starlette:
    """Every enabled platform's sandbox under ``/<platform>/`` plus the control routes."""
    if seed is not None:
        settings = settings.model_copy(update={"sandbox_seed": seed})
    clock = SimulatedClock(datetime.now(UTC))
    worlds = build_sandboxes(settings, clock)
    saved = saved_now(worlds.values())
    if saved is not None:
        clock.set(max(saved, clock.now()))

    async def show_clock(request: Request) -> JSONResponse:
        return JSONResponse({"now": clock.now().isoformat(), "today": clock.today().isoformat()})

    async def advance(request: Request) -> JSONResponse:
        body = await request.json()
        days = int(body.get("days", 1))
        if not 0 <= days <= MAX_ADVANCE_DAYS:
            return JSONResponse(
                {"error": f"days must be within 0..{MAX_ADVANCE_DAYS}"}, status_code=400
            )
        clock.advance(timedelta(days=days))
        save_now(worlds.values(), clock.now())
        for world in worlds.values():
            world.catch_up()
        return await show_clock(request)

    async def faults(request: Request) -> JSONResponse:
        body = await request.json()
        fields = {k: body[k] for k in FaultConfig.__dataclass_fields__ if k in body}
        for world in worlds.values():
            world.set_faults(FaultConfig(**fields))
        return JSONResponse({"faults": asdict(FaultConfig(**fields))})

    return Starlette(
        routes=[
            Route(CLOCK_PATH, show_clock, methods=["GET"]),
            Route(ADVANCE_PATH, advance, methods=["POST"]),
            Route("/sandbox/faults", faults, methods=["POST"]),
            *_index_routes(settings),
            *(Mount(f"/{p.value}", app=SANDBOXES[p].app(w)) for p, w in worlds.items()),
        ],
        lifespan=_closing(list(worlds.values())),
    )


def _index_routes(settings: Settings) -> list[BaseRoute]:
    """``GET`` of a base URL says what answers there, instead of a bare 404."""
    names = api_names(settings)

    def index(platform: Platform) -> Callable[[Request], Awaitable[JSONResponse]]:
        async def endpoint(request: Request) -> JSONResponse:
            body = {"sandbox": "roasloop", "platform": platform.value, "api": names[platform]}
            return JSONResponse(body | {"base_url": str(request.url), "guide": "docs/sandbox.md"})

        return endpoint

    paths = base_paths(settings)
    return [Route(path, index(p), methods=["GET"]) for p, path in paths.items()]


def _closing(
    worlds: list[SandboxWorld],
) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        for world in worlds:
            world.close()

    return lifespan
