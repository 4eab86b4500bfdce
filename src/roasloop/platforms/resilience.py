"""Rate limiting and circuit breaking shared by every platform adapter.

Token buckets hold each platform's documented request rates (TikTok: 10 QPS per app and
5 QPS for ad creation; Meta: adaptive from ``X-Business-Use-Case-Usage``; Google: no
proactive limit, 429s are backed off). A circuit breaker per platform + account fails
fast with error 4000 while a platform keeps failing and says when to retry.

Time comes from an injectable monotonic clock and waits from an injectable sleep, so both
are tested without waiting.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from roasloop.errors import ServiceUnavailable


class CircuitOpen(ServiceUnavailable):
    """4000 while a platform keeps failing; not retried here: ``retry_after`` says when."""

    retryable = False


Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

#: Meta: slow down above 75% of a business-use-case quota, and more as it nears 100%
#: (https://developers.facebook.com/docs/marketing-api/overview/rate-limiting).
META_SLOWDOWN_USAGE_PCT = 75
#: Pace kept at 75% usage, falling linearly to ``MIN_PACE`` at 100%.
SLOWDOWN_PACE, MIN_PACE = 0.25, 0.02


@dataclass
class TokenBucket:
    """``rate`` tokens per second, at most ``capacity`` saved up; ``rate <= 0`` means unlimited."""

    rate: float
    capacity: float
    clock: Monotonic = time.monotonic
    tokens: float = field(init=False)
    updated: float = field(init=False)
    blocked_until: float = field(default=0.0, init=False)
    slowdown: float = field(default=1.0, init=False)

    def __post_init__(self) -> None:
        self.tokens = self.capacity
        self.updated = self.clock()

    def wait_time(self) -> float:
        """Seconds until one token is available (0 when it is available now)."""
        now = self.clock()
        self._refill(now)
        blocked = max(0.0, self.blocked_until - now)
        if self.rate <= 0 or self.tokens >= 1:
            return blocked
        return max(blocked, (1 - self.tokens) / (self.rate * self.slowdown))

    def take(self) -> None:
        self._refill(self.clock())
        if self.rate > 0:
            self.tokens -= 1

    def block_for(self, seconds: float) -> None:
        self.blocked_until = max(self.blocked_until, self.clock() + seconds)

    def _refill(self, now: float) -> None:
        if self.rate > 0:
            gained = (now - self.updated) * self.rate * self.slowdown
            self.tokens = min(self.capacity, self.tokens + gained)
        self.updated = now


class RateLimiter:
    """Named token buckets; ``acquire`` waits (with the injected sleep) for each in turn."""

    def __init__(self, clock: Monotonic = time.monotonic, sleep: Sleep = asyncio.sleep) -> None:
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = asyncio.Lock()

    def configure(self, name: str, rate: float, capacity: float | None = None) -> TokenBucket:
        if name not in self._buckets:
            self._buckets[name] = TokenBucket(rate, capacity or max(rate, 1.0), self._clock)
        return self._buckets[name]

    def bucket(self, name: str) -> TokenBucket:
        return self._buckets.get(name) or self.configure(name, 0.0)

    async def acquire(self, *names: str) -> float:
        """Take one token from each named bucket; return the seconds waited."""
        waited = 0.0
        async with self._lock:
            for name in names:
                bucket = self.bucket(name)
                delay = bucket.wait_time()
                if delay > 0:  # one wait suffices; looping could spin on rounding error
                    await self._sleep(delay)
                    waited += delay
                bucket.take()
        return waited

    def observe_usage(self, name: str, usage_pct: float, regain_seconds: float) -> None:
        """Meta's usage header: full pace below 75 %, slower towards 100 %, none while blocked."""
        bucket = self.bucket(name)
        bucket.slowdown = usage_pace(usage_pct)
        if regain_seconds > 0:
            bucket.block_for(regain_seconds)


def usage_pace(usage_pct: float) -> float:
    """Share of the normal request rate to keep at ``usage_pct`` of the quota."""
    if usage_pct < META_SLOWDOWN_USAGE_PCT:
        return 1.0
    left = max(0.0, 100.0 - usage_pct) / (100.0 - META_SLOWDOWN_USAGE_PCT)
    return max(MIN_PACE, SLOWDOWN_PACE * left)


@dataclass
class CircuitBreaker:
    """Opens after ``threshold`` consecutive retryable failures; half-opens after ``cooldown``.

    While open every call fails fast with ``ServiceUnavailable`` (4000) whose
    ``retry_after`` says when the breaker will let a trial call through.
    """

    name: str
    threshold: int = 5
    cooldown: float = 30.0
    clock: Monotonic = time.monotonic
    failures: int = 0
    opened_at: float | None = None

    def before_call(self) -> None:
        if self.opened_at is None:
            return
        remaining = self.opened_at + self.cooldown - self.clock()
        if remaining > 0:
            raise CircuitOpen(
                f"{self.name} is failing; calls are paused",
                details={"circuit": "open", "breaker": self.name},
                retry_after=round(remaining, 3),
            )

    def record_success(self) -> None:
        self.failures = 0
        self.opened_at = None

    def record_failure(self) -> None:
        self.failures += 1
        if self.failures >= self.threshold or self.opened_at is not None:
            self.opened_at = self.clock()

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "open" if self.clock() < self.opened_at + self.cooldown else "half_open"


class BreakerBoard:
    """One breaker per platform + account, created on first use."""

    def __init__(
        self, threshold: int = 5, cooldown: float = 30.0, clock: Monotonic = time.monotonic
    ) -> None:
        self._threshold, self._cooldown, self._clock = threshold, cooldown, clock
        self._breakers: dict[str, CircuitBreaker] = {}

    def for_key(self, name: str) -> CircuitBreaker:
        if name not in self._breakers:
            self._breakers[name] = CircuitBreaker(
                name, self._threshold, self._cooldown, self._clock
            )
        return self._breakers[name]
