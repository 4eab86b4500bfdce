"""Shared set-up for the platform benchmarks: a real runtime over in-process sandboxes,
with a network double at the outer boundary that counts, delays and breaks requests."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from roasloop.bootstrap import DRIVERS, Runtime, build_runtime
from roasloop.bootstrap_sandbox import SANDBOXES
from roasloop.config import Settings
from roasloop.domain.enums import Platform
from roasloop.module import CampaignAutomation
from roasloop.observability import configure_logging
from roasloop.ports.clock import SimulatedClock
from roasloop.sandbox.market.scenario import Scenario
from roasloop.sandbox.world import SandboxWorld

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PRODUCT_URL = "https://shop.example.com/products/posture-corrector"
WRITE_METHODS = frozenset({"POST", "DELETE"})


@dataclass
class Network(httpx.AsyncBaseTransport):
    """Counts requests; optionally adds latency and transient faults before/after sending.

    ``fault_rate`` of requests fail: half before reaching the platform (a timeout), half
    after it processed them (the response is lost) — the hardest case for idempotency.
    Platform-level faults (5xx, rate limits) come from the sandbox's own ``FaultConfig``.
    """

    inner: httpx.AsyncBaseTransport
    latency: float = 0.0
    fault_rate: float = 0.0
    rng: random.Random = field(default_factory=lambda: random.Random(1))
    calls: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls[request.method] += 1
        if self.latency:
            await asyncio.sleep(self.latency)
        roll = self.rng.random()
        if roll < self.fault_rate / 2:
            self.faults["timeout"] += 1
            raise httpx.ConnectTimeout("injected timeout", request=request)
        response = await self.inner.handle_async_request(request)
        if roll < self.fault_rate:
            await response.aread()
            self.faults["lost_response"] += 1
            raise httpx.ReadTimeout("injected lost response", request=request)
        return response

    @property
    def total(self) -> int:
        return sum(self.calls.values())


@dataclass
class Bench:
    runtime: Runtime
    module: CampaignAutomation
    clock: SimulatedClock
    worlds: dict[Platform, SandboxWorld]
    networks: dict[Platform, Network]
    workdir: Path

    async def execute(self, action: str, params: dict[str, Any], user: str) -> dict[str, Any]:
        return await self.module.execute(action, params, {"user_id": user})

    async def creatives(self, user: str, count: int) -> list[str]:
        ids = []
        for index in range(count):
            path = self.workdir / "media" / f"{user}-cr{index}.mp4"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + f"bench {user} {index}".encode())
            params = {
                "creative_id": f"cr{index}",
                "name": f"cr{index}",
                "product_url": PRODUCT_URL,
                "media_url": str(path),
            }
            result = await self.execute("register_creative", params, user)
            assert result["status"] == "success", result
            ids.append(f"cr{index}")
        return ids

    def advance(self, days: int = 1) -> None:
        self.clock.advance(timedelta(days=days))

    async def close(self) -> None:
        await self.module.aclose()
        for world in self.worlds.values():
            world.close()


async def build_bench(
    workdir: Path,
    platforms: list[Platform] | None = None,
    *,
    make_network: Callable[[httpx.AsyncBaseTransport], Network] = Network,
    sleep: Callable[[float], Any] | None = None,
    **settings: Any,
) -> Bench:
    """A runtime with one sandbox per platform behind a ``Network`` each."""
    platforms = platforms or sorted(DRIVERS, key=lambda p: p.value)
    await asyncio.to_thread(workdir.mkdir, parents=True, exist_ok=True)
    configure_logging("ERROR", "console")
    clock = SimulatedClock(START)
    config = Settings(
        data_dir=workdir, enabled_platforms=platforms, log_level="CRITICAL", **settings
    )
    worlds = {
        p: SandboxWorld(
            workdir / f"sandbox-{p.value}.db", clock, Scenario.default(p.value), seed=11
        )
        for p in platforms
    }
    networks = {
        p: make_network(httpx.ASGITransport(app=SANDBOXES[p].app(worlds[p]))) for p in platforms
    }
    runtime = await build_runtime(
        config, clock=clock, sandboxes=worlds, transports=networks, retry_sleep=sleep or _no_sleep
    )
    return Bench(runtime, CampaignAutomation(runtime=runtime), clock, worlds, networks, workdir)


async def _no_sleep(seconds: float) -> None:
    await asyncio.sleep(0)


def available_platforms() -> list[Platform]:
    return sorted(DRIVERS, key=lambda p: p.value)
