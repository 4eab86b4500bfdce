"""A/B tests: their design, state and last analysis."""

from __future__ import annotations

from abc import ABC, abstractmethod

from roasloop.domain.models import ABTest


class ABTestRepository(ABC):
    """The unit tenant's A/B tests."""

    @abstractmethod
    async def save(self, test: ABTest) -> None:
        """Insert or replace ``test`` (by ``test_id``)."""

    @abstractmethod
    async def get(self, test_id: str) -> ABTest | None:
        """The test, or ``None``."""
