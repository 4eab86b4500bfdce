"""Meta OAuth: exchange a login ``code`` for an access token and list its ad accounts.

``GET /{version}/oauth/access_token?client_id=&client_secret=&code=`` →
``{"access_token", "token_type": "bearer", "expires_in"?}``, then
``GET /{version}/me/adaccounts?fields=account_id`` (shared/reference/platform_apis.md §2.6).
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from roasloop.platforms.meta.graph import GraphSession
from roasloop.platforms.transport import PlatformCaller


@dataclass(frozen=True, slots=True)
class MetaGrant:
    access_token: str
    #: Numeric ad account ids (without ``act_``), first = default.
    account_ids: tuple[str, ...]


async def exchange_code(
    http: httpx.AsyncClient,
    api_version: str,
    app_id: str,
    app_secret: str,
    code: str,
    caller: PlatformCaller,
    redirect_uri: str = "",
) -> MetaGrant:
    """The token for ``code`` and the ad accounts it may manage."""
    exchange = GraphSession(http, "oauth", "", caller, api_version)
    params = {"client_id": app_id, "client_secret": app_secret, "code": code}
    if redirect_uri:
        params["redirect_uri"] = redirect_uri
    answer = await exchange.call("oauth_access_token", "GET", "oauth/access_token", params)
    token = str(answer["access_token"])
    session = GraphSession(http, "oauth", token, caller, api_version, app_secret)
    fields = {"fields": "account_id"}
    accounts = await session.list_all("me_adaccounts", "me/adaccounts", fields)
    ids = tuple(str(a.get("account_id") or str(a["id"]).removeprefix("act_")) for a in accounts)
    return MetaGrant(token, ids)
