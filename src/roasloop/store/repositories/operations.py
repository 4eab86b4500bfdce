"""The operation log on SQLAlchemy."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, update

from roasloop.domain.enums import OperationState
from roasloop.domain.models import JSON, Operation
from roasloop.errors import InvalidParameter, NotFound
from roasloop.ports.store import OperationLog
from roasloop.store._edge import Values, record_of
from roasloop.store.repositories._base import SqlAlchemyRepository, table_of
from roasloop.store.tables import OperationRow
from roasloop.translations import N_


class SqlAlchemyOperationLog(SqlAlchemyRepository, OperationLog):
    async def record(self, operation: Operation) -> None:
        await self._upsert(OperationRow, [operation], replace=False)

    async def record_many(self, operations: Sequence[Operation]) -> None:
        await self._upsert(OperationRow, operations, replace=False)

    async def update(
        self,
        operation_id: str,
        state: OperationState,
        at: datetime,
        result: JSON | None = None,
        after: JSON | None = None,
        object_id: str | None = None,
    ) -> None:
        changes: Values = {"state": state, "updated_at": at}
        optional = {"result": result, "after": after, "object_id": object_id}
        changes.update({k: v for k, v in optional.items() if v is not None})
        table = table_of(OperationRow)
        await self._update(table, (table.c.operation_id == operation_id,), changes, operation_id)

    async def confirm_many(self, created: Sequence[tuple[str, str]], at: datetime) -> None:
        if not created:
            return
        table = table_of(OperationRow)
        stmt = (
            update(table)
            .where(table.c.tenant_id == self._tenant, table.c.operation_id == bindparam("op_id"))
            .values(
                state=OperationState.CONFIRMED,
                updated_at=at,
                object_id=bindparam("new_id"),
                result=bindparam("outcome"),
            )
        )
        params = [
            {"op_id": op_id, "new_id": object_id, "outcome": {"object_id": object_id}}
            for op_id, object_id in created
        ]
        if await self._count(stmt, params) not in (-1, len(params)):
            raise NotFound("an operation of the batch is missing", details={"rows": len(params)})

    async def set_states(
        self, operation_ids: Sequence[str], state: OperationState, at: datetime
    ) -> None:
        if not operation_ids:
            return
        table = table_of(OperationRow)
        where = (table.c.operation_id.in_(list(operation_ids)),)
        values: Values = {"state": state, "updated_at": at}
        await self._update(table, where, values, ",".join(operation_ids[:3]))

    async def find(
        self,
        *,
        object_id: str | None = None,
        states: Sequence[OperationState] | None = None,
        updated_since: datetime | None = None,
        limit: int = 1000,
    ) -> list[Operation]:
        if limit < 1:
            raise InvalidParameter("limit", N_("limit must be at least 1"))
        stmt = self._select(OperationRow)
        if object_id is not None:
            stmt = stmt.where(OperationRow.object_id == object_id)
        if states is not None:
            stmt = stmt.where(OperationRow.state.in_(list(states)))
        if updated_since is not None:
            stmt = stmt.where(OperationRow.updated_at >= updated_since)
        order = (OperationRow.created_at, self._binary(OperationRow.operation_id))
        rows = await self._all(stmt.order_by(*order).limit(limit))
        return [record_of(Operation, row) for row in rows]
