"""Cache port: short-lived values shared by workers (Redis in production)."""

from __future__ import annotations

from abc import ABC, abstractmethod


class Cache(ABC):
    """A string key/value cache with per-key expiry.

    Contract: :meth:`get` returns ``None`` for a missing or expired key; :meth:`set`
    overwrites; no method raises for a missing key. Backend failures raise
    :class:`roasloop.errors.ServiceUnavailable`.
    """

    @abstractmethod
    async def get(self, key: str) -> str | None: ...

    @abstractmethod
    async def set(self, key: str, value: str, ttl_seconds: int) -> None: ...

    @abstractmethod
    async def delete(self, key: str) -> None: ...

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""
