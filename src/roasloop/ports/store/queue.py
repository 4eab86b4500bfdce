"""The optimization queue: proposed creative refreshes waiting for a decision."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from roasloop.domain.enums import QueueStatus
from roasloop.domain.models import OptimizationQueueItem


class QueueRepository(ABC):
    """The unit tenant's queue items."""

    @abstractmethod
    async def enqueue(self, item: OptimizationQueueItem) -> None:
        """Insert ``item``; an item with the same id keeps its (decided) status."""

    @abstractmethod
    async def items(self, status: QueueStatus | None = None) -> list[OptimizationQueueItem]:
        """The items (with ``status`` only, if given), ordered by ``created_at`` then
        ``item_id``."""

    @abstractmethod
    async def set_status(self, item_id: str, status: QueueStatus, at: datetime) -> None:
        """Record an item's new status. Raises ``NotFound`` when the tenant has no such item."""
