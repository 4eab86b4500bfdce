"""Meta's entry in the platform registry."""

from __future__ import annotations

import httpx

from roasloop.config import Settings
from roasloop.domain.enums import Platform
from roasloop.domain.models import PlatformAccount
from roasloop.platforms.driver import AppCredentials, Bucket, Buckets, Grant, PlatformDriver
from roasloop.platforms.meta import mapping
from roasloop.platforms.meta.auth import exchange_code
from roasloop.platforms.meta.client import MetaAdapter
from roasloop.platforms.meta.graph import GRAPH_HOST, account_bucket
from roasloop.platforms.transport import PlatformCaller
from roasloop.ports.platform import PlatformAdapter, PlatformRules

#: Steady pace per ad account. Meta throttles adaptively per account and business use case
#: (https://developers.facebook.com/docs/marketing-api/overview/rate-limiting); the adapter
#: slows down and stops on ``X-Business-Use-Case-Usage``, this bucket keeps bursts modest.
ACCOUNT_QPS = 20.0


def _build(
    http: httpx.AsyncClient,
    account: PlatformAccount,
    caller: PlatformCaller,
    settings: Settings,
    app: AppCredentials,
) -> PlatformAdapter:
    return MetaAdapter(
        http,
        account.account_id,
        account.access_token,
        caller,
        api_version=settings.meta_api_version,
        app_secret=_proof_secret(app),
    )


async def _exchange(
    http: httpx.AsyncClient,
    settings: Settings,
    app: AppCredentials,
    auth_code: str,
    caller: PlatformCaller,
) -> Grant:
    version = settings.meta_api_version
    grant = await exchange_code(http, version, app.app_id, app.app_secret, auth_code, caller)
    return Grant(grant.access_token, grant.account_ids)


def _credentials(settings: Settings) -> AppCredentials:
    secret = settings.meta_app_secret
    return AppCredentials(
        str(settings.meta_app_id or ""), secret.get_secret_value() if secret else ""
    )


def _proof_secret(app: AppCredentials) -> str | None:
    """The secret that signs ``appsecret_proof`` (required by apps with "Require App Secret")."""
    return app.app_secret or None


def _limits(account_id: str) -> Buckets:
    # Named by the adapter on each of its calls, so the usage header's pacing applies even
    # when proactive limits are off.
    return (Bucket(account_bucket(account_id), ACCOUNT_QPS, every_call=False),)


DRIVER = PlatformDriver(
    platform=Platform.META,
    live_base_url=lambda settings: GRAPH_HOST,
    app_credentials=_credentials,
    build_adapter=_build,
    exchange_code=_exchange,
    rate_limits=_limits,
    rules=PlatformRules(MetaAdapter.capabilities, MetaAdapter.check_countries),
    read_learning=mapping.learning_status,
)
