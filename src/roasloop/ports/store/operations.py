"""The operation log: one entry per platform write, moved forward through its states.

States go ``planned`` → ``sent`` → ``confirmed`` / ``failed`` (see
:mod:`roasloop.services.oplog`); an entry is never deleted.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime

from roasloop.domain.enums import OperationState
from roasloop.domain.models import JSON, Operation


class OperationLog(ABC):
    """The unit tenant's operation log."""

    @abstractmethod
    async def record(self, operation: Operation) -> None:
        """Insert a new entry; an entry with the same id is left untouched."""

    @abstractmethod
    async def record_many(self, operations: Sequence[Operation]) -> None:
        """Insert several entries in one statement (as :meth:`record` does each)."""

    @abstractmethod
    async def update(
        self,
        operation_id: str,
        state: OperationState,
        at: datetime,
        result: JSON | None = None,
        after: JSON | None = None,
        object_id: str | None = None,
    ) -> None:
        """Move an entry to ``state`` at ``at`` (its ``updated_at``), recording the
        ``result``, the ``after`` values and the ``object_id`` when given.

        Raises ``NotFound`` when the tenant has no such entry.
        """

    @abstractmethod
    async def confirm_many(self, created: Sequence[tuple[str, str]], at: datetime) -> None:
        """Mark entries confirmed with the ids they created, ``(operation_id, object_id)``
        each (``result`` becomes ``{"object_id": …}``), in one statement.

        Raises ``NotFound`` when an entry is missing.
        """

    @abstractmethod
    async def set_states(
        self, operation_ids: Sequence[str], state: OperationState, at: datetime
    ) -> None:
        """Move several entries to ``state`` in one statement.

        Raises ``NotFound`` when none of them exists.
        """

    @abstractmethod
    async def find(
        self,
        *,
        object_id: str | None = None,
        states: Sequence[OperationState] | None = None,
        updated_since: datetime | None = None,
        limit: int = 1000,
    ) -> list[Operation]:
        """The first ``limit`` entries matching every filter given, ordered by
        ``created_at`` then ``operation_id``; ``updated_since`` keeps entries whose state
        last changed at or after that moment. Raises ``InvalidParameter`` (field
        ``limit``) if ``limit < 1``."""
