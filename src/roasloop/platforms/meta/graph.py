"""Graph API calls of one ad account over async httpx (shared/reference §2.1, §2.4, §2.6).

Wire conventions, as the official SDK sends them: ``/{version}/{path}``; the access token (and
``appsecret_proof`` when the app secret is known) in the query string of every request; GET
and DELETE parameters in the query, POST parameters form-encoded; lists, objects and booleans
JSON-encoded. Every response's ``X-Business-Use-Case-Usage`` paces the account's rate-limit
bucket (slower above 75 %, stopped until the regain time); errors go through the one
classifier.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode

import httpx

from roasloop.errors import InternalError, RoasloopError, ServiceUnavailable
from roasloop.platforms.meta.errors import classify
from roasloop.platforms.meta.mapping import Usage, encode, parse_usage
from roasloop.platforms.transport import PlatformCaller

T = TypeVar("T")
JSONDict = dict[str, Any]

GRAPH_HOST = "https://graph.facebook.com"
#: Video uploads go to their own host (SDK ``video_uploader.py`` hard-codes it).
VIDEO_HOST = "https://graph-video.facebook.com"
USAGE_HEADER = "x-business-use-case-usage"
#: At most 50 requests per batch (https://developers.facebook.com/docs/graph-api/batch-requests).
MAX_BATCH = 50
PAGE_SIZE = 500


def account_bucket(account_id: str) -> str:
    """The rate-limit bucket of one ad account: Meta throttles per account."""
    return f"meta:act_{account_id.removeprefix('act_')}"


@dataclass(frozen=True, slots=True)
class BatchRequest:
    """One request of a batch; ``name`` lets later requests reference its result."""

    method: str
    path: str
    params: Mapping[str, Any] = field(default_factory=dict)
    name: str = ""


@dataclass(frozen=True, slots=True)
class BatchResult:
    """A batch answer: the body, the classified error, or not run (``null`` answer)."""

    body: Any = None
    error: RoasloopError | None = None
    executed: bool = True


class GraphSession:
    """Graph calls of one ad account through the shared :class:`PlatformCaller`."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        account_id: str,
        access_token: str,
        caller: PlatformCaller,
        api_version: str,
        app_secret: str | None = None,
    ) -> None:
        self.http = http
        self.account_id = account_id.removeprefix("act_")
        self.caller = caller
        self.version = api_version
        self.bucket = account_bucket(account_id)
        self._auth = {"access_token": access_token}
        if app_secret:
            proof = hmac.new(app_secret.encode(), access_token.encode(), hashlib.sha256)
            self._auth["appsecret_proof"] = proof.hexdigest()

    async def attempt(self, operation: str, fn: Callable[[], Awaitable[T]]) -> T:
        """Run ``fn`` (one or more single requests) under the account's retry policy."""
        return await self.caller.call(operation, fn, buckets=(self.bucket,))

    async def call(
        self, operation: str, method: str, path: str, params: Mapping[str, Any] | None = None
    ) -> Any:
        async def once() -> Any:
            return await self.once(method, path, params)

        return await self.attempt(operation, once)

    async def once(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        url: str | None = None,
    ) -> Any:
        """One request, no retry: the parsed body or the classified error."""
        wire = encode(params or {})
        query = dict(self._auth) | (wire if method in ("GET", "DELETE") else {})
        response = await self.http.request(
            method,
            url or f"/{self.version}/{path}",
            params=query,
            data=wire if method == "POST" else None,
            files=files,
            timeout=self.caller.policy.timeout,
        )
        return self._unwrap(response.status_code, response.headers.get(USAGE_HEADER), response.text)

    async def list_all(
        self, operation: str, path: str, params: Mapping[str, Any]
    ) -> list[JSONDict]:
        """Every row of an edge, following ``paging.cursors.after`` while ``next`` is there."""
        rows: list[JSONDict] = []
        query = {"limit": PAGE_SIZE, **params}
        while True:
            page = await self.call(operation, "GET", path, query)
            rows += page.get("data", [])
            paging = page.get("paging") or {}
            if "next" not in paging:
                return rows
            query = {**query, "after": paging["cursors"]["after"]}

    async def batch_once(self, requests: Sequence[BatchRequest]) -> list[BatchResult]:
        """One ``POST /`` with up to 50 requests; answers aligned to them."""
        if len(requests) > MAX_BATCH:
            raise InternalError(f"a Graph batch takes at most {MAX_BATCH} requests")
        batch = [_batch_entry(request) for request in requests]
        answers = await self.once("POST", "", {"batch": batch, "include_headers": True})
        return [self._result(answer) for answer in answers]

    def _result(self, answer: Any) -> BatchResult:
        if not isinstance(answer, dict):
            return BatchResult(executed=False)
        headers = {
            str(h.get("name", "")).lower(): h.get("value") for h in answer.get("headers") or []
        }
        try:
            body = self._unwrap(
                int(answer.get("code", 500)), headers.get(USAGE_HEADER), answer.get("body")
            )
        except RoasloopError as error:
            return BatchResult(error=error)
        return BatchResult(body=body)

    def _unwrap(self, status: int, usage_header: str | None, text: Any) -> Any:
        usage = parse_usage(usage_header, self.account_id)
        self._observe(usage)
        try:
            body = json.loads(text) if isinstance(text, str | bytes) else text
        except ValueError as exc:
            kind = ServiceUnavailable if status >= 500 else InternalError
            raise kind(f"HTTP {status}: not JSON", details={"platform": "meta"}) from exc
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            raise classify(body["error"], status, usage)
        if status >= 500:
            raise ServiceUnavailable(f"HTTP {status}", details={"platform": "meta"})
        if status >= 400 or (isinstance(body, dict) and body.get("success") is False):
            raise InternalError(f"HTTP {status}", details={"platform": "meta"})
        return body

    def _observe(self, usage: Usage | None) -> None:
        if usage is not None:
            self.caller.limiter.observe_usage(self.bucket, usage.pct, usage.regain_seconds)


def _batch_entry(request: BatchRequest) -> JSONDict:
    encoded = urlencode(encode(request.params))
    entry: JSONDict = {"method": request.method, "relative_url": request.path}
    if request.method == "POST":
        entry["body"] = encoded
    elif encoded:
        entry["relative_url"] = f"{request.path}?{encoded}"
    if request.name:
        entry |= {"name": request.name, "omit_response_on_success": False}
    return entry
