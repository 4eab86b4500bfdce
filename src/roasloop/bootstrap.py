"""The composition root: builds store, cache, adapters, clock and copywriter from Settings.

Nothing else constructs infrastructure. Tests and the demo pass their own clock, sandbox
world or copywriter; everything they do not pass is built from the settings. The sandboxes
are wired in :mod:`roasloop.bootstrap_sandbox`, which this module imports only in sandbox
mode: live mode never loads the simulator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from roasloop.ai.llm import FallbackCopywriter, GeminiCopywriter, OpenAICopywriter
from roasloop.ai.template import TemplateCopywriter
from roasloop.config import Settings
from roasloop.domain.enums import Platform
from roasloop.media.validation import media_check
from roasloop.notifiers.webhook import HttpWebhookSender
from roasloop.observability import Metrics
from roasloop.platforms.driver import AppCredentials, PlatformDriver
from roasloop.platforms.google import driver as google_driver
from roasloop.platforms.meta import driver as meta_driver
from roasloop.platforms.registry import HttpFactory, PlatformRegistry
from roasloop.platforms.resilience import BreakerBoard
from roasloop.platforms.tiktok import driver as tiktok_driver
from roasloop.platforms.transport import RetryPolicy, Sleep
from roasloop.ports.cache import Cache
from roasloop.ports.clock import Clock, SystemClock
from roasloop.ports.copywriter import Copywriter
from roasloop.ports.sandbox import SandboxControl
from roasloop.ports.shop import ShopOrders
from roasloop.ports.store import Store
from roasloop.services.common import Deps
from roasloop.store.cache import MemoryCache, RedisCache
from roasloop.store.crypto import TokenCipher, load_or_create_key
from roasloop.store.sqlalchemy_store import SqlAlchemyStore

if TYPE_CHECKING:
    from roasloop.sandbox.world import SandboxWorld

DRIVERS: Mapping[Platform, PlatformDriver] = {
    Platform.TIKTOK: tiktok_driver.DRIVER,
    Platform.META: meta_driver.DRIVER,
    Platform.GOOGLE: google_driver.DRIVER,
}

#: Where one platform's HTTP client points: base URL, and the transport (``None``: network).
Endpoint = tuple[str, httpx.AsyncBaseTransport | None]


@dataclass(frozen=True)
class ModeSetup:
    """What the platform mode sets up: the clock, how each platform is reached and called as,
    and in sandbox mode the sandbox's time control and worlds."""

    clock: Clock
    #: The app each platform is called as.
    credentials: Mapping[Platform, AppCredentials]
    #: Where each platform's HTTP client points; called once per platform, when first used.
    endpoint: Callable[[Platform], Endpoint]
    control: SandboxControl | None = None
    worlds: dict[Platform, SandboxWorld] = field(default_factory=dict)
    owned_worlds: bool = False


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
    drivers: Mapping[Platform, PlatformDriver] | None = None,
    shop_orders: ShopOrders | None = None,
) -> Runtime:
    """Wire the ports; migrate the store; start in-process sandboxes when sandbox mode needs them.

    Without a ``clock``, sandbox mode runs on the sandbox's time: wall-clock time, as far
    ahead as ``roasloop sandbox advance`` moved the sandbox. ``transports`` replace the
    network to chosen platforms (tests wrap a sandbox in a transport that fails or loses
    chosen requests). ``shop_orders`` connects a shop (none is built from the settings yet).
    """
    store = store or build_store(settings)
    await store.migrate()
    drivers = drivers or DRIVERS
    networks = dict(transports or {})
    if settings.is_sandbox:
        # Imported here, not at the top: live mode never loads the simulator.
        from roasloop.bootstrap_sandbox import sandbox_setup

        setup = await sandbox_setup(settings, drivers, networks, clock, sandboxes)
    else:
        setup = _live_setup(settings, drivers, networks, clock, sandboxes)
    retry = RetryPolicy.from_settings(settings, retry_sleep)
    factory = _http_factory(settings, setup.endpoint)
    breakers = BreakerBoard(settings.breaker_threshold, settings.breaker_cooldown_seconds)
    registry = PlatformRegistry(
        settings, store, setup.clock, drivers, setup.credentials, factory, retry, breakers=breakers
    )
    deps = Deps(
        settings=settings,
        store=store,
        clock=setup.clock,
        adapters=registry,
        copywriter=copywriter or build_copywriter(settings),
        cache=cache or build_cache(settings, setup.clock),
        check_media=media_check(settings.resolved_media_dir, live=not settings.is_sandbox),
        webhooks=HttpWebhookSender(retry),
        sandbox=setup.control,
        shop_orders=shop_orders,
    )
    return Runtime(deps, registry, Metrics(), setup.worlds, setup.owned_worlds)


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


def _live_setup(
    settings: Settings,
    drivers: Mapping[Platform, PlatformDriver],
    transports: Mapping[Platform, httpx.AsyncBaseTransport],
    clock: Clock | None,
    sandboxes: Mapping[Platform, SandboxWorld] | None,
) -> ModeSetup:
    """Live mode: the real APIs, the configured apps, wall-clock time, no sandbox control."""

    def endpoint(platform: Platform) -> Endpoint:
        return drivers[platform].live_base_url(settings), transports.get(platform)

    credentials = {p: driver.app_credentials(settings) for p, driver in drivers.items()}
    return ModeSetup(clock or SystemClock(), credentials, endpoint, worlds=dict(sandboxes or {}))


def _http_factory(settings: Settings, endpoint: Callable[[Platform], Endpoint]) -> HttpFactory:
    def factory(platform: Platform) -> httpx.AsyncClient:
        timeout = httpx.Timeout(settings.request_timeout_seconds)
        base, network = endpoint(platform)
        return httpx.AsyncClient(transport=network, base_url=base, timeout=timeout)

    return factory
