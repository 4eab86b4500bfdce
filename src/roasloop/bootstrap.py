"""The composition root: builds store, cache, adapters, clock and copywriter from Settings.

Nothing else constructs infrastructure. Tests and the demo pass their own clock, sandbox
world or copywriter; everything they do not pass is built from the settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from roasloop.ai.llm import FallbackCopywriter, GeminiCopywriter, OpenAICopywriter
from roasloop.ai.template import TemplateCopywriter
from roasloop.config import Settings
from roasloop.domain.enums import Platform
from roasloop.observability import Metrics
from roasloop.platforms._resilience import BreakerBoard
from roasloop.platforms._transport import RetryPolicy, Sleep
from roasloop.platforms.google import kit as google_kit
from roasloop.platforms.kit import PlatformKit
from roasloop.platforms.meta import kit as meta_kit
from roasloop.platforms.registry import HttpFactory, PlatformRegistry
from roasloop.platforms.tiktok import kit as tiktok_kit
from roasloop.ports.cache import Cache
from roasloop.ports.clock import Clock, SystemClock
from roasloop.ports.copywriter import Copywriter
from roasloop.ports.sandbox import SandboxControl
from roasloop.ports.store import Store
from roasloop.sandbox.clock import (
    InProcessControl,
    SandboxClock,
    ServedControl,
    restore,
    served_now,
)
from roasloop.sandbox.scenario import Scenario
from roasloop.sandbox.world import SandboxWorld
from roasloop.services.common import Deps
from roasloop.store.cache import MemoryCache, RedisCache
from roasloop.store.crypto import TokenCipher, load_or_create_key
from roasloop.store.sqlalchemy_store import SqlAlchemyStore

KITS: Mapping[Platform, PlatformKit] = {
    Platform.TIKTOK: tiktok_kit.KIT,
    Platform.META: meta_kit.KIT,
    Platform.GOOGLE: google_kit.KIT,
}


@dataclass
class Runtime:
    """Everything one process needs; close it when done."""

    deps: Deps
    registry: PlatformRegistry
    metrics: Metrics
    sandboxes: dict[Platform, SandboxWorld] = field(default_factory=dict)
    owned_sandboxes: bool = field(default=False, repr=False)

    async def aclose(self) -> None:
        await self.registry.close()
        await self.deps.cache.close()
        await self.deps.store.close()
        if self.owned_sandboxes:
            for world in self.sandboxes.values():
                world.close()


async def build_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    store: Store | None = None,
    cache: Cache | None = None,
    copywriter: Copywriter | None = None,
    sandboxes: Mapping[Platform, SandboxWorld] | None = None,
    retry_sleep: Sleep | None = None,
    transports: Mapping[Platform, httpx.AsyncBaseTransport] | None = None,
    kits: Mapping[Platform, PlatformKit] | None = None,
) -> Runtime:
    """Wire the ports; migrate the store; start in-process sandboxes when sandbox mode needs them.

    Without a ``clock``, sandbox mode runs on the sandbox's time: wall-clock time, as far
    ahead as ``roasloop sandbox advance`` moved the sandbox. ``transports`` replace the
    network to chosen platforms (tests wrap a sandbox in a transport that fails or loses
    chosen requests).
    """
    store = store or build_store(settings)
    await store.migrate()
    owned = False
    if clock is None:
        clock = SandboxClock() if settings.is_sandbox else SystemClock()
    if settings.is_sandbox and settings.sandbox_url is None and sandboxes is None:
        sandboxes, owned = build_sandboxes(settings, clock), True
    worlds = dict(sandboxes or {})
    if isinstance(clock, SandboxClock):
        await _follow_sandbox(settings, clock, worlds)
    retry = RetryPolicy.from_settings(settings, retry_sleep)
    kits = kits or KITS
    factory = _http_factory(settings, kits, worlds, dict(transports or {}))
    breakers = BreakerBoard(settings.breaker_threshold, settings.breaker_cooldown_seconds)
    registry = PlatformRegistry(settings, store, clock, kits, factory, retry, breakers=breakers)
    deps = Deps(
        settings=settings,
        store=store,
        clock=clock,
        adapters=registry,
        copywriter=copywriter or build_copywriter(settings),
        cache=cache or build_cache(settings, clock),
        sandbox=_sandbox_control(settings, clock, worlds),
    )
    return Runtime(deps, registry, Metrics(), worlds, owned)


def build_store(settings: Settings) -> Store:
    if settings.encryption_key is not None:
        key = settings.encryption_key.get_secret_value()
    else:
        key = load_or_create_key(settings.data_dir / "secret.key")
    return SqlAlchemyStore(settings.resolved_database_url, TokenCipher(key))


def build_cache(settings: Settings, clock: Clock) -> Cache:
    if settings.cache_backend == "redis":
        return RedisCache.from_url(settings.redis_url)
    return MemoryCache(clock)


def build_copywriter(settings: Settings) -> Copywriter:
    """Gemini Pro → Gemini Flash (seed order), then OpenAI, then the offline template."""
    writers: list[Copywriter] = []
    if settings.gemini_api_key is not None:
        key = settings.gemini_api_key.get_secret_value()
        writers += [
            GeminiCopywriter(key, settings.gemini_model_pro),
            GeminiCopywriter(key, settings.gemini_model_flash),
        ]
    if settings.openai_api_key is not None:
        key = settings.openai_api_key.get_secret_value()
        writers.append(OpenAICopywriter(key, settings.openai_model))
    return FallbackCopywriter(writers, TemplateCopywriter())


def build_sandboxes(settings: Settings, clock: Clock) -> dict[Platform, SandboxWorld]:
    """One sandbox world per enabled platform, each with that platform's market."""
    worlds = {}
    for platform in settings.enabled_platforms:
        if settings.sandbox_scenario:
            scenario = Scenario.load(settings.sandbox_scenario)
        else:
            scenario = Scenario.default(platform.value)
        path = settings.sandbox_database_path(platform)
        worlds[platform] = SandboxWorld(path, clock, scenario, seed=settings.sandbox_seed)
    return worlds


async def _follow_sandbox(
    settings: Settings, clock: SandboxClock, worlds: Mapping[Platform, SandboxWorld]
) -> None:
    """Run as far ahead as ``roasloop sandbox advance`` moved the sandbox."""
    if settings.sandbox_url is not None:
        clock.move_to(await served_now(settings.sandbox_url))
    else:
        restore(worlds.values(), clock)


def _sandbox_control(
    settings: Settings, clock: Clock, worlds: Mapping[Platform, SandboxWorld]
) -> SandboxControl | None:
    if not settings.is_sandbox:
        return None
    if settings.sandbox_url is not None and isinstance(clock, SandboxClock):
        return ServedControl(settings.sandbox_url, clock)
    return InProcessControl(worlds.values(), clock)


def _http_factory(
    settings: Settings,
    kits: Mapping[Platform, PlatformKit],
    worlds: Mapping[Platform, SandboxWorld],
    transports: Mapping[Platform, httpx.AsyncBaseTransport],
) -> HttpFactory:
    def factory(platform: Platform) -> httpx.AsyncClient:
        kit = kits[platform]
        timeout = httpx.Timeout(settings.request_timeout_seconds)
        network = transports.get(platform)
        if not settings.is_sandbox:
            base = kit.live_base_url(settings)
        elif settings.sandbox_url is not None:
            base = f"{settings.sandbox_url.rstrip('/')}/{platform.value}"
        else:
            base = kit.sandbox_host
            if network is None:
                network = httpx.ASGITransport(app=kit.sandbox_app(worlds[platform]))
        return httpx.AsyncClient(transport=network, base_url=base, timeout=timeout)

    return factory
