"""Google OAuth 2.0 for the Ads API: code exchange and access-token refresh.

Google access tokens live an hour; the long-lived credential is the *refresh token*
(https://developers.google.com/identity/protocols/oauth2/web-server#exchange-authorization-code).
So the token roasloop stores for a Google account (``PlatformAccount.access_token``) is the
refresh token, and :class:`GoogleCredentials` mints access tokens from it on demand.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from roasloop.errors import AuthenticationFailed, ServiceUnavailable
from roasloop.platforms.google.errors import classify
from roasloop.platforms.transport import PlatformCaller

#: Google's token endpoint (live); the sandbox serves the same form at ``/token``.
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
#: Refresh this long before Google says the access token expires.
EXPIRY_MARGIN_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class OAuthClient:
    """The OAuth client (app) roasloop authorises as, and where its token endpoint is."""

    client_id: str
    client_secret: str
    token_url: str = GOOGLE_TOKEN_URL
    #: Must equal the redirect URI of the consent request when exchanging a code (live).
    redirect_uri: str | None = None


@dataclass(frozen=True, slots=True)
class TokenGrant:
    access_token: str
    refresh_token: str


class GoogleCredentials:
    """Access tokens for one refresh token, refreshed when missing, expiring or rejected."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        oauth: OAuthClient,
        refresh_token: str,
        *,
        timeout: float = 30.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._oauth = oauth
        self._refresh_token = refresh_token
        self._timeout = timeout
        self._monotonic = monotonic
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    async def access_token(self) -> str:
        """A current access token (raises ``TokenExpired`` 6001 if the grant was revoked)."""
        async with self._lock:
            if self._token is None or self._monotonic() >= self._expires_at:
                await self._refresh()
            assert self._token is not None
            return self._token

    def invalidate(self, token: str) -> None:
        """Forget ``token`` (the API rejected it), so the next call refreshes."""
        if self._token == token:
            self._token = None

    async def _refresh(self) -> None:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": self._refresh_token,
            "client_id": self._oauth.client_id,
            "client_secret": self._oauth.client_secret,
        }
        data = await _post_token(self._http, self._oauth.token_url, form, self._timeout)
        self._token = str(data["access_token"])
        lifetime = float(data.get("expires_in", 3600))
        self._expires_at = self._monotonic() + max(0.0, lifetime - EXPIRY_MARGIN_SECONDS)


async def exchange_code(
    http: httpx.AsyncClient, oauth: OAuthClient, code: str, caller: PlatformCaller
) -> TokenGrant:
    """Authorization code → access and refresh tokens (retried like any platform call)."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": oauth.client_id,
        "client_secret": oauth.client_secret,
    }
    if oauth.redirect_uri:
        form["redirect_uri"] = oauth.redirect_uri

    async def once() -> TokenGrant:
        data = await _post_token(http, oauth.token_url, form, caller.policy.timeout)
        refresh = data.get("refresh_token")
        if not refresh:
            raise AuthenticationFailed(
                "Google returned no refresh token; authorise again with access_type=offline "
                "and prompt=consent",
                details={"platform": "google"},
            )
        return TokenGrant(str(data["access_token"]), str(refresh))

    return await caller.call("oauth_token", once)


async def _post_token(
    http: httpx.AsyncClient, url: str, form: dict[str, str], request_timeout: float
) -> dict[str, Any]:
    response = await http.post(url, data=form, timeout=request_timeout)
    try:
        data = response.json()
    except ValueError as exc:
        raise ServiceUnavailable(
            f"token endpoint answered HTTP {response.status_code}", details={"platform": "google"}
        ) from exc
    if response.status_code != 200 or not isinstance(data, dict) or "access_token" not in data:
        raise classify(response.status_code, data)
    return data
