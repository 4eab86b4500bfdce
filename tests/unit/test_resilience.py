"""Retry policies, token buckets and the circuit breaker, on a fake clock."""

from __future__ import annotations

import random

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roasloop.errors import InvalidParameter, RateLimited, ServiceUnavailable
from roasloop.platforms.resilience import CircuitBreaker, CircuitOpen, RateLimiter
from roasloop.platforms.transport import PlatformCaller, RetryPolicy
from tests.fakes import FakeTime


def test_seed_exponential_policy_waits_1_2_4_capped() -> None:
    policy = RetryPolicy(backoff="exponential", max_delay=30)
    assert [policy.delay_for(n) for n in range(1, 7)] == [1, 2, 4, 8, 16, 30]
    assert policy.delay_for(1, hint=7.5) == 7.5


@given(attempt=st.integers(1, 10), seed=st.integers(0, 10_000))
@settings(max_examples=200)
def test_full_jitter_stays_under_the_exponential_ceiling(attempt: int, seed: int) -> None:
    policy = RetryPolicy(rng=random.Random(seed))
    assert 0 <= policy.delay_for(attempt) <= min(2 ** (attempt - 1), 30)


async def test_token_bucket_paces_to_the_rate() -> None:
    time = FakeTime(0.0)
    limiter = RateLimiter(clock=time, sleep=time.sleep)
    limiter.configure("tiktok:ad_create", 5.0)
    for _ in range(20):
        await limiter.acquire("tiktok:ad_create")
    # 5 burst tokens, then one every 0.2 s: 15 more take 3 s.
    assert time.now == pytest.approx(3.0)


async def test_meta_usage_header_slows_then_blocks() -> None:
    time = FakeTime(0.0)
    limiter = RateLimiter(clock=time, sleep=time.sleep)
    limiter.configure("meta:act_1", 10.0, capacity=1)
    await limiter.acquire("meta:act_1")
    limiter.observe_usage("meta:act_1", usage_pct=80, regain_seconds=0)
    await limiter.acquire("meta:act_1")
    assert time.now == pytest.approx(0.5)  # at 80 %: a fifth of the pace (2 per second)
    limiter.observe_usage("meta:act_1", usage_pct=50, regain_seconds=0)
    before = time.now
    await limiter.acquire("meta:act_1")
    assert time.now - before == pytest.approx(0.1)  # back to full pace below 75 %
    limiter.observe_usage("meta:act_1", usage_pct=100, regain_seconds=60)
    await limiter.acquire("meta:act_1")
    assert time.now >= 60


def test_breaker_opens_fails_fast_and_half_opens() -> None:
    time = FakeTime(0.0)
    breaker = CircuitBreaker("tiktok:1", threshold=3, cooldown=30, clock=time)
    for _ in range(3):
        breaker.before_call()
        breaker.record_failure()
    with pytest.raises(CircuitOpen) as caught:
        breaker.before_call()
    assert caught.value.code == "4000" and caught.value.retry_after == 30
    time.now = 31
    assert breaker.state == "half_open"
    breaker.before_call()  # the trial call goes through
    breaker.record_failure()  # and fails: open again at once
    assert breaker.state == "open"
    time.now = 62
    breaker.before_call()
    breaker.record_success()
    assert breaker.state == "closed"


async def test_caller_retries_counts_breaker_and_stops_on_non_retryable() -> None:
    time = FakeTime(0.0)
    breaker = CircuitBreaker("tiktok:1", threshold=3, cooldown=30, clock=time)
    policy = RetryPolicy(backoff="exponential", sleep=time.sleep)
    caller = PlatformCaller("tiktok", policy, RateLimiter(clock=time, sleep=time.sleep), breaker)
    calls = 0

    async def flaky() -> str:
        nonlocal calls
        calls += 1
        if calls < 3:
            raise httpx.ConnectError("down")
        return "ok"

    assert await caller.call("op", flaky) == "ok"
    assert time.sleeps == [1, 2] and breaker.failures == 0

    async def rejected() -> str:
        raise InvalidParameter("budget", "too low")

    with pytest.raises(InvalidParameter) as caught:
        await caller.call("op", rejected)
    assert caught.value.details["attempts"] == 1

    async def throttled() -> str:
        raise RateLimited("slow down", retry_after=5)

    with pytest.raises(RateLimited):
        await caller.call("op", throttled)
    assert breaker.state == "open"
    with pytest.raises(ServiceUnavailable) as fast:
        await caller.call("op", flaky)
    assert fast.value.details["circuit"] == "open"
