"""Cache implementations: in-process (:class:`MemoryCache`) and shared (:class:`RedisCache`).

Both refuse a ``ttl_seconds`` below 1 with ``InvalidParameter`` (Redis cannot keep a key
for zero seconds, and the two must behave alike).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import redis.asyncio as aioredis
import structlog
from redis.exceptions import RedisError

from roasloop.errors import InvalidParameter, ServiceUnavailable
from roasloop.ports.cache import Cache
from roasloop.ports.clock import Clock
from roasloop.translations import N_

log = structlog.get_logger(__name__)

#: Seconds to wait for Redis to accept a connection or answer before ServiceUnavailable.
REDIS_TIMEOUT_SECONDS = 5.0


def _check_ttl(ttl_seconds: int) -> None:
    if ttl_seconds < 1:
        raise InvalidParameter("ttl_seconds", N_("ttl_seconds must be at least 1"))


class MemoryCache(Cache):
    """A dict with expiry read from ``clock`` (so a simulated clock expires keys too).

    One process only; expired keys are dropped when read and swept as the cache grows.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._items: dict[str, tuple[str, datetime]] = {}
        self._sweep_at = 1024

    def __len__(self) -> int:
        """Keys held, counting expired ones not yet dropped."""
        return len(self._items)

    async def get(self, key: str) -> str | None:
        item = self._items.get(key)
        if item is None:
            return None
        value, expires_at = item
        if self._clock.now() >= expires_at:
            del self._items[key]
            return None
        return value

    async def set(self, key: str, value: str, ttl_seconds: int) -> None:
        _check_ttl(ttl_seconds)
        self._items[key] = (value, self._clock.now() + timedelta(seconds=ttl_seconds))
        if len(self._items) >= self._sweep_at:
            self._sweep()

    async def delete(self, key: str) -> None:
        self._items.pop(key, None)

    def _sweep(self) -> None:
        now = self._clock.now()
        self._items = {k: item for k, item in self._items.items() if item[1] > now}
        self._sweep_at = max(1024, 2 * len(self._items))


class RedisCache(Cache):
    """Keys live in Redis under ``prefix`` so several apps can share one database.

    Prefer :meth:`from_url`; a client passed in directly is closed by :meth:`close`.
    """

    def __init__(self, client: aioredis.Redis, *, prefix: str = "roasloop:") -> None:
        self._client = client
        self._prefix = prefix
        kwargs = client.connection_pool.connection_kwargs
        self._where = f"redis://{kwargs.get('host', '?')}:{kwargs.get('port', '?')}"
        self._password = str(kwargs.get("password") or "")

    @classmethod
    def from_url(cls, url: str, *, prefix: str = "roasloop:") -> RedisCache:
        """A cache on ``redis://[user:password@]host:port/db``; nothing connects until used."""
        client = aioredis.Redis.from_url(
            url,
            decode_responses=True,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
        )
        return cls(client, prefix=prefix)

    async def get(self, key: str) -> str | None:
        async with self._translate():
            value = await self._client.get(self._prefix + key)
        if isinstance(value, bytes):  # a client made without decode_responses=True
            return value.decode("utf-8")
        return None if value is None else str(value)

    async def set(self, key: str, value: str, ttl_seconds: int) -> None:
        _check_ttl(ttl_seconds)
        async with self._translate():
            await self._client.set(self._prefix + key, value, ex=ttl_seconds)

    async def delete(self, key: str) -> None:
        async with self._translate():
            await self._client.delete(self._prefix + key)

    async def close(self) -> None:
        await self._client.aclose()

    @asynccontextmanager
    async def _translate(self) -> AsyncIterator[None]:
        try:
            yield
        except (RedisError, OSError) as exc:
            reason = f"{type(exc).__name__}: {exc}"
            if self._password:
                reason = reason.replace(self._password, "***")
            log.error("cache_unavailable", cache=self._where, reason=reason)
            raise ServiceUnavailable("the cache is unavailable; see the server log") from exc
