"""Leases: named locks of a tenant, held by one owner at a time until they expire."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime


class LeaseRepository(ABC):
    """The unit tenant's leases.

    Take and give up a lease in a unit of its own: other callers see it once that unit
    has committed.
    """

    @abstractmethod
    async def acquire(self, name: str, owner: str, now: datetime, until: datetime) -> bool:
        """Take the lease ``name`` for ``owner`` until ``until``; ``True`` if taken.

        Atomic across tasks and processes sharing the database: of concurrent callers with
        different owners exactly one gets ``True``. A lease still held by another owner at
        ``now`` is refused; an expired one (its holder died) is taken over; the holder may
        call again to extend it.
        """

    @abstractmethod
    async def release(self, name: str, owner: str) -> None:
        """Give the lease up if ``owner`` still holds it; otherwise do nothing."""
