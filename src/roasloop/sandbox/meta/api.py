"""Meta Graph / Marketing API, wire-compatible, over a :class:`SandboxWorld`.

Served under ``/v{N}.{M}/`` (any version; unversioned paths too) as the official SDK sends it:
token in the ``access_token`` query parameter (or ``Authorization: Bearer``), writes as form
fields with JSON-encoded nested values (JSON bodies accepted), ``{"id"}`` from creates and
``{"success": true}`` from updates, Graph's error object with HTTP 400 (500 for codes 1 and 2),
and ``X-Business-Use-Case-Usage`` on every response. Faults from the world's
:class:`FaultConfig`: ``rate_limit`` → 80004 (17 without an ad account) with usage at 100 %,
``system_error`` → transient code 2, ``slow``, ``lost_response`` (a write is applied, then
answered with code 2).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from roasloop.sandbox.meta import auth, delivery, objects, updates
from roasloop.sandbox.meta.batch import Outcome, run_batch
from roasloop.sandbox.meta.docs import (
    ACCOUNT,
    AD,
    ADSET,
    CAMPAIGN,
    CREATIVE,
    IMAGE,
    PAGE,
    PIXEL,
    VIDEO,
    Call,
    Caller,
    account_of,
    children,
    of_account,
    owned_node,
)
from roasloop.sandbox.meta.edges import list_edge
from roasloop.sandbox.meta.insights import insights
from roasloop.sandbox.meta.protocol import GraphError, invalid
from roasloop.sandbox.meta.usage import (
    INSIGHTS,
    MANAGEMENT,
    BudgetChangeLimiter,
    MetaQuota,
    UsageTracker,
    header,
    saturated,
)
from roasloop.sandbox.world import SandboxWorld

USAGE_HEADER = "X-Business-Use-Case-Usage"
VERSION = re.compile(r"^v\d+\.\d+$")
WRITE_METHODS = frozenset({"POST", "DELETE"})
Handler = Callable[[Call], Any]

ACCOUNT_CREATES: dict[str, Callable[[Call, dict[str, Any]], Any]] = {
    "campaigns": objects.create_campaign,
    "adsets": objects.create_adset,
    "adcreatives": objects.create_creative,
    "ads": objects.create_ad,
    "advideos": objects.upload_video,
    "adimages": objects.upload_image,
}
ACCOUNT_EDGES = {
    "campaigns": CAMPAIGN,
    "adsets": ADSET,
    "ads": AD,
    "adcreatives": CREATIVE,
    "advideos": VIDEO,
    "adimages": IMAGE,
    "adspixels": PIXEL,
    "promote_pages": PAGE,
}
NODE_EDGES = {
    (CAMPAIGN, "adsets"): (ADSET, "campaign_id"),
    (CAMPAIGN, "ads"): (AD, "campaign_id"),
    (ADSET, "ads"): (AD, "adset_id"),
}


@dataclass(frozen=True)
class MetaSandboxConfig:
    """Knobs of the Meta sandbox; defaults never throttle or expire anything in normal use."""

    quota: MetaQuota = field(default_factory=MetaQuota)
    #: Monotonic clock of the rate-limit windows (tests pass a fake one).
    monotonic: Callable[[], float] = time.monotonic
    #: ``None``: non-expiring tokens (system-user style); else tokens expire on the world clock.
    token_lifetime: timedelta | None = None


@dataclass(frozen=True, slots=True)
class _Bound:
    """A routed request: its handler, the ad account it uses and its business use case."""

    run: Handler
    account_id: str | None
    use_case: str = MANAGEMENT


def create_meta_app(world: SandboxWorld, config: MetaSandboxConfig | None = None) -> Starlette:
    """The ASGI app; serve it with uvicorn or call it through ``httpx.ASGITransport``."""
    graph = MetaGraph(world, config or MetaSandboxConfig())
    delivery.reconcile(world)
    methods = ["GET", "POST", "DELETE"]
    return Starlette(routes=[Route("/{path:path}", graph.endpoint, methods=methods)])


class MetaGraph:
    """Parses, authenticates, throttles and routes Graph requests of one world."""

    def __init__(self, world: SandboxWorld, config: MetaSandboxConfig) -> None:
        self.world = world
        self.config = config
        self.usage = UsageTracker(config.quota, config.monotonic)
        self.budget_changes = BudgetChangeLimiter(config.quota, config.monotonic)

    async def endpoint(self, request: Request) -> JSONResponse:
        self.world.catch_up()
        fault = self.world.draw_fault()
        if fault == "slow":
            await asyncio.sleep(self.world.faults.slow_seconds)
        try:
            outcome = await self._handle(request, fault)
        except GraphError as error:
            outcome = _error_outcome(error, {})
        if fault == "lost_response" and request.method in WRITE_METHODS and outcome.ok:
            outcome = _error_outcome(_system_error(), outcome.headers)
        return _respond(outcome)

    async def _handle(self, request: Request, fault: str | None) -> Outcome:
        params, files = await _parse(request)
        token, proof = _token(request, params), str(params.pop("appsecret_proof", ""))
        segments = _segments(request.path_params["path"])
        if segments[:2] == ["oauth", "access_token"]:
            return Outcome(200, auth.exchange(self.world, params, self.config.token_lifetime), {})
        caller = auth.authenticate(self.world, token, proof)
        if not segments and request.method == "POST":
            return self._batch(caller, params, fault, str(request.base_url).rstrip("/"))
        # Graph's ``paging.next`` repeats the token, so the link works as it stands.
        page_url = str(request.url.replace(query=urlencode({"access_token": token})))
        call = Call(
            self.world, caller, request.method, params, files, page_url, self.budget_changes
        )
        return self.execute(call, segments, fault)

    def execute(self, call: Call, segments: list[str], fault: str | None = None) -> Outcome:
        """Run one request (top level or batch item); usage is counted per ad account."""
        bound = self._route(call, segments)
        if fault == "rate_limit":
            entry = saturated(bound.use_case, self.config.quota.fault_regain_minutes)
            usage = header([(bound.account_id, entry)]) if bound.account_id else "{}"
            return _error_outcome(_throttle(bound.account_id), {USAGE_HEADER: usage})
        try:
            if fault == "system_error":
                raise _system_error()
            if bound.account_id is not None:
                self.usage.spend(bound.account_id, bound.use_case)
            body = bound.run(call)
        except GraphError as error:
            return _error_outcome(error, self._usage_headers(bound))
        return Outcome(200, body, self._usage_headers(bound))

    def _batch(
        self, caller: Caller, params: dict[str, Any], fault: str | None, base_url: str
    ) -> Outcome:
        if fault in ("rate_limit", "system_error"):
            return _error_outcome(
                _system_error() if fault == "system_error" else _throttle(None), {}
            )
        include = str(params.get("include_headers", "true")).lower() != "false"
        last: dict[str, str] = {}

        def run(method: str, path: str, item_params: dict[str, Any]) -> Outcome:
            token = item_params.pop("access_token", None)
            try:
                item_caller = auth.authenticate(self.world, token, "") if token else caller
                segments = _segments(path)
                url = f"{base_url}{path}"
                call = Call(
                    self.world, item_caller, method, item_params, {}, url, self.budget_changes
                )
                outcome = self.execute(call, segments)
            except GraphError as error:
                outcome = _error_outcome(error, {})
            last.update(outcome.headers)
            return outcome

        return Outcome(200, run_batch(params.get("batch"), run, include), last)

    def _usage_headers(self, bound: _Bound) -> dict[str, str]:
        if bound.account_id is None:
            return {}
        entry = self.usage.entry(bound.account_id, bound.use_case)
        return {USAGE_HEADER: header([(bound.account_id, entry)])}

    # --- routing -----------------------------------------------------------------------------
    def _route(self, call: Call, segments: list[str]) -> _Bound:
        world, method = self.world, call.method
        if segments == ["me"] and method == "GET":
            return _Bound(auth.me, None)
        if segments == ["me", "adaccounts"] and method == "GET":
            return _Bound(auth.my_accounts, None)
        if not segments or len(segments) > 2:
            raise _unknown_path(segments)
        if segments[0].startswith("act_"):
            account = account_of(world, call.caller, segments[0], method)
            return self._account_route(account, segments[1:], method)
        kind, doc = owned_node(world, call.caller, segments[0], method)
        account_id = str(doc["account_id"])
        if len(segments) == 1:
            return _Bound(_node_handler(method, kind, doc), account_id)
        edge = segments[1]
        if edge == "insights" and method == "GET" and kind in (CAMPAIGN, ADSET, AD):
            return _Bound(lambda c: insights(c, kind, doc), account_id, INSIGHTS)
        target = NODE_EDGES.get((kind, edge))
        if target is None or method != "GET":
            raise _unknown_path(segments)
        child_kind, parent_field = target
        return _Bound(
            lambda c: list_edge(
                world,
                child_kind,
                children(world, child_kind, parent_field, doc["id"]),
                c.params,
                c.page_url,
            ),
            account_id,
        )

    def _account_route(self, account: dict[str, Any], rest: list[str], method: str) -> _Bound:
        world, account_id = self.world, str(account["account_id"])
        if not rest:
            if method != "GET":
                raise _unknown_path(rest)
            return _Bound(lambda c: updates.read_node(c, ACCOUNT, account), account_id)
        edge = rest[0]
        if edge == "insights" and method == "GET":
            return _Bound(lambda c: insights(c, ACCOUNT, account), account_id, INSIGHTS)
        if method == "POST" and edge in ACCOUNT_CREATES:
            create = ACCOUNT_CREATES[edge]
            return _Bound(lambda c: create(c, account), account_id)
        if method == "GET" and edge in ACCOUNT_EDGES:
            kind = ACCOUNT_EDGES[edge]
            return _Bound(
                lambda c: list_edge(
                    world, kind, of_account(world, kind, account_id), c.params, c.page_url
                ),
                account_id,
            )
        raise _unknown_path(rest)


def _node_handler(method: str, kind: str, doc: dict[str, Any]) -> Handler:
    if method == "GET":
        return lambda c: updates.read_node(c, kind, doc)
    if method == "POST":
        return lambda c: updates.update_node(c, kind, doc)
    return lambda c: updates.delete_node(c, kind, doc)


# --- parsing and responses -----------------------------------------------------------------------
async def _parse(request: Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    params: dict[str, Any] = dict(request.query_params)
    files: dict[str, tuple[str, bytes]] = {}
    if request.method != "POST":
        return params, files
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        async with request.form() as form:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    files[key] = (value.filename or key, await value.read())
                else:
                    params[key] = value
        return params, files
    body = await request.body()
    if body:
        try:
            parsed = json.loads(body)
        except ValueError as exc:
            raise invalid("body", "The request body is not valid JSON") from exc
        if isinstance(parsed, dict):
            params |= parsed
    return params, files


def _token(request: Request, params: dict[str, Any]) -> str:
    token = str(params.pop("access_token", "") or "")
    bearer = request.headers.get("authorization", "")
    if not token and bearer.lower().startswith("bearer "):
        token = bearer[7:].strip()
    return token


def _segments(path: str) -> list[str]:
    parts = [p for p in path.split("?")[0].split("/") if p]
    return parts[1:] if parts and VERSION.match(parts[0]) else parts


def _respond(outcome: Outcome) -> JSONResponse:
    headers = {USAGE_HEADER: "{}", **outcome.headers}
    return JSONResponse(outcome.body, status_code=outcome.status, headers=headers)


def _error_outcome(error: GraphError, headers: dict[str, str]) -> Outcome:
    return Outcome(error.http_status, error.body(), headers)


def _system_error() -> GraphError:
    return GraphError(
        2, "An unexpected error has occurred. Please retry your request later.", transient=True
    )


def _throttle(account_id: str | None) -> GraphError:
    if account_id is None:
        return GraphError(17, "User request limit reached", subcode=2446079, transient=True)
    return GraphError(
        80004,
        "There have been too many calls to this ad-account. Wait a bit and try again.",
        transient=True,
    )


def _unknown_path(segments: list[str]) -> GraphError:
    return GraphError(2500, f"Unknown path components: /{'/'.join(segments)}")
