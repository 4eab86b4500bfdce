"""Structure plans: the saved progress of one create request, by its idempotency key.

Kept apart from the operation log: the log is the audit trail (entries only move forward),
a plan is the request's working state (replaced as the request advances), read only by
the structure executor when the same request comes again.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from roasloop.domain.models import JSON


class PlanRepository(ABC):
    """The unit tenant's structure plans."""

    @abstractmethod
    async def get(self, idempotency_key: str) -> JSON | None:
        """The saved payload, or ``None``."""

    @abstractmethod
    async def save(self, idempotency_key: str, payload: JSON, at: datetime) -> None:
        """Insert or replace the plan of ``idempotency_key``."""
