"""TikTok OAuth: exchange an advertiser's ``auth_code`` for a long-term access token.

POST /open_api/v1.3/oauth2/access_token/ ``{app_id, secret, auth_code}`` →
``{access_token, advertiser_ids, scope}`` (shared/reference/platform_apis.md §1.2).
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from roasloop.platforms.tiktok.protocol import API_PREFIX, unwrap
from roasloop.platforms.transport import PlatformCaller


@dataclass(frozen=True, slots=True)
class TikTokGrant:
    access_token: str
    advertiser_ids: tuple[str, ...]


async def exchange_auth_code(
    http: httpx.AsyncClient, app_id: str, secret: str, auth_code: str, caller: PlatformCaller
) -> TikTokGrant:
    async def once() -> TikTokGrant:
        response = await http.post(
            API_PREFIX + "/oauth2/access_token/",
            json={"app_id": app_id, "secret": secret, "auth_code": auth_code},
            timeout=caller.policy.timeout,
        )
        data = unwrap(response)
        return TikTokGrant(str(data["access_token"]), tuple(str(a) for a in data["advertiser_ids"]))

    return await caller.call("oauth2_access_token", once)
