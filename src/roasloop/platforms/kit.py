"""What the composition root needs to know about one platform, in one record.

Each platform package exposes a ``KIT``; nothing outside ``platforms/`` branches on the
platform's name. A kit builds the adapter for a bound account, exchanges an OAuth code for
a grant (the sandbox uses the same exchange to provision tenants), names the rate-limit
buckets an account's calls draw from, and builds the platform's sandbox app.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
from starlette.types import ASGIApp

from roasloop.config import Settings
from roasloop.domain.enums import Platform
from roasloop.domain.models import PlatformAccount
from roasloop.platforms._transport import PlatformCaller
from roasloop.ports.platform import PlatformAdapter, PlatformRules
from roasloop.sandbox.world import SandboxWorld


@dataclass(frozen=True, slots=True)
class Grant:
    """An OAuth result: the token and the ad accounts it may manage (first = default)."""

    access_token: str
    account_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Bucket:
    """A token bucket: ``rate`` requests per second (0 = no proactive limit).

    ``every_call`` buckets pace all of an account's calls; the others are named by the
    adapter for the calls they cover (e.g. TikTok's ad creation).
    """

    name: str
    rate: float
    every_call: bool = True


Buckets = tuple[Bucket, ...]

BuildAdapter = Callable[
    [httpx.AsyncClient, PlatformAccount, PlatformCaller, Settings], PlatformAdapter
]
ExchangeCode = Callable[
    [httpx.AsyncClient, Settings, str, str, str, PlatformCaller], Awaitable[Grant]
]


@dataclass(frozen=True, slots=True)
class PlatformKit:
    platform: Platform
    #: Base URL of the in-process sandbox; ``.invalid`` never resolves (RFC 2606).
    sandbox_host: str
    live_base_url: Callable[[Settings], str]
    #: (app id, app secret) of the configured live app.
    app_credentials: Callable[[Settings], tuple[str, str]]
    build_adapter: BuildAdapter
    #: ``(http, settings, app_id, app_secret, auth_code, caller) -> Grant``.
    exchange_code: ExchangeCode
    #: Buckets an account's calls draw from, given the account id.
    rate_limits: Callable[[str], Buckets]
    sandbox_app: Callable[[SandboxWorld], ASGIApp]
    #: The adapter's platform facts and country check, usable without an account.
    rules: PlatformRules
