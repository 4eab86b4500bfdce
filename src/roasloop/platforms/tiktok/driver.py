"""TikTok's entry in the platform registry."""

from __future__ import annotations

import httpx

from roasloop.config import Settings
from roasloop.domain.enums import Platform
from roasloop.domain.models import PlatformAccount
from roasloop.platforms.driver import AppCredentials, Bucket, Buckets, Grant, PlatformDriver
from roasloop.platforms.tiktok import mapping
from roasloop.platforms.tiktok.auth import exchange_auth_code
from roasloop.platforms.tiktok.client import (
    AD_CREATE_BUCKET,
    AD_CREATE_QPS,
    APP_BUCKET,
    APP_QPS,
    TikTokAdapter,
)
from roasloop.platforms.transport import PlatformCaller
from roasloop.ports.platform import PlatformAdapter, PlatformRules


def _build(
    http: httpx.AsyncClient,
    account: PlatformAccount,
    caller: PlatformCaller,
    settings: Settings,
    app: AppCredentials,
) -> PlatformAdapter:
    return TikTokAdapter(http, account.account_id, account.access_token, caller)


async def _exchange(
    http: httpx.AsyncClient,
    settings: Settings,
    app: AppCredentials,
    auth_code: str,
    caller: PlatformCaller,
) -> Grant:
    grant = await exchange_auth_code(http, app.app_id, app.app_secret, auth_code, caller)
    return Grant(grant.access_token, grant.advertiser_ids)


def _credentials(settings: Settings) -> AppCredentials:
    secret = settings.tiktok_app_secret
    return AppCredentials(
        str(settings.tiktok_app_id or ""), secret.get_secret_value() if secret else ""
    )


def _limits(account_id: str) -> Buckets:
    # Limits are per developer app, so every account shares the same buckets.
    return (Bucket(APP_BUCKET, APP_QPS), Bucket(AD_CREATE_BUCKET, AD_CREATE_QPS, every_call=False))


DRIVER = PlatformDriver(
    platform=Platform.TIKTOK,
    live_base_url=lambda settings: settings.tiktok_api_base,
    app_credentials=_credentials,
    build_adapter=_build,
    exchange_code=_exchange,
    rate_limits=_limits,
    rules=PlatformRules(TikTokAdapter.capabilities, TikTokAdapter.check_countries),
    read_learning=mapping.learning_status,
)
