"""A synchronous harness over the real module, store and in-process sandbox.

Hypothesis drives plain functions, so the harness owns an event loop and runs each call
to completion. The only test double is at the outer boundary: an ``httpx`` transport that
can fail, delay or lose chosen requests before/after they reach the sandbox.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx

from roasloop import CampaignAutomation
from roasloop.bootstrap import Runtime, build_runtime
from roasloop.config import Settings
from roasloop.domain.enums import Platform
from roasloop.ports.clock import SimulatedClock
from roasloop.ports.copywriter import Copywriter
from roasloop.ports.store import UnitOfWork
from roasloop.sandbox.market.scenario import Scenario
from roasloop.sandbox.tiktok.api import create_tiktok_app
from roasloop.sandbox.world import FaultConfig, SandboxWorld
from tests.media_files import write_media

T = TypeVar("T")
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PRODUCT_URL = "https://shop.example.com/products/glow-serum"

#: Decides, per request, whether to interfere: return None to pass it through, an envelope
#: code (int) to answer with that TikTok error, an ``httpx.Response`` to answer with it,
#: "timeout" to raise a timeout before sending, "lose" to forward the request and then drop
#: its response, or "crash" / "crash_before" to end the process (:class:`SimulatedCrash`)
#: after / before the request reached the platform.
Interference = Callable[[httpx.Request], "int | str | httpx.Response | None"]


class SimulatedCrash(BaseException):
    """The process dying mid-request: nothing in roasloop catches it or logs an outcome."""


class ScriptedTransport(httpx.AsyncBaseTransport):
    """The network between roasloop and the platform, with scripted failures."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.script: Interference = lambda request: None
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        action = self.script(request)
        if action == "timeout":
            raise httpx.ReadTimeout("scripted timeout", request=request)
        if action == "crash_before":
            raise SimulatedCrash(str(request.url))
        if isinstance(action, int):
            body = {
                "code": action,
                "message": "scripted failure",
                "request_id": "SCRIPTED",
                "data": {},
            }
            return httpx.Response(200, json=body, request=request)
        if isinstance(action, httpx.Response):
            return action
        response = await self.inner.handle_async_request(request)
        if action in ("lose", "crash"):
            await response.aread()
            if action == "crash":
                raise SimulatedCrash(str(request.url))
            raise httpx.ReadTimeout("response lost", request=request)
        return response

    def bodies(self, suffix: str) -> list[dict[str, Any]]:
        """The JSON bodies of the requests whose path ends with ``suffix``."""
        return [json.loads(r.content) for r in self.requests if r.url.path.endswith(suffix)]


def shape_for(platform: str) -> str:
    """The media a platform's ads take: Google Ads a 1.91:1 image, the others a video."""
    return "landscape" if platform == Platform.GOOGLE.value else "video"


def write_video(path: Path, label: str) -> Path:
    """A real 6-second 1080 × 1920 MP4 (the sample ``hook.mp4``), distinct per ``label``."""
    return write_media(path, label)


@dataclass
class Harness:
    runner: asyncio.Runner
    runtime: Runtime
    module: CampaignAutomation
    clock: SimulatedClock
    world: SandboxWorld
    transport: ScriptedTransport
    sleeps: list[float] = field(default_factory=list)

    def execute(
        self, action: str, params: dict[str, Any], user: str = "u1", **ctx: Any
    ) -> dict[str, Any]:
        return self.runner.run(self.module.execute(action, params, {"user_id": user, **ctx}))

    def new_user(self) -> str:
        return f"user-{uuid.uuid4().hex[:10]}"

    def creatives(
        self, user: str, count: int, prefix: str = "cr", shape: str = "video"
    ) -> list[str]:
        """Register ``count`` creatives with real media: videos, or images of ``shape``."""
        ids = []
        for index in range(count):
            creative_id = f"{prefix}{index}"
            suffix = ".mp4" if shape == "video" else ".png"
            path = self.media_dir / f"{user}-{creative_id}{suffix}"
            write_media(path, f"{user} {creative_id}", shape)
            response = self.execute(
                "register_creative",
                {
                    "creative_id": creative_id,
                    "name": creative_id,
                    "product_url": PRODUCT_URL,
                    "media_url": str(path),
                },
                user=user,
            )
            assert response["status"] == "success", response
            ids.append(creative_id)
        return ids

    def advance(self, days: int = 1) -> None:
        self.clock.advance(timedelta(days=days))

    def stored(self, user: str, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """What ``work`` reads (or writes) in a unit of work of ``user``'s store."""

        async def in_unit() -> T:
            async with self.runtime.deps.store.unit(user) as uow:
                return await work(uow)

        return self.runner.run(in_unit())

    def docs(self, kind: str) -> list[dict[str, Any]]:
        return list(self.world.all(kind))

    @property
    def media_dir(self) -> Path:
        path = Path(self.runtime.deps.settings.data_dir) / "media"
        path.mkdir(exist_ok=True)
        return path

    def close(self) -> None:
        self.runner.run(self.module.aclose())
        for world in self.runtime.sandboxes.values():
            world.close()
        self.runner.close()


def build_harness(
    tmp: Path,
    *,
    scenario: Scenario | None = None,
    seed: int = 1,
    faults: FaultConfig | None = None,
    copywriter: Copywriter | None = None,
    **settings: Any,
) -> Harness:
    runner = asyncio.Runner()
    clock = SimulatedClock(START)
    config = Settings(data_dir=tmp, log_level="CRITICAL", **settings)
    world = SandboxWorld(
        tmp / "sandbox.db", clock, scenario or Scenario.default(), seed=seed, faults=faults
    )
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    transport = ScriptedTransport(httpx.ASGITransport(app=create_tiktok_app(world)))
    worlds = {Platform.TIKTOK: world}
    for other in (Platform.META, Platform.GOOGLE):
        path = tmp / f"sandbox-{other.value}.db"
        worlds[other] = SandboxWorld(path, clock, Scenario.default(other.value), seed=seed)
    runtime = runner.run(
        build_runtime(
            config,
            clock=clock,
            sandboxes=worlds,
            retry_sleep=fake_sleep,
            transports={Platform.TIKTOK: transport},
            copywriter=copywriter,
        )
    )
    module = CampaignAutomation(runtime=runtime)
    return Harness(runner, runtime, module, clock, world, transport, sleeps)
