"""Google Ads' entry in the platform registry.

The account's stored token is the OAuth *refresh token* (see :mod:`.auth`); the adapter
mints access tokens from it. The OAuth client, token endpoint, developer token and
login-customer-id all come from the app credentials the composition root passes in: the
live settings' in live mode, the sandbox's (and no login-customer-id) in sandbox mode.
"""

from __future__ import annotations

import httpx

from roasloop.config import Settings
from roasloop.domain.enums import Platform
from roasloop.domain.models import PlatformAccount
from roasloop.errors import AuthenticationFailed
from roasloop.platforms.driver import AppCredentials, Buckets, Grant, PlatformDriver
from roasloop.platforms.google import mapping
from roasloop.platforms.google.auth import (
    GOOGLE_TOKEN_URL,
    GoogleCredentials,
    OAuthClient,
    exchange_code,
)
from roasloop.platforms.google.client import LIVE_BASE_URL, GoogleAdsAdapter
from roasloop.platforms.google.transport import accessible_customers
from roasloop.platforms.transport import PlatformCaller
from roasloop.ports.platform import PlatformAdapter, PlatformRules


def _build(
    http: httpx.AsyncClient,
    account: PlatformAccount,
    caller: PlatformCaller,
    settings: Settings,
    app: AppCredentials,
) -> PlatformAdapter:
    credentials = GoogleCredentials(
        http, _oauth_client(app), account.access_token, timeout=caller.policy.timeout
    )
    return GoogleAdsAdapter(
        http,
        account.account_id,
        credentials,
        caller,
        developer_token=_developer_token(app),
        login_customer_id=app.login_customer_id,
        api_version=settings.google_ads_api_version,
    )


async def _exchange(
    http: httpx.AsyncClient,
    settings: Settings,
    app: AppCredentials,
    auth_code: str,
    caller: PlatformCaller,
) -> Grant:
    tokens = await exchange_code(http, _oauth_client(app), auth_code, caller)
    developer_token = _developer_token(app)
    customers = await accessible_customers(
        http, tokens.access_token, developer_token, caller, settings.google_ads_api_version
    )
    return Grant(tokens.refresh_token, customers)


def _credentials(settings: Settings) -> AppCredentials:
    secret = settings.google_ads_client_secret
    token = settings.google_ads_developer_token
    return AppCredentials(
        str(settings.google_ads_client_id or ""),
        secret.get_secret_value() if secret else "",
        developer_token=token.get_secret_value() if token is not None else None,
        login_customer_id=settings.google_ads_login_customer_id,
    )


def _oauth_client(app: AppCredentials) -> OAuthClient:
    return OAuthClient(app.app_id, app.app_secret, app.token_url or GOOGLE_TOKEN_URL)


def _developer_token(app: AppCredentials) -> str:
    if app.developer_token is None:  # live settings refuse to start without it
        raise AuthenticationFailed("GOOGLE_ADS_DEVELOPER_TOKEN is not set")
    return app.developer_token


def _limits(account_id: str) -> Buckets:
    # No proactive bucket: Google's limits are per developer token and adaptive; 429s carry
    # a retryDelay that the transport honours.
    return ()


DRIVER = PlatformDriver(
    platform=Platform.GOOGLE,
    live_base_url=lambda settings: LIVE_BASE_URL,
    app_credentials=_credentials,
    build_adapter=_build,
    exchange_code=_exchange,
    rate_limits=_limits,
    rules=PlatformRules(GoogleAdsAdapter.capabilities, GoogleAdsAdapter.check_countries),
    read_learning=mapping.learning_status,
)
