"""Shared retry policy for every platform adapter.

The seed's policy (000 "重试策略"): at most 3 attempts, backoff from 1 s doubling up to
30 s, 30 s timeout per request, and only retryable errors are retried. Adapters translate
wire failures into :class:`roasloop.errors.RoasloopError` first; this module decides
whether to try again, and paces calls with the rate limiter and circuit breaker.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeVar

import httpx
import structlog
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from roasloop.errors import RoasloopError, ServiceUnavailable
from roasloop.platforms.resilience import CircuitBreaker, RateLimiter

if TYPE_CHECKING:
    from roasloop.config import Settings

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to wait; ``sleep`` is injectable so tests do not wait.

    ``backoff`` is a named policy: ``full_jitter`` (default: a uniform wait up to the
    exponential ceiling, so retries of many clients spread out) or ``exponential`` (the
    seed's fixed 1 s, 2 s, 4 s … steps). A platform's retry hint always wins.
    """

    max_attempts: int = 3
    base_delay: float = 1.0
    max_delay: float = 30.0
    timeout: float = 30.0
    backoff: str = "full_jitter"
    sleep: Sleep = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random, compare=False)

    @classmethod
    def from_settings(cls, settings: Settings, sleep: Sleep | None = None) -> RetryPolicy:
        """The policy the settings name (``ROASLOOP_RETRY_*``, timeout, backoff)."""
        policy = cls(
            max_attempts=settings.retry_max_attempts,
            base_delay=settings.retry_base_delay_seconds,
            max_delay=settings.retry_max_delay_seconds,
            timeout=settings.request_timeout_seconds,
            backoff=settings.backoff,
        )
        return policy if sleep is None else replace(policy, sleep=sleep)

    def delay_for(self, attempt: int, hint: float | None = None) -> float:
        """Wait before retry number ``attempt`` (1-based)."""
        if hint is not None:
            return min(max(hint, 0.0), self.max_delay)
        ceiling = float(min(self.base_delay * (2 ** (attempt - 1)), self.max_delay))
        return ceiling if self.backoff == "exponential" else self.rng.uniform(0.0, ceiling)


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


@dataclass
class PlatformCaller:
    """Every platform call of one account goes through here: rate limit, breaker, retries.

    Retryable failures (timeouts, connection errors, rate limits, 5xx) are retried up to
    ``policy.max_attempts`` times and count against the account's circuit breaker; while
    the breaker is open calls fail fast with 4000 and ``retry_after``.
    """

    platform: str
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    limiter: RateLimiter = field(default_factory=RateLimiter)
    breaker: CircuitBreaker | None = None
    buckets: tuple[str, ...] = ()

    async def call(
        self, operation: str, fn: Callable[[], Awaitable[T]], *, buckets: tuple[str, ...] = ()
    ) -> T:
        """Run ``fn`` under the policy; raise a ``RoasloopError`` with ``details.attempts``."""
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.policy.max_attempts),
            wait=self._wait,
            retry=retry_if_exception(is_retryable),
            sleep=self.policy.sleep,
            before_sleep=lambda state: self._log_retry(operation, state),
            reraise=True,
        )
        attempts = 0
        try:
            async for attempt in retrying:
                with attempt:
                    attempts = attempt.retry_state.attempt_number
                    return await self._once(fn, buckets)
        except RoasloopError as error:
            error.with_details(attempts=attempts, operation=operation)
            raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def _once(self, fn: Callable[[], Awaitable[T]], buckets: tuple[str, ...]) -> T:
        if self.breaker is not None:
            self.breaker.before_call()
        await self.limiter.acquire(*self.buckets, *buckets)
        try:
            result = await fn()
        except (RoasloopError, httpx.TimeoutException, httpx.TransportError) as raw:
            error = as_roasloop_error(raw, self.platform)
            if error.retryable and self.breaker is not None:
                self.breaker.record_failure()
            if error is raw:
                raise
            raise error from raw
        if self.breaker is not None:
            self.breaker.record_success()
        return result

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        hint = error.retry_after if isinstance(error, RoasloopError) else None
        return self.policy.delay_for(state.attempt_number, hint)

    def _log_retry(self, operation: str, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning(
            "platform_call_retry",
            platform=self.platform,
            operation=operation,
            attempt=state.attempt_number,
            error_code=getattr(error, "code", None),
        )


async def call_with_retry(
    policy: RetryPolicy, platform: str, operation: str, call: Callable[[], Awaitable[T]]
) -> T:
    """Retries only (no limiter, no breaker): for one-off calls such as the OAuth exchange."""
    return await PlatformCaller(platform, policy).call(operation, call)
