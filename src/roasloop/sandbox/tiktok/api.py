"""TikTok Marketing API v1.3, wire-compatible, over a :class:`SandboxWorld`.

Mounted at ``/open_api/v1.3/``: ``Access-Token`` header, trailing-slash paths, HTTP 200
with ``{code, message, request_id, data}`` for application results and errors, string ids,
list parameters of GET requests as JSON strings (a JSON body on GET is accepted too).
Faults (40100 rate limit, 50000 system error, slow and lost responses) are injected per
the world's :class:`FaultConfig`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import secrets
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from roasloop.sandbox.credentials import SANDBOX_APP_ID, SANDBOX_APP_SECRET
from roasloop.sandbox.tiktok import delivery, objects, reports
from roasloop.sandbox.tiktok.protocol import TikTokError, TokenRequest, parse, require
from roasloop.sandbox.world import SandboxWorld

PREFIX = "/open_api/v1.3"
#: GET parameters that TikTok sends as JSON-encoded strings.
JSON_QUERY_FIELDS = frozenset(
    {"filtering", "dimensions", "metrics", "advertiser_ids", "fields", "campaign_ids"}
)
WRITE_METHODS = frozenset({"POST"})


@dataclass
class Call:
    """One parsed request: its parameters, the token's advertisers and uploaded files."""

    params: dict[str, Any]
    advertiser_ids: tuple[str, ...] = ()
    files: dict[str, bytes] = field(default_factory=dict)


Handler = Callable[[SandboxWorld, Call], Any]


def create_tiktok_app(world: SandboxWorld) -> Starlette:
    """The ASGI app; serve it with uvicorn or call it through ``httpx.ASGITransport``."""
    table: list[tuple[str, str, Handler, bool]] = [
        ("POST", "/oauth2/access_token/", _access_token, False),
        ("GET", "/oauth2/advertiser/get/", _advertisers, True),
        ("POST", "/campaign/create/", objects.campaign_create, True),
        ("GET", "/campaign/get/", objects.campaign_get, True),
        ("POST", "/campaign/update/", objects.campaign_update, True),
        ("POST", "/campaign/status/update/", objects.campaign_status, True),
        ("POST", "/adgroup/create/", objects.adgroup_create, True),
        ("GET", "/adgroup/get/", objects.adgroup_get, True),
        ("POST", "/adgroup/update/", objects.adgroup_update, True),
        ("POST", "/adgroup/budget/update/", objects.adgroup_budget_update, True),
        ("POST", "/adgroup/status/update/", objects.adgroup_status, True),
        ("POST", "/ad/create/", objects.ad_create, True),
        ("GET", "/ad/get/", objects.ad_get, True),
        ("POST", "/ad/update/", objects.ad_update, True),
        ("POST", "/ad/status/update/", objects.ad_status, True),
        ("POST", "/file/video/ad/upload/", _video_upload, True),
        ("GET", "/report/integrated/get/", reports.integrated_get, True),
    ]
    routes = [
        Route(PREFIX + path, _endpoint(world, handler, authenticated), methods=[method])
        for method, path, handler, authenticated in table
    ]
    delivery.reconcile(world)
    return Starlette(routes=routes)


def _endpoint(
    world: SandboxWorld, handler: Handler, authenticated: bool
) -> Callable[[Request], Awaitable[JSONResponse]]:
    async def endpoint(request: Request) -> JSONResponse:
        request_id = _request_id()
        try:
            data = await _handle(world, handler, authenticated, request)
        except TikTokError as error:
            return _envelope(error.code, error.message, request_id, {})
        return _envelope(0, "OK", request_id, data)

    return endpoint


async def _handle(
    world: SandboxWorld, handler: Handler, authenticated: bool, request: Request
) -> Any:
    world.catch_up()
    fault = world.draw_fault()
    if fault == "rate_limit":
        raise TikTokError(40100, "Too many requests. Please retry in some time.")
    if fault == "system_error":
        raise TikTokError(50000, "System error. Please retry later.")
    if fault == "slow":
        await asyncio.sleep(world.faults.slow_seconds)
    call = await _parse(request)
    if authenticated:
        call.advertiser_ids = _authenticate(world, request)
        _check_advertiser(call)
    data = handler(world, call)
    if fault == "lost_response" and request.method in WRITE_METHODS:
        raise TikTokError(50000, "System error. Please retry later.")
    return data


async def _parse(request: Request) -> Call:
    if request.method == "GET":
        params: dict[str, Any] = {k: _decode_query(k, v) for k, v in request.query_params.items()}
        body = await request.body()
        if body:
            params |= _json_object(body)
        return Call(params)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        return await _parse_form(request)
    return Call(_json_object(await request.body()))


async def _parse_form(request: Request) -> Call:
    params: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    async with request.form() as form:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                files[key] = await value.read()
                params.setdefault("file_name", value.filename)
            else:
                params[key] = value
    return Call(params, files=files)


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(body)
    except ValueError as exc:
        raise TikTokError(40002, "body: invalid JSON") from exc
    require(isinstance(parsed, dict), "body", "must be a JSON object")
    return dict(parsed)


def _decode_query(key: str, value: str) -> Any:
    if key in JSON_QUERY_FIELDS or value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError as exc:
            raise TikTokError(40002, f"{key}: must be a JSON-encoded value") from exc
    return value


def _authenticate(world: SandboxWorld, request: Request) -> tuple[str, ...]:
    token = request.headers.get("Access-Token", "")
    if not token:
        raise TikTokError(
            40104,
            "Access token is null, you should set it in http header with key Access-Token.",
        )
    doc = world.get("token", _token_key(token))
    if doc is None:
        raise TikTokError(40105, "Access token is incorrect or has been revoked.")
    return tuple(doc["advertiser_ids"])


def _check_advertiser(call: Call) -> None:
    advertiser = call.params.get("advertiser_id")
    if advertiser is not None and str(advertiser) not in call.advertiser_ids:
        raise TikTokError(40001, f"No permission to operate advertiser {advertiser}.")


def _access_token(world: SandboxWorld, call: Call) -> dict[str, Any]:
    body = parse(TokenRequest, call.params)
    if body.app_id != SANDBOX_APP_ID or body.secret != SANDBOX_APP_SECRET:
        raise TikTokError(40101, "app_id or secret is invalid.")
    code_doc = world.get("auth_code", body.auth_code)
    if code_doc is None:
        advertiser_id = world.next_id("advertiser", body.app_id, body.auth_code)
        world.put(
            "advertiser",
            advertiser_id,
            {"advertiser_id": advertiser_id, "advertiser_name": f"Sandbox {body.auth_code}"},
        )
        code_doc = world.put("auth_code", body.auth_code, {"advertiser_id": advertiser_id})
    token = secrets.token_hex(20)
    advertiser_ids = [code_doc["advertiser_id"]]
    world.put("token", _token_key(token), {"advertiser_ids": advertiser_ids})
    return {
        "access_token": token,
        "advertiser_ids": advertiser_ids,
        "scope": ["ad.read", "ad.write", "report.read"],
    }


def _advertisers(world: SandboxWorld, call: Call) -> dict[str, Any]:
    require(call.params.get("app_id") == SANDBOX_APP_ID, "app_id", "invalid app_id")
    require(call.params.get("secret") == SANDBOX_APP_SECRET, "secret", "invalid secret")
    found = [world.get("advertiser", a) for a in call.advertiser_ids]
    return {"list": [a for a in found if a is not None]}


def _video_upload(world: SandboxWorld, call: Call) -> list[dict[str, Any]]:
    params = call.params
    upload_type = params.get("upload_type", "UPLOAD_BY_FILE")
    require(upload_type in ("UPLOAD_BY_FILE", "UPLOAD_BY_URL"), "upload_type", "unsupported")
    if upload_type == "UPLOAD_BY_FILE":
        content = call.files.get("video_file")
        require(content is not None, "video_file", "field required")
        assert content is not None
        signature = hashlib.md5(content, usedforsecurity=False).hexdigest()
        if params.get("video_signature") != signature:
            raise TikTokError(40900, "video_signature: does not match the file's MD5.")
        size = len(content)
    else:
        require(str(params.get("video_url", "")).startswith("http"), "video_url", "invalid URL")
        signature = hashlib.md5(params["video_url"].encode(), usedforsecurity=False).hexdigest()
        size = 0
    file_name = str(params.get("file_name", ""))
    advertiser = str(params.get("advertiser_id"))
    video_id = "v10033g50000" + world.next_id("video", advertiser, file_name + signature)
    video = {
        "video_id": video_id,
        "file_name": str(params.get("file_name", video_id)),
        "signature": signature,
        "size": size,
        "width": 1080,
        "height": 1920,
        "duration": 15.0,
        "format": "mp4",
        "advertiser_id": str(params.get("advertiser_id")),
        "material_id": video_id.removeprefix("v10033g50000"),
    }
    world.put("video", video_id, video)
    return [video]


def _envelope(code: int, message: str, request_id: str, data: Any) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "request_id": request_id, "data": data})


def _request_id() -> str:
    return uuid.uuid4().hex.upper()


def _token_key(token: str) -> str:
    """Tokens are stored hashed: the sandbox file never holds one in clear text."""
    return hashlib.sha256(token.encode()).hexdigest()
