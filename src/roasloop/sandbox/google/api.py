"""Google Ads API (REST), wire-compatible, over a :class:`SandboxWorld`.

Served under ``/v{N}/`` for any version: ``customers:listAccessibleCustomers``,
``customers/{cid}/{resource}:mutate`` for campaignBudgets, campaigns, adGroups, adGroupAds,
adGroupCriteria, campaignCriteria and assets, ``googleAds:mutate``, ``googleAds:search``
and ``googleAds:searchStream``; plus ``POST /token``, the OAuth token endpoint of
``https://oauth2.googleapis.com/token`` (a new authorization code makes a new customer).
Headers as on the real API: ``Authorization: Bearer``, ``developer-token`` (required),
``login-customer-id`` (optional). Faults (429 RESOURCE_EXHAUSTED with ``retryDelay``, 500,
slow and lost responses) are injected per the world's :class:`FaultConfig`; a lost response
applies the mutate and then answers 503, as a response lost on the way back would look.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from roasloop.sandbox.credentials import SANDBOX_APP_ID, SANDBOX_APP_SECRET
from roasloop.sandbox.google import delivery
from roasloop.sandbox.google.mutate import mutate, mutate_all
from roasloop.sandbox.google.protocol import (
    ACCESS_TOKEN_SECONDS,
    DEFAULT_VERSION,
    OAUTH_SCOPE,
    PAGE_SIZE,
    SANDBOX_DEVELOPER_TOKEN,
    VERSION_PATTERN,
    GoogleAdsFault,
    auth_fault,
    bad_request,
    internal_fault,
    kind,
    permission_fault,
    rate_limit_fault,
    request_id,
    unavailable_fault,
)
from roasloop.sandbox.google.resources import RESOURCES
from roasloop.sandbox.google.search import search, search_stream
from roasloop.sandbox.world import SandboxWorld

Doc = dict[str, Any]
Handler = Callable[[Request, str], Awaitable[Any]]
_CUSTOMER_ID = re.compile(r"^\d+$")
_MISSING_CREDENTIAL = (
    "Request is missing required authentication credential. Expected OAuth 2 access token, "
    "login cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project."
)


#: The OAuth token endpoint, relative to the sandbox's base URL (Google's is
#: ``https://oauth2.googleapis.com/token``).
TOKEN_PATH = "/token"


def create_google_app(world: SandboxWorld, *, page_size: int = PAGE_SIZE) -> Starlette:
    """The ASGI app; serve it with uvicorn or call it through ``httpx.ASGITransport``.

    ``page_size`` shrinks search pages (tests of ``nextPageToken`` paging).
    """
    api = _Api(world, page_size)
    routes = [
        Route(TOKEN_PATH, api.token, methods=["POST"]),
        Route("/{version}/customers:listAccessibleCustomers", api.accessible, methods=["GET"]),
        Route("/{version}/customers/{customer_id}/{method}", api.customer_call, methods=["POST"]),
    ]
    delivery.reconcile(world)
    return Starlette(routes=routes)


class _Api:
    def __init__(self, world: SandboxWorld, page_size: int) -> None:
        self.world = world
        self.page_size = page_size

    # --- endpoints ------------------------------------------------------------------------
    async def accessible(self, request: Request) -> JSONResponse:
        async def handle(request: Request, version: str) -> Doc:
            customers = self._authenticate(request)
            return {"resourceNames": [f"customers/{c}" for c in customers]}

        return await self._serve(request, handle, write=False)

    async def customer_call(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        target, _, verb = method.partition(":")
        write = verb == "mutate"

        async def handle(request: Request, version: str) -> Any:
            customer_id = self._customer(request)
            body = await _json_body(request)
            if target == "googleAds" and verb in ("search", "searchStream"):
                if verb == "search":
                    return search(self.world, customer_id, version, body, self.page_size)
                return search_stream(self.world, customer_id, version, body)
            if target == "googleAds" and verb == "mutate":
                return mutate_all(self.world, customer_id, version, body)
            if target in RESOURCES and verb == "mutate":
                return mutate(self.world, customer_id, version, target, body)
            raise GoogleAdsFault("NOT_FOUND", message=f"Method not found: {method}")

        return await self._serve(request, handle, write=write)

    async def token(self, request: Request) -> JSONResponse:
        """The OAuth 2.0 token endpoint (authorization_code and refresh_token grants)."""
        async with request.form() as form:
            params = {k: str(v) for k, v in form.items()}
        if (
            params.get("client_id") != SANDBOX_APP_ID
            or params.get("client_secret") != SANDBOX_APP_SECRET
        ):
            return _oauth_error(401, "invalid_client", "The OAuth client was not found.")
        grant = params.get("grant_type")
        if grant == "authorization_code" and params.get("code"):
            customers = self._customers_for_code(params["code"])
            refresh = "1//" + secrets.token_urlsafe(32)
            self.world.put("gads:refresh_token", _hash(refresh), {"customers": customers})
            return JSONResponse(self._access_token(customers) | {"refresh_token": refresh})
        if grant == "refresh_token" and params.get("refresh_token"):
            stored = self.world.get("gads:refresh_token", _hash(params["refresh_token"]))
            if stored is None:
                return _oauth_error(400, "invalid_grant", "Token has been expired or revoked.")
            return JSONResponse(self._access_token(list(stored["customers"])))
        if grant in ("authorization_code", "refresh_token"):
            return _oauth_error(400, "invalid_request", "Missing required parameter.")
        return _oauth_error(400, "unsupported_grant_type", "Invalid grant_type: " + str(grant))

    # --- plumbing -------------------------------------------------------------------------
    async def _serve(self, request: Request, handle: Handler, *, write: bool) -> JSONResponse:
        version = request.path_params.get("version", DEFAULT_VERSION)
        rid = request_id()
        try:
            if not re.fullmatch(VERSION_PATTERN, version):
                raise GoogleAdsFault("NOT_FOUND", message=f"Unknown API version {version}.")
            self.world.catch_up()
            fault = self.world.draw_fault()
            if fault == "rate_limit":
                raise rate_limit_fault()
            if fault == "system_error":
                raise internal_fault()
            if fault == "slow":
                await asyncio.sleep(self.world.faults.slow_seconds)
            result = await handle(request, version)
            if fault == "lost_response" and write:
                raise unavailable_fault()
        except GoogleAdsFault as error:
            body = error.body(version, rid)
            return JSONResponse(body, status_code=error.http_status, headers={"request-id": rid})
        return JSONResponse(result, headers={"request-id": rid})

    def _authenticate(self, request: Request) -> list[str]:
        """The customers the request's access token may manage; checks the developer token."""
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer ") or not header[7:].strip():
            raise GoogleAdsFault("UNAUTHENTICATED", message=_MISSING_CREDENTIAL)
        stored = self.world.get("gads:access_token", _hash(header[7:].strip()))
        if stored is None:
            raise auth_fault("OAUTH_TOKEN_INVALID", "Oauth token is invalid.")
        if datetime.fromisoformat(stored["expiresAt"]) <= self.world.clock.now():
            raise auth_fault("OAUTH_TOKEN_EXPIRED", "Oauth token has expired.")
        if request.headers.get("developer-token") != SANDBOX_DEVELOPER_TOKEN:
            raise auth_fault("DEVELOPER_TOKEN_INVALID", "The developer token is not valid.")
        return list(stored["customers"])

    def _customer(self, request: Request) -> str:
        customers = self._authenticate(request)
        customer_id = str(request.path_params["customer_id"])
        login = request.headers.get("login-customer-id")
        if login is not None and (not _CUSTOMER_ID.match(login) or login not in customers):
            raise permission_fault(
                "USER_PERMISSION_DENIED", "User doesn't have permission to access customer."
            )
        if not _CUSTOMER_ID.match(customer_id) or customer_id not in customers:
            raise permission_fault(
                "USER_PERMISSION_DENIED",
                "User doesn't have permission to access customer. Note: If you're accessing a "
                "client customer, the manager's customer ID must be set in the "
                "'login-customer-id' header.",
            )
        return customer_id

    def _customers_for_code(self, code: str) -> list[str]:
        known = self.world.get("gads:auth_code", _hash(code))
        if known is not None:
            return list(known["customers"])
        customer_id = self.world.next_id(kind("customers"), SANDBOX_APP_ID, code)
        self.world.put(
            kind("customers"),
            customer_id,
            {
                "resourceName": f"customers/{customer_id}",
                "id": customer_id,
                "descriptiveName": f"Sandbox customer {customer_id}",
                "currencyCode": "USD",
                "timeZone": "Etc/UTC",
                "_customer": customer_id,
                "_key": customer_id,
            },
        )
        self.world.put("gads:auth_code", _hash(code), {"customers": [customer_id]})
        return [customer_id]

    def _access_token(self, customers: list[str]) -> Doc:
        token = "ya29." + secrets.token_urlsafe(32)
        expires = self.world.clock.now() + timedelta(seconds=ACCESS_TOKEN_SECONDS)
        self.world.put(
            "gads:access_token",
            _hash(token),
            {"customers": customers, "expiresAt": expires.isoformat()},
        )
        return {
            "access_token": token,
            "expires_in": ACCESS_TOKEN_SECONDS,
            "token_type": "Bearer",
            "scope": OAUTH_SCOPE,
        }


async def _json_body(request: Request) -> Doc:
    raw = await request.body()
    try:
        body = json.loads(raw or b"{}")
    except ValueError as exc:
        raise bad_request("", "Invalid JSON payload received. Unexpected token.") from exc
    if not isinstance(body, dict):
        raise bad_request("", "Invalid JSON payload received. Expected an object.")
    return body


def _oauth_error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


def _hash(secret: str) -> str:
    """Tokens and codes are stored hashed: the sandbox file never holds one in clear text."""
    return hashlib.sha256(secret.encode()).hexdigest()
