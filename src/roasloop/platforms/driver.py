"""What the composition root needs to know about one platform, in one record.

Each platform package exposes a ``DRIVER``; nothing outside ``platforms/`` branches on the
platform's name. A driver builds the adapter for a bound account, exchanges an OAuth code for
a grant (the sandbox uses the same exchange to provision tenants), reads the live app's
credentials from the settings and names the rate-limit buckets an account's calls draw from.
Drivers know nothing of the sandbox: the composition root decides where each platform's HTTP
client points and which app credentials the driver is given.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from roasloop.config import Settings
from roasloop.domain.enums import LearningStatus, Platform
from roasloop.domain.models import PlatformAccount
from roasloop.platforms.transport import PlatformCaller
from roasloop.ports.platform import PlatformAdapter, PlatformRules


@dataclass(frozen=True, slots=True)
class AppCredentials:
    """The developer app roasloop calls a platform as: the live app or the sandbox's.

    ``developer_token``, ``token_url`` (``None``: the platform's own OAuth token endpoint)
    and ``login_customer_id`` (the manager account to act through) are Google Ads'.
    """

    app_id: str
    app_secret: str
    developer_token: str | None = None
    token_url: str | None = None
    login_customer_id: str | None = None


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
    [httpx.AsyncClient, PlatformAccount, PlatformCaller, Settings, AppCredentials],
    PlatformAdapter,
]
ExchangeCode = Callable[
    [httpx.AsyncClient, Settings, AppCredentials, str, PlatformCaller], Awaitable[Grant]
]


@dataclass(frozen=True, slots=True)
class PlatformDriver:
    platform: Platform
    live_base_url: Callable[[Settings], str]
    #: The configured live app.
    app_credentials: Callable[[Settings], AppCredentials]
    #: ``(http, account, caller, settings, app) -> adapter``.
    build_adapter: BuildAdapter
    #: ``(http, settings, app, auth_code, caller) -> Grant``.
    exchange_code: ExchangeCode
    #: Buckets an account's calls draw from, given the account id.
    rate_limits: Callable[[str], Buckets]
    #: The adapter's platform facts and country check, usable without an account.
    rules: PlatformRules
    #: One ad set's learning-status field, as the platform's API returns it, read as a
    #: learning phase (``None``: it names none) — the adapter's own mapping.
    read_learning: Callable[[object], LearningStatus | None]
