"""Google Ads' entry in the platform registry.

The account's stored token is the OAuth *refresh token* (see :mod:`.auth`); the adapter
mints access tokens from it. In sandbox mode the sandbox's OAuth client, token endpoint and
developer token are used and no login-customer-id is sent, whatever the live settings say.
"""

from __future__ import annotations

import httpx

from roasloop.config import Settings
from roasloop.domain.enums import Platform
from roasloop.domain.models import PlatformAccount
from roasloop.errors import AuthenticationFailed
from roasloop.platforms._transport import PlatformCaller
from roasloop.platforms.google.auth import (
    GOOGLE_TOKEN_URL,
    GoogleCredentials,
    OAuthClient,
    exchange_code,
)
from roasloop.platforms.google.client import LIVE_BASE_URL, GoogleAdsAdapter
from roasloop.platforms.google.transport import accessible_customers
from roasloop.platforms.kit import Buckets, Grant, PlatformKit
from roasloop.ports.platform import PlatformAdapter, PlatformRules
from roasloop.sandbox.credentials import SANDBOX_APP_ID, SANDBOX_APP_SECRET
from roasloop.sandbox.google_api import create_google_app
from roasloop.sandbox.google_wire import SANDBOX_DEVELOPER_TOKEN

#: Path of the sandbox's token endpoint, relative to the sandbox base URL.
SANDBOX_TOKEN_PATH = "/token"


def _build(
    http: httpx.AsyncClient, account: PlatformAccount, caller: PlatformCaller, settings: Settings
) -> PlatformAdapter:
    credentials = GoogleCredentials(
        http, _oauth_client(settings), account.access_token, timeout=caller.policy.timeout
    )
    login = None if settings.is_sandbox else settings.google_ads_login_customer_id
    return GoogleAdsAdapter(
        http,
        account.account_id,
        credentials,
        caller,
        developer_token=_developer_token(settings),
        login_customer_id=login,
        api_version=settings.google_ads_api_version,
    )


async def _exchange(
    http: httpx.AsyncClient,
    settings: Settings,
    app_id: str,
    secret: str,
    auth_code: str,
    caller: PlatformCaller,
) -> Grant:
    oauth = OAuthClient(app_id, secret, _token_url(settings))
    tokens = await exchange_code(http, oauth, auth_code, caller)
    developer_token = _developer_token(settings)
    customers = await accessible_customers(
        http, tokens.access_token, developer_token, caller, settings.google_ads_api_version
    )
    return Grant(tokens.refresh_token, customers)


def _credentials(settings: Settings) -> tuple[str, str]:
    secret = settings.google_ads_client_secret
    return str(settings.google_ads_client_id or ""), secret.get_secret_value() if secret else ""


def _oauth_client(settings: Settings) -> OAuthClient:
    if settings.is_sandbox:
        return OAuthClient(SANDBOX_APP_ID, SANDBOX_APP_SECRET, SANDBOX_TOKEN_PATH)
    client_id, secret = _credentials(settings)
    return OAuthClient(client_id, secret, GOOGLE_TOKEN_URL)


def _token_url(settings: Settings) -> str:
    return SANDBOX_TOKEN_PATH if settings.is_sandbox else GOOGLE_TOKEN_URL


def _developer_token(settings: Settings) -> str:
    token = settings.google_ads_developer_token
    if settings.is_sandbox:
        return SANDBOX_DEVELOPER_TOKEN
    if token is None:  # live settings refuse to start without it
        raise AuthenticationFailed("GOOGLE_ADS_DEVELOPER_TOKEN is not set")
    return token.get_secret_value()


def _limits(account_id: str) -> Buckets:
    # No proactive bucket: Google's limits are per developer token and adaptive; 429s carry
    # a retryDelay that the transport honours.
    return ()


KIT = PlatformKit(
    platform=Platform.GOOGLE,
    sandbox_host="http://google.sandbox.invalid",
    live_base_url=lambda settings: LIVE_BASE_URL,
    app_credentials=_credentials,
    build_adapter=_build,
    exchange_code=_exchange,
    rate_limits=_limits,
    sandbox_app=create_google_app,
    rules=PlatformRules(GoogleAdsAdapter.capabilities, GoogleAdsAdapter.check_countries),
)
