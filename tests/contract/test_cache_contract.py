"""The Cache contract, run on MemoryCache and a real Redis (see the ``cache`` fixture)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
import redis.asyncio as aioredis

from roasloop.errors import InvalidParameter, ServiceUnavailable
from roasloop.ports.cache import Cache
from roasloop.ports.clock import SimulatedClock
from roasloop.store import MemoryCache, RedisCache


async def let_time_pass(cache: Cache, clock: SimulatedClock, seconds: float) -> None:
    """Advance the simulated clock, or really wait for Redis (the one test that sleeps)."""
    if isinstance(cache, MemoryCache):
        clock.advance(timedelta(seconds=seconds))
    else:
        await asyncio.sleep(seconds)


async def test_missing_keys_read_as_none(cache: Cache) -> None:
    assert await cache.get("never-set") is None


async def test_set_then_get_and_overwrite(cache: Cache) -> None:
    await cache.set("k", "v1", ttl_seconds=60)
    assert await cache.get("k") == "v1"
    await cache.set("k", '中文 ✓ {"json": [1]}', ttl_seconds=60)
    assert await cache.get("k") == '中文 ✓ {"json": [1]}'
    await cache.set("empty", "", ttl_seconds=60)
    assert await cache.get("empty") == ""


async def test_delete_removes_and_never_raises_for_missing(cache: Cache) -> None:
    await cache.set("k", "v", ttl_seconds=60)
    await cache.delete("k")
    await cache.delete("k")
    await cache.delete("never-set")
    assert await cache.get("k") is None


async def test_keys_expire_after_their_ttl(cache: Cache, clock: SimulatedClock) -> None:
    await cache.set("short", "v", ttl_seconds=1)
    await cache.set("long", "v", ttl_seconds=3600)
    await let_time_pass(cache, clock, 1.2)
    assert await cache.get("short") is None
    assert await cache.get("long") == "v"


async def test_overwriting_restarts_the_ttl(cache: Cache, clock: SimulatedClock) -> None:
    await cache.set("k", "old", ttl_seconds=1)
    await cache.set("k", "new", ttl_seconds=3600)
    if isinstance(cache, MemoryCache):
        clock.advance(timedelta(seconds=5))
    assert await cache.get("k") == "new"


@pytest.mark.parametrize("ttl", [0, -1])
async def test_ttl_below_one_second_is_refused(cache: Cache, ttl: int) -> None:
    with pytest.raises(InvalidParameter) as caught:
        await cache.set("k", "v", ttl_seconds=ttl)
    assert caught.value.field == "ttl_seconds"
    assert await cache.get("k") is None


# --- MemoryCache --------------------------------------------------------------------------
async def test_memory_cache_expires_exactly_at_the_ttl(clock: SimulatedClock) -> None:
    cache = MemoryCache(clock)
    await cache.set("k", "v", ttl_seconds=10)
    clock.advance(timedelta(seconds=9, microseconds=999_999))
    assert await cache.get("k") == "v"
    clock.advance(timedelta(microseconds=1))
    assert await cache.get("k") is None


async def test_memory_cache_sweeps_expired_keys_as_it_grows(clock: SimulatedClock) -> None:
    cache = MemoryCache(clock)
    for n in range(2000):
        await cache.set(f"old-{n}", "v", ttl_seconds=1)
    clock.advance(timedelta(seconds=2))
    for n in range(1100):
        await cache.set(f"new-{n}", "v", ttl_seconds=60)
    assert len(cache) <= 1100 + 1024
    assert await cache.get("new-0") == "v"


# --- RedisCache ---------------------------------------------------------------------------
@pytest.mark.redis
async def test_redis_cache_sets_ttl_and_prefix(redis_url: str) -> None:
    prefix = f"roasloop-test:{uuid.uuid4().hex}:"
    cache = RedisCache.from_url(redis_url, prefix=prefix)
    raw = aioredis.Redis.from_url(redis_url, decode_responses=True)
    try:
        await cache.set("k", "v", ttl_seconds=300)
        assert await raw.get(prefix + "k") == "v"
        assert 0 < await raw.ttl(prefix + "k") <= 300
        assert await raw.get("k") is None
    finally:
        await raw.delete(prefix + "k")
        await raw.aclose()
        await cache.close()


async def test_unreachable_redis_is_service_unavailable_without_password() -> None:
    cache = RedisCache.from_url("redis://:hunter2-secret@127.0.0.1:1/0")
    try:
        for call in (cache.get("k"), cache.set("k", "v", 5), cache.delete("k")):
            with pytest.raises(ServiceUnavailable) as caught:
                await call
            assert "hunter2-secret" not in str(caught.value)
            assert "127.0.0.1" not in str(caught.value)  # the server log names it
    finally:
        await cache.close()
