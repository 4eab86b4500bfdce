"""One customer's Google Ads REST calls: headers, access-token refresh, errors, paging.

No retries here: the adapter runs these inside its ``PlatformCaller``. An access token the
API calls expired (or unknown) is refreshed and the request sent once more before anything
is raised, so an hour-old token never surfaces as an error.
"""

from __future__ import annotations

from typing import Any

import httpx

from roasloop.errors import ServiceUnavailable
from roasloop.platforms.google.auth import GoogleCredentials
from roasloop.platforms.google.errors import classify, is_stale_access_token
from roasloop.platforms.google.mapping import key_of
from roasloop.platforms.transport import PlatformCaller

JSON = dict[str, Any]
Rows = list[JSON]


class GoogleAdsTransport:
    def __init__(
        self,
        http: httpx.AsyncClient,
        customer_id: str,
        credentials: GoogleCredentials,
        *,
        developer_token: str,
        login_customer_id: str | None,
        api_version: str,
        timeout: float,
    ) -> None:
        self._http = http
        self.customer_id = customer_id
        self._credentials = credentials
        self._developer_token = developer_token
        self._login_customer_id = login_customer_id
        self._version = api_version
        self._timeout = timeout

    async def post(self, path: str, body: JSON) -> Any:
        """POST ``/{version}/customers/{cid}/{path}``; the decoded JSON or the classified error."""
        url = f"/{self._version}/customers/{self.customer_id}/{path}"
        for fresh_token in (False, True):
            token = await self._credentials.access_token()
            response = await self._http.post(
                url,
                json=body,
                headers=headers(token, self._developer_token, self._login_customer_id),
                timeout=self._timeout,
            )
            if response.status_code == 200:
                return decoded(response)
            error = classify(
                response.status_code, payload(response), response.headers.get("request-id", "")
            )
            if fresh_token or not is_stale_access_token(error):
                raise error
            self._credentials.invalidate(token)
        raise AssertionError("unreachable")  # pragma: no cover

    async def search(self, query: str) -> Rows:
        """Every row of a GAQL query, following ``nextPageToken``."""
        rows: Rows = []
        body: JSON = {"query": query}
        while True:
            page = await self.post("googleAds:search", body)
            rows += page.get("results", [])
            if not page.get("nextPageToken"):
                return rows
            body = {"query": query, "pageToken": page["nextPageToken"]}


async def accessible_customers(
    http: httpx.AsyncClient,
    access_token: str,
    developer_token: str,
    caller: PlatformCaller,
    api_version: str,
) -> tuple[str, ...]:
    """Customer ids the access token may manage (``customers:listAccessibleCustomers``)."""

    async def once() -> tuple[str, ...]:
        response = await http.get(
            f"/{api_version}/customers:listAccessibleCustomers",
            headers=headers(access_token, developer_token, None),
            timeout=caller.policy.timeout,
        )
        if response.status_code != 200:
            request_id = response.headers.get("request-id", "")
            raise classify(response.status_code, payload(response), request_id)
        names = decoded(response).get("resourceNames", [])
        return tuple(key_of(str(name)) for name in names)

    return await caller.call("list_accessible_customers", once)


def headers(token: str, developer_token: str, login_customer_id: str | None) -> dict[str, str]:
    values = {"Authorization": f"Bearer {token}", "developer-token": developer_token}
    if login_customer_id:
        values["login-customer-id"] = login_customer_id.replace("-", "")
    return values


def payload(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return {}


def decoded(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise ServiceUnavailable("malformed response", details={"platform": "google"}) from exc
