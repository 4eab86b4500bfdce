"""Shared retry policy for every platform adapter.

The seed's policy (000 "重试策略"): at most 3 attempts, exponential backoff 1 s, 2 s, 4 s
capped at 30 s, 30 s timeout per request, and only retryable errors are retried.
Adapters translate wire failures into :class:`roasloop.errors.RoasloopError` first; this
module decides whether to try again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx
import structlog
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
)

from roasloop.errors import RoasloopError, ServiceUnavailable

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to wait; ``sleep`` is injectable so tests do not wait."""

    max_attempts: int = 3
    base_delay: float = 1.0
    max_delay: float = 30.0
    timeout: float = 30.0
    sleep: Sleep = asyncio.sleep

    def delay_for(self, attempt: int, hint: float | None = None) -> float:
        """Wait before retry number ``attempt`` (1-based): 1, 2, 4 … capped; a hint wins."""
        if hint is not None:
            return min(max(hint, 0.0), self.max_delay)
        return float(min(self.base_delay * (2 ** (attempt - 1)), self.max_delay))


def is_retryable(error: BaseException) -> bool:
    """Timeouts, connection errors and errors our classifiers mark retryable."""
    if isinstance(error, RoasloopError):
        return error.retryable
    return isinstance(error, httpx.TimeoutException | httpx.TransportError)


def as_roasloop_error(error: BaseException, platform: str) -> RoasloopError:
    """Turn a leftover httpx failure into ``ServiceUnavailable`` (4000)."""
    if isinstance(error, RoasloopError):
        return error
    kind = "timeout" if isinstance(error, httpx.TimeoutException) else "connection error"
    return ServiceUnavailable(f"{platform} {kind}", details={"platform": platform})


async def call_with_retry(
    policy: RetryPolicy, platform: str, operation: str, call: Callable[[], Awaitable[T]]
) -> T:
    """Run ``call`` under ``policy``; raise a ``RoasloopError`` with ``details.attempts``."""

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        hint = error.retry_after if isinstance(error, RoasloopError) else None
        return policy.delay_for(state.attempt_number, hint)

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning(
            "platform_call_retry",
            platform=platform,
            operation=operation,
            attempt=state.attempt_number,
            error_type=type(error).__name__,
        )

    retrying = AsyncRetrying(
        stop=stop_after_attempt(policy.max_attempts),
        wait=wait,
        retry=retry_if_exception(is_retryable),
        sleep=policy.sleep,
        before_sleep=before_sleep,
        reraise=True,
    )
    attempts = 0
    try:
        async for attempt in retrying:
            with attempt:
                attempts = attempt.retry_state.attempt_number
                return await call()
    except RoasloopError as error:
        error.with_details(attempts=attempts, operation=operation)
        raise
    except (httpx.TimeoutException, httpx.TransportError) as error:
        translated = as_roasloop_error(error, platform)
        raise translated.with_details(attempts=attempts, operation=operation) from error
    raise AssertionError("unreachable")  # pragma: no cover
