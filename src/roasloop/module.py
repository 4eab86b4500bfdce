"""The module API: ``await CampaignAutomation(settings).execute(action, parameters, context)``.

Returns the seed's response dicts. Every response carries ``request_id`` and ``mode``
(``sandbox`` or ``live``); errors use the seed's format and name the offending field.
Invalid input is rejected before anything is written.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from difflib import get_close_matches
from typing import Any

import structlog
from pydantic import BaseModel, ValidationError

from roasloop.actions import ACTIONS
from roasloop.actions.base import JSON, MAX_TEXT, WithPlatform
from roasloop.actions.campaigns import ManageCampaignParams
from roasloop.bootstrap import Runtime, build_runtime
from roasloop.config import Settings
from roasloop.errors import (
    InternalError,
    InvalidParameter,
    RoasloopError,
    error_response,
    invalid_input,
)
from roasloop.observability import bind_request, clear_request, configure_logging
from roasloop.services.common import Deps, RequestContext, new_id
from roasloop.translations import N_

log = structlog.get_logger(__name__)


class CampaignAutomation:
    """The seed's module: one ``execute`` entry point over the action registry.

    Build it with settings (everything else comes from the composition root) or with a
    ready :class:`~roasloop.bootstrap.Runtime` (tests, the demo). Use ``async with`` or
    call :meth:`aclose` to release connections.
    """

    def __init__(self, settings: Settings | None = None, *, runtime: Runtime | None = None) -> None:
        self.settings = runtime.deps.settings if runtime else (settings or Settings())
        self._runtime = runtime
        if runtime is None:
            s = self.settings
            configure_logging(s.log_level, s.log_format, s.secret_values())

    async def __aenter__(self) -> CampaignAutomation:
        await self.runtime()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def runtime(self) -> Runtime:
        if self._runtime is None:
            self._runtime = await build_runtime(self.settings)
        return self._runtime

    async def aclose(self) -> None:
        if self._runtime is not None:
            await self._runtime.aclose()
            self._runtime = None

    async def execute(self, action: Any, parameters: Any, context: Any) -> JSON:
        """Run one action; never raises, whatever the caller passes (any types at all)."""
        started = time.perf_counter()
        request_id = _request_id(context)
        try:
            runtime = await self.runtime()
        except Exception as exc:  # no store or sandbox to serve with: say so, never raise
            return self._unavailable(exc, request_id, context)
        deps = runtime.deps
        name = action if isinstance(action, str) and action in ACTIONS else "unknown"
        bind_request(
            request_id=request_id,
            user_id=_user(context),
            action=name,
            platform=_platform(parameters),
        )
        try:
            ctx = self._context(context, request_id)
            result = await self._run(deps, ctx, action, parameters)
            response = {**result, "request_id": request_id, "mode": deps.mode}
            response["message"] = _message(response, ctx.locale)
            status = "success"
        except RoasloopError as error:
            response, status = self._error(deps, error, request_id, context), "error"
        except Exception:  # the boundary: log it, never show a stack trace to the caller
            log.exception("unexpected_error")
            internal = InternalError("unexpected error; see the server log")
            response, status = self._error(deps, internal, request_id, context), "error"
        finally:
            clear_request()
        runtime.metrics.requests.labels(action=name, status=status).inc()
        runtime.metrics.duration.labels(action=name).observe(time.perf_counter() - started)
        return response

    async def _run(self, deps: Deps, ctx: RequestContext, action: str, parameters: Any) -> JSON:
        spec = ACTIONS.get(action) if isinstance(action, str) else None
        if spec is None:
            raise _unknown_action(action)
        if not isinstance(parameters, Mapping):
            raise InvalidParameter("parameters", N_("must be an object"))
        raw = dict(parameters)
        _refuse_nul(raw, "")
        if spec.params is ManageCampaignParams:
            raw = ManageCampaignParams.from_raw(raw)
        return await spec.handler(deps, ctx, _validate(spec.params, raw))

    def _context(self, context: Any, request_id: str) -> RequestContext:
        if not isinstance(context, Mapping):
            raise InvalidParameter("context", N_("must be an object with user_id"))
        user = _tenant(context.get("user_id"))
        locale = context.get("locale") or self.settings.locale
        if locale not in ("en", "zh-CN"):
            raise InvalidParameter("context.locale", N_("must be en or zh-CN"))
        return RequestContext(tenant_id=user, request_id=request_id, locale=locale)

    def _error(self, deps: Deps, error: RoasloopError, request_id: str, context: Any) -> JSON:
        log.error(
            "action_failed", error_code=error.code, error_type=error.type, details=error.details
        )
        return error_response(
            error,
            request_id=request_id,
            now=deps.clock.now(),
            locale=self._locale(context),
            mode=deps.mode,
        )

    def _unavailable(self, exc: Exception, request_id: str, context: Any) -> JSON:
        log.error("runtime_unavailable", exc_info=exc)
        error = exc if isinstance(exc, RoasloopError) else InternalError("see the server log")
        return error_response(
            error,
            request_id=request_id,
            now=datetime.now(UTC),
            locale=self._locale(context),
            mode=self.settings.platform_mode.value,
        )

    def _locale(self, context: Any) -> str:
        locale = context.get("locale") if isinstance(context, Mapping) else None
        return locale if locale in ("en", "zh-CN") else self.settings.locale


def _validate(model: type[BaseModel], raw: dict[str, Any]) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise invalid_input(exc, "parameters") from None


def _refuse_nul(value: Any, path: str) -> None:
    """Refuse a NUL character anywhere in the parameters, keys included: PostgreSQL stores
    no NUL in text or JSON, so it would otherwise fail inside the store."""
    if isinstance(value, str) and "\x00" in value:
        raise InvalidParameter(path or "parameters", "NUL", detail_key="check_printable")
    if isinstance(value, Mapping):
        for key, item in value.items():
            field = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and "\x00" in key:
                raise InvalidParameter(path or "parameters", "NUL", detail_key="check_printable")
            _refuse_nul(item, field)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _refuse_nul(item, f"{path}[{index}]")


def _unknown_action(action: Any) -> InvalidParameter:
    """Name the closest action when the caller seems to have mistyped one."""
    close = get_close_matches(action, list(ACTIONS), n=1) if isinstance(action, str) else []
    shown = repr((action if isinstance(action, str) else type(action).__name__)[:80])
    if close:
        return InvalidParameter(
            "action",
            N_("unknown action {action}; did you mean {close}?"),
            detail_params={"action": shown, "close": repr(close[0])},
        )
    return InvalidParameter(
        "action",
        N_("unknown action {action}; one of {known}"),
        detail_params={"action": shown, "known": ", ".join(ACTIONS)},
    )


def _tenant(user: Any) -> str:
    """The tenant id exactly as given: " alice" or "alice\\n" is refused, never read as "alice"."""
    if not isinstance(user, str) or not user.strip():
        raise InvalidParameter("context.user_id", N_("a non-empty user_id is required"))
    if user != user.strip() or any(unicodedata.category(c) == "Cc" for c in user):
        raise InvalidParameter(
            "context.user_id", N_("must not have surrounding spaces or control characters")
        )
    if len(user) > MAX_TEXT:
        raise InvalidParameter(
            "context.user_id", N_("at most {limit} characters"), detail_params={"limit": MAX_TEXT}
        )
    return user


def _request_id(context: Any) -> str:
    given = context.get("request_id") if isinstance(context, Mapping) else None
    if isinstance(given, str) and 0 < len(given) <= MAX_TEXT and given.isprintable():
        return given
    return new_id("req")


def _user(context: Any) -> Any:
    return context.get("user_id") if isinstance(context, Mapping) else None


def _platform(parameters: Any) -> Any:
    if isinstance(parameters, Mapping):
        return parameters.get("platform", WithPlatform.model_fields["platform"].default.value)
    return None


def _message(response: JSON, locale: str) -> str:
    messages = response.get("messages")
    if isinstance(messages, Mapping):
        return str(messages.get(locale) or messages.get("en") or "")
    return ""
