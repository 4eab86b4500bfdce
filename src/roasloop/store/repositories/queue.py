"""The optimization queue on SQLAlchemy."""

from __future__ import annotations

from datetime import datetime

from roasloop.domain.enums import QueueStatus
from roasloop.domain.models import OptimizationQueueItem
from roasloop.ports.store import QueueRepository
from roasloop.store._edge import record_of
from roasloop.store.repositories._base import SqlAlchemyRepository, table_of
from roasloop.store.tables import OptimizationQueueRow


class SqlAlchemyQueueRepository(SqlAlchemyRepository, QueueRepository):
    async def enqueue(self, item: OptimizationQueueItem) -> None:
        await self._upsert(OptimizationQueueRow, [item], replace=False)

    async def items(self, status: QueueStatus | None = None) -> list[OptimizationQueueItem]:
        row = OptimizationQueueRow
        stmt = self._select(row)
        if status is not None:
            stmt = stmt.where(row.status == status)
        stmt = stmt.order_by(row.created_at, self._binary(row.item_id))
        return [record_of(OptimizationQueueItem, each) for each in await self._all(stmt)]

    async def set_status(self, item_id: str, status: QueueStatus, at: datetime) -> None:
        table = table_of(OptimizationQueueRow)
        where = (table.c.item_id == item_id,)
        await self._update(table, where, {"status": status, "updated_at": at}, item_id)
