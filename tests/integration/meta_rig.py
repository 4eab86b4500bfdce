"""A MetaAdapter on the in-process Meta sandbox, with a scripted network in between."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx

from roasloop.domain.enums import (
    BidStrategy,
    EntityStatus,
    Objective,
    OptimizationGoal,
)
from roasloop.domain.models import AgeRange, Targeting
from roasloop.platforms.meta.auth import exchange_code
from roasloop.platforms.meta.client import MetaAdapter
from roasloop.platforms.meta.driver import DRIVER
from roasloop.platforms.resilience import RateLimiter
from roasloop.platforms.transport import PlatformCaller, RetryPolicy
from roasloop.ports.clock import SimulatedClock
from roasloop.ports.platform import AdSetSpec, AdSpec, CampaignSpec, MediaSpec
from roasloop.sandbox.credentials import SANDBOX_APP_ID, SANDBOX_APP_SECRET
from roasloop.sandbox.market.scenario import Scenario
from roasloop.sandbox.meta.api import MetaSandboxConfig, create_meta_app
from roasloop.sandbox.world import SandboxWorld
from tests.fakes import FakeTime

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
HOST = "http://meta.sandbox.invalid"
#: Per request: None passes it through, "lose" forwards it and drops the answer, a dict is
#: answered instead as a Graph error object with HTTP 500.
Script = Callable[[httpx.Request], "str | dict[str, Any] | None"]


class Recorder(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.script: Script = lambda request: None
        self.requests: list[httpx.Request] = []
        self.statuses: list[tuple[int, Any]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        action = self.script(request)
        if isinstance(action, dict):
            return httpx.Response(500, json={"error": action}, request=request)
        response = await self.inner.handle_async_request(request)
        body = json.loads(await response.aread())
        self.statuses.append((response.status_code, body))
        if action == "lose":
            raise httpx.ReadTimeout("response lost", request=request)
        return response

    def posts(self, suffix: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == "POST" and r.url.path.endswith(suffix)]


@dataclass
class Rig:
    world: SandboxWorld
    clock: SimulatedClock
    time: FakeTime
    recorder: Recorder
    adapter: MetaAdapter
    caller: PlatformCaller
    media: Path
    extra: dict[str, Any] = field(default_factory=dict)

    def docs(self, kind: str) -> list[dict[str, Any]]:
        return list(self.world.all(kind))


async def make_rig(tmp: Path, config: MetaSandboxConfig | None = None, qps: float = 0) -> Rig:
    clock, time = SimulatedClock(START), FakeTime()
    world = SandboxWorld(tmp / "meta.db", clock, Scenario.default("meta"), seed=11)
    config = config or MetaSandboxConfig()
    app = create_meta_app(world, MetaSandboxConfig(config.quota, time, config.token_lifetime))
    recorder = Recorder(httpx.ASGITransport(app=app))
    limiter = RateLimiter(clock=time, sleep=time.sleep)
    caller = PlatformCaller("meta", RetryPolicy(sleep=time.sleep), limiter)
    http = httpx.AsyncClient(transport=recorder, base_url=HOST)
    grant = await exchange_code(http, "v25.0", SANDBOX_APP_ID, SANDBOX_APP_SECRET, "rig", caller)
    if qps:
        limiter.configure(DRIVER.rate_limits(grant.account_ids[0])[0].name, qps)
    adapter = MetaAdapter(
        http, grant.account_ids[0], grant.access_token, caller, app_secret=SANDBOX_APP_SECRET
    )
    media = tmp / "hero.mp4"
    media.write_bytes(b"hero video bytes")
    return Rig(world, clock, time, recorder, adapter, caller, media, {"http": http})


def adset_spec(campaign_id: str, key: str = "s1", **extra: Any) -> AdSetSpec:
    values: dict[str, Any] = {
        "client_key": key,
        "campaign_id": campaign_id,
        "name": "US 18-35",
        "daily_budget": Decimal("30.50"),
        "targeting": Targeting(("US", "UK"), AgeRange(18, 35)),
        "optimization_goal": OptimizationGoal.CONVERSIONS,
        "bid_strategy": BidStrategy.LOWEST_COST,
        "start_time": START,
        "status": EntityStatus.ACTIVE,
    }
    return AdSetSpec(**values | extra)


def ad_specs(adset_id: str, media_id: str, count: int, prefix: str = "a") -> list[AdSpec]:
    return [
        AdSpec(
            f"{prefix}{i}",
            adset_id,
            f"ad {i}",
            media_id,
            "Glow",
            "https://shop.example.com/p",
            EntityStatus.ACTIVE,
        )
        for i in range(count)
    ]


async def structure(rig: Rig, ads: int = 3) -> tuple[str, str, list[str]]:
    adapter = rig.adapter
    campaign_id = await adapter.create_campaign(CampaignSpec("c1", "Glow", Objective.SALES))
    adset_id = await adapter.create_adset(adset_spec(campaign_id))
    media_id = await adapter.upload_media(MediaSpec("m1", "cr1", "hero", str(rig.media)))
    ad_ids = await adapter.create_ads(ad_specs(adset_id, media_id, ads))
    return campaign_id, adset_id, ad_ids


def form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
