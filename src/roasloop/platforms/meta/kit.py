"""Meta's entry in the platform registry."""

from __future__ import annotations

import httpx

from roasloop.config import Settings
from roasloop.domain.enums import Platform
from roasloop.domain.models import PlatformAccount
from roasloop.platforms._transport import PlatformCaller
from roasloop.platforms.kit import Bucket, Buckets, Grant, PlatformKit
from roasloop.platforms.meta.auth import exchange_code
from roasloop.platforms.meta.client import MetaAdapter
from roasloop.platforms.meta.graph import GRAPH_HOST, account_bucket
from roasloop.ports.platform import PlatformAdapter, PlatformRules
from roasloop.sandbox.credentials import SANDBOX_APP_SECRET
from roasloop.sandbox.meta_api import create_meta_app

#: Steady pace per ad account. Meta throttles adaptively per account and business use case
#: (https://developers.facebook.com/docs/marketing-api/overview/rate-limiting); the adapter
#: slows down and stops on ``X-Business-Use-Case-Usage``, this bucket keeps bursts modest.
ACCOUNT_QPS = 20.0


def _build(
    http: httpx.AsyncClient, account: PlatformAccount, caller: PlatformCaller, settings: Settings
) -> PlatformAdapter:
    return MetaAdapter(
        http,
        account.account_id,
        account.access_token,
        caller,
        api_version=settings.meta_api_version,
        app_secret=_proof_secret(settings),
    )


async def _exchange(
    http: httpx.AsyncClient,
    settings: Settings,
    app_id: str,
    secret: str,
    auth_code: str,
    caller: PlatformCaller,
) -> Grant:
    grant = await exchange_code(http, settings.meta_api_version, app_id, secret, auth_code, caller)
    return Grant(grant.access_token, grant.account_ids)


def _credentials(settings: Settings) -> tuple[str, str]:
    secret = settings.meta_app_secret
    return str(settings.meta_app_id or ""), secret.get_secret_value() if secret else ""


def _proof_secret(settings: Settings) -> str | None:
    """The secret that signs ``appsecret_proof`` (required by apps with "Require App Secret")."""
    if settings.is_sandbox:
        return SANDBOX_APP_SECRET
    return _credentials(settings)[1] or None


def _limits(account_id: str) -> Buckets:
    # Named by the adapter on each of its calls, so the usage header's pacing applies even
    # when proactive limits are off.
    return (Bucket(account_bucket(account_id), ACCOUNT_QPS, every_call=False),)


KIT = PlatformKit(
    platform=Platform.META,
    sandbox_host="http://meta.sandbox.invalid",
    live_base_url=lambda settings: GRAPH_HOST,
    app_credentials=_credentials,
    build_adapter=_build,
    exchange_code=_exchange,
    rate_limits=_limits,
    sandbox_app=create_meta_app,
    rules=PlatformRules(MetaAdapter.capabilities, MetaAdapter.check_countries),
)
