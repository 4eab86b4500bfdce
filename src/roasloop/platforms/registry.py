"""The AdapterProvider: one adapter per tenant and platform, over shared HTTP clients.

In sandbox mode the HTTP client talks to the in-process sandbox app (``httpx.ASGITransport``
on a ``.invalid`` host that can never resolve) or to ``ROASLOOP_SANDBOX_URL``; a tenant
without an account gets a sandbox advertiser through the normal OAuth exchange. In live
mode the client talks to the real API and a tenant must have bound an account.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from roasloop.config import Settings
from roasloop.domain.enums import Platform
from roasloop.domain.models import PlatformAccount
from roasloop.errors import REAUTH_ACTION_URL, AdAccountNotBound, InvalidParameter
from roasloop.platforms._transport import RetryPolicy
from roasloop.platforms.tiktok.auth import exchange_auth_code
from roasloop.platforms.tiktok.client import TikTokAdapter
from roasloop.ports.clock import Clock
from roasloop.ports.platform import AdapterProvider, PlatformAdapter
from roasloop.ports.store import Store
from roasloop.sandbox.credentials import SANDBOX_APP_ID, SANDBOX_APP_SECRET

#: Hosts used for in-process sandbox apps; ``.invalid`` is reserved (RFC 2606).
SANDBOX_HOSTS = {Platform.TIKTOK: "http://tiktok.sandbox.invalid"}
SUPPORTED = (Platform.TIKTOK,)

HttpFactory = Callable[[Platform], httpx.AsyncClient]


class PlatformRegistry(AdapterProvider):
    """Builds and caches adapters; owns the HTTP clients it creates."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        clock: Clock,
        http_factory: HttpFactory,
        retry: RetryPolicy,
    ) -> None:
        self._settings = settings
        self._store = store
        self._clock = clock
        self._http_factory = http_factory
        self._retry = retry
        self._clients: dict[Platform, httpx.AsyncClient] = {}
        self._adapters: dict[tuple[str, Platform], PlatformAdapter] = {}

    async def adapter_for(self, tenant_id: str, platform: Platform) -> PlatformAdapter:
        if platform not in SUPPORTED or platform not in self._settings.enabled_platforms:
            raise InvalidParameter("platform", f"platform {platform.value!r} is not enabled")
        cached = self._adapters.get((tenant_id, platform))
        if cached is not None:
            return cached
        account = await self._store.get_account(tenant_id, platform)
        if account is None:
            account = await self._provision(tenant_id, platform)
        adapter = TikTokAdapter(
            self._client(platform), account.account_id, account.access_token, self._retry
        )
        self._adapters[(tenant_id, platform)] = adapter
        return adapter

    async def bind_with_auth_code(
        self, tenant_id: str, platform: Platform, auth_code: str
    ) -> PlatformAccount:
        """OAuth exchange with the configured app; stores the account (token encrypted)."""
        app_id, secret = self._app_credentials()
        grant = await exchange_auth_code(
            self._client(platform), app_id, secret, auth_code, self._retry
        )
        account = PlatformAccount(
            tenant_id=tenant_id,
            platform=platform,
            account_id=grant.advertiser_ids[0],
            access_token=grant.access_token,
            created_at=self._clock.now(),
        )
        await self._store.save_account(account)
        self._adapters.pop((tenant_id, platform), None)
        return account

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()
        self._adapters.clear()

    async def _provision(self, tenant_id: str, platform: Platform) -> PlatformAccount:
        if not self._settings.is_sandbox:
            raise AdAccountNotBound(
                details={"platform": platform.value, "action_url": REAUTH_ACTION_URL}
            )
        return await self.bind_with_auth_code(tenant_id, platform, f"tenant:{tenant_id}")

    def _app_credentials(self) -> tuple[str, str]:
        if self._settings.is_sandbox:
            return SANDBOX_APP_ID, SANDBOX_APP_SECRET
        secret = self._settings.tiktok_app_secret
        return str(self._settings.tiktok_app_id), secret.get_secret_value() if secret else ""

    def _client(self, platform: Platform) -> httpx.AsyncClient:
        if platform not in self._clients:
            self._clients[platform] = self._http_factory(platform)
        return self._clients[platform]
