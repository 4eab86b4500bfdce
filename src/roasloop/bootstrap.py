"""The composition root: builds store, cache, adapters, clock and copywriter from Settings.

Nothing else constructs infrastructure. Tests and the demo pass their own clock, sandbox
world or copywriter; everything they do not pass is built from the settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import httpx

from roasloop.ai.llm import FallbackCopywriter, GeminiCopywriter, OpenAICopywriter
from roasloop.ai.template import TemplateCopywriter
from roasloop.config import Settings
from roasloop.domain.enums import Platform
from roasloop.observability import Metrics
from roasloop.platforms._transport import RetryPolicy, Sleep
from roasloop.platforms.registry import SANDBOX_HOSTS, HttpFactory, PlatformRegistry
from roasloop.ports.cache import Cache
from roasloop.ports.clock import Clock, SystemClock
from roasloop.ports.copywriter import Copywriter
from roasloop.ports.store import Store
from roasloop.sandbox.scenario import Scenario
from roasloop.sandbox.tiktok_api import create_tiktok_app
from roasloop.sandbox.world import SandboxWorld
from roasloop.services.common import Deps
from roasloop.store.cache import MemoryCache, RedisCache
from roasloop.store.crypto import TokenCipher, load_or_create_key
from roasloop.store.sqlalchemy_store import SqlAlchemyStore

LIVE_HOSTS = {Platform.TIKTOK: "tiktok_api_base"}


@dataclass
class Runtime:
    """Everything one process needs; close it when done."""

    deps: Deps
    registry: PlatformRegistry
    metrics: Metrics
    sandbox: SandboxWorld | None = None
    owned_sandbox: bool = field(default=False, repr=False)

    async def aclose(self) -> None:
        await self.registry.close()
        await self.deps.cache.close()
        await self.deps.store.close()
        if self.sandbox is not None and self.owned_sandbox:
            self.sandbox.close()


async def build_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    store: Store | None = None,
    cache: Cache | None = None,
    copywriter: Copywriter | None = None,
    sandbox: SandboxWorld | None = None,
    retry_sleep: Sleep | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Runtime:
    """Wire the ports; migrate the store; start the in-process sandbox when sandbox mode needs it.

    ``transport`` replaces the network to the platforms (tests wrap the sandbox in a
    transport that fails or loses chosen requests).
    """
    clock = clock or SystemClock()
    store = store or build_store(settings)
    await store.migrate()
    owned = False
    if settings.is_sandbox and settings.sandbox_url is None and sandbox is None:
        sandbox, owned = build_sandbox(settings, clock), True
    retry = build_retry(settings, retry_sleep)
    factory = _http_factory(settings, sandbox, transport)
    registry = PlatformRegistry(settings, store, clock, factory, retry)
    deps = Deps(
        settings=settings,
        store=store,
        clock=clock,
        adapters=registry,
        copywriter=copywriter or build_copywriter(settings),
        cache=cache or build_cache(settings, clock),
    )
    return Runtime(deps, registry, Metrics(), sandbox, owned)


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
        writers.append(
            OpenAICopywriter(settings.openai_api_key.get_secret_value(), settings.openai_model)
        )
    return FallbackCopywriter(writers, TemplateCopywriter())


def build_sandbox(settings: Settings, clock: Clock) -> SandboxWorld:
    scenario = Scenario.load(settings.sandbox_scenario) if settings.sandbox_scenario else None
    return SandboxWorld(
        settings.resolved_sandbox_database_url, clock, scenario, seed=settings.sandbox_seed
    )


def build_retry(settings: Settings, sleep: Sleep | None) -> RetryPolicy:
    policy = RetryPolicy(
        max_attempts=settings.retry_max_attempts,
        base_delay=settings.retry_base_delay_seconds,
        max_delay=settings.retry_max_delay_seconds,
        timeout=settings.request_timeout_seconds,
    )
    return policy if sleep is None else replace(policy, sleep=sleep)


def _http_factory(
    settings: Settings, sandbox: SandboxWorld | None, transport: httpx.AsyncBaseTransport | None
) -> HttpFactory:
    def factory(platform: Platform) -> httpx.AsyncClient:
        timeout = httpx.Timeout(settings.request_timeout_seconds)
        if not settings.is_sandbox:
            base = str(getattr(settings, LIVE_HOSTS[platform]))
        elif sandbox is not None:
            base = SANDBOX_HOSTS[platform]
        else:
            base = str(settings.sandbox_url)
        network = transport
        if network is None and settings.is_sandbox and sandbox is not None:
            network = httpx.ASGITransport(app=create_tiktok_app(sandbox))
        return httpx.AsyncClient(transport=network, base_url=base, timeout=timeout)

    return factory
