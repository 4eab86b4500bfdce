"""The AdapterProvider: one adapter per tenant and platform, over shared HTTP clients.

The composition root decides where each platform's HTTP client points (the real API, or in
sandbox mode a sandbox) and which app credentials each platform is called with. In sandbox
mode a tenant without an account gets a sandbox account through the platform's normal
OAuth exchange; in live mode a tenant must have bound an account. Calls of one account
share a circuit breaker; calls of one app or account share the platform's rate-limit
buckets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import httpx

from roasloop.config import Settings
from roasloop.domain.enums import Platform
from roasloop.domain.models import PlatformAccount
from roasloop.errors import REAUTH_ACTION_URL, AdAccountNotBound, InvalidParameter
from roasloop.platforms.driver import AppCredentials, PlatformDriver
from roasloop.platforms.resilience import BreakerBoard, RateLimiter
from roasloop.platforms.transport import PlatformCaller, RetryPolicy
from roasloop.ports.clock import Clock
from roasloop.ports.platform import AdapterProvider, PlatformAdapter, PlatformRules
from roasloop.ports.store import Store
from roasloop.translations import N_

HttpFactory = Callable[[Platform], httpx.AsyncClient]


class PlatformRegistry(AdapterProvider):
    """Builds and caches adapters; owns the HTTP clients it creates."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        clock: Clock,
        drivers: Mapping[Platform, PlatformDriver],
        credentials: Mapping[Platform, AppCredentials],
        http_factory: HttpFactory,
        retry: RetryPolicy,
        limiter: RateLimiter | None = None,
        breakers: BreakerBoard | None = None,
    ) -> None:
        self._settings = settings
        self._store = store
        self._clock = clock
        self._drivers = dict(drivers)
        self._credentials = dict(credentials)
        self._http_factory = http_factory
        self._retry = retry
        self.limiter = limiter or RateLimiter(sleep=retry.sleep)
        self.breakers = breakers or BreakerBoard()
        self._clients: dict[Platform, httpx.AsyncClient] = {}
        self._adapters: dict[tuple[str, Platform], PlatformAdapter] = {}

    async def adapter_for(self, tenant_id: str, platform: Platform) -> PlatformAdapter:
        driver = self._driver(platform)
        cached = self._adapters.get((tenant_id, platform))
        if cached is not None:
            return cached
        async with self._store.unit(tenant_id) as uow:
            account = await uow.accounts.get(platform)
        if account is None:
            account = await self._provision(tenant_id, platform)
        caller = self.caller(platform, account.account_id)
        app = self._credentials[platform]
        adapter = driver.build_adapter(self._client(platform), account, caller, self._settings, app)
        self._adapters[(tenant_id, platform)] = adapter
        return adapter

    def rules(self, platform: Platform) -> PlatformRules:
        return self._driver(platform).rules

    def caller(self, platform: Platform, account_id: str) -> PlatformCaller:
        """The rate-limited, circuit-broken, retrying caller for one account."""
        buckets = self._driver(platform).rate_limits(account_id) if self._limits_on() else ()
        for bucket in buckets:
            self.limiter.configure(bucket.name, bucket.rate)
        breaker = self.breakers.for_key(f"{platform.value}:{account_id}")
        every_call = tuple(bucket.name for bucket in buckets if bucket.every_call)
        return PlatformCaller(platform.value, self._retry, self.limiter, breaker, every_call)

    async def bind_with_auth_code(
        self, tenant_id: str, platform: Platform, auth_code: str
    ) -> PlatformAccount:
        """OAuth exchange with the configured app; stores the account (token encrypted)."""
        driver = self._driver(platform)
        app = self._credentials[platform]
        caller = self.caller(platform, "oauth")
        grant = await driver.exchange_code(
            self._client(platform), self._settings, app, auth_code, caller
        )
        account = PlatformAccount(
            tenant_id=tenant_id,
            platform=platform,
            account_id=grant.account_ids[0],
            access_token=grant.access_token,
            created_at=self._clock.now(),
        )
        async with self._store.unit(tenant_id) as uow:
            await uow.accounts.save(account)
        self._adapters.pop((tenant_id, platform), None)
        return account

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()
        self._adapters.clear()

    def _driver(self, platform: Platform) -> PlatformDriver:
        driver = self._drivers.get(platform)
        if driver is None or platform not in self._settings.enabled_platforms:
            raise InvalidParameter(
                "platform",
                N_("platform {platform} is not enabled"),
                detail_params={"platform": repr(platform.value)},
            )
        return driver

    async def _provision(self, tenant_id: str, platform: Platform) -> PlatformAccount:
        if not self._settings.is_sandbox:
            raise AdAccountNotBound(
                details={"platform": platform.value, "action_url": REAUTH_ACTION_URL}
            )
        return await self.bind_with_auth_code(tenant_id, platform, f"tenant:{tenant_id}")

    def _limits_on(self) -> bool:
        mode = self._settings.rate_limits
        return mode == "on" or (mode == "auto" and not self._settings.is_sandbox)

    def _client(self, platform: Platform) -> httpx.AsyncClient:
        if platform not in self._clients:
            self._clients[platform] = self._http_factory(platform)
        return self._clients[platform]
