"""Operation log, structure plans and leases of the SQLAlchemy store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, or_, update

from roasloop.domain.enums import OperationState
from roasloop.domain.models import Operation
from roasloop.errors import InvalidParameter
from roasloop.ports.store import JSON
from roasloop.store import _mappers as m
from roasloop.store._database import Database, Values, scoped, table_of
from roasloop.store.tables import LeaseRow, OperationRow, StructurePlanRow
from roasloop.translations import N_


class OperationLogStore:
    """Operation-log and plan methods of the store port, on the store's :class:`Database`."""

    _db: Database

    # --- operation log --------------------------------------------------------------
    async def record_operation(self, operation: Operation) -> None:
        await self._db.upsert(OperationRow, m.operation_values(operation), replace=False)

    async def record_operations(self, operations: Sequence[Operation]) -> None:
        if operations:
            values = [m.operation_values(op) for op in operations]
            await self._db.upsert(OperationRow, values, replace=False)

    async def confirm_operations(
        self, tenant_id: str, created: Sequence[tuple[str, str]], at: datetime
    ) -> None:
        """One transaction for the whole batch; a missing entry raises ``NotFound``."""
        if created:
            await self._db.confirm_many(table_of(OperationRow), tenant_id, created, at)

    async def set_operation_states(
        self, tenant_id: str, operation_ids: Sequence[str], state: OperationState, at: datetime
    ) -> None:
        if operation_ids:
            table = table_of(OperationRow)
            where = (table.c.operation_id.in_(list(operation_ids)),)
            values: Values = {"state": state.value, "updated_at": at}
            await self._db.update(table, tenant_id, where, values, ",".join(operation_ids[:3]))

    async def update_operation(
        self,
        tenant_id: str,
        operation_id: str,
        state: OperationState,
        at: datetime,
        result: JSON | None = None,
        after: JSON | None = None,
        object_id: str | None = None,
    ) -> None:
        changes: Values = {"state": state.value, "updated_at": at}
        optional = {"result": result, "after": after, "object_id": object_id}
        changes.update({k: v for k, v in optional.items() if v is not None})
        table = table_of(OperationRow)
        where = (table.c.operation_id == operation_id,)
        await self._db.update(table, tenant_id, where, changes, operation_id)

    async def list_operations(
        self,
        tenant_id: str,
        *,
        object_id: str | None = None,
        states: Sequence[OperationState] | None = None,
        updated_since: datetime | None = None,
        limit: int = 1000,
    ) -> list[Operation]:
        if limit < 1:
            raise InvalidParameter("limit", N_("limit must be at least 1"))
        stmt = scoped(OperationRow, tenant_id)
        if object_id is not None:
            stmt = stmt.where(OperationRow.object_id == object_id)
        if states is not None:
            stmt = stmt.where(OperationRow.state.in_([s.value for s in states]))
        if updated_since is not None:
            stmt = stmt.where(OperationRow.updated_at >= updated_since)
        order = (OperationRow.created_at, self._db.binary(OperationRow.operation_id))
        rows = await self._db.all(stmt.order_by(*order).limit(limit))
        return [m.operation_from(row) for row in rows]

    # --- structure plans ------------------------------------------------------------
    async def get_plan(self, tenant_id: str, idempotency_key: str) -> JSON | None:
        stmt = scoped(StructurePlanRow, tenant_id).where(
            StructurePlanRow.idempotency_key == idempotency_key
        )
        row = await self._db.first(stmt)
        return None if row is None else row.payload

    async def save_plan(
        self, tenant_id: str, idempotency_key: str, payload: JSON, at: datetime
    ) -> None:
        values = {
            "tenant_id": tenant_id,
            "idempotency_key": idempotency_key,
            "payload": payload,
            "created_at": at,
        }
        await self._db.upsert(StructurePlanRow, values)

    # --- leases -------------------------------------------------------------------------
    async def acquire_lease(
        self, tenant_id: str, name: str, owner: str, now: datetime, until: datetime
    ) -> bool:
        """Two single statements, each atomic on both backends: insert a free lease, or take
        over one that is ours already or has expired."""
        row = {"tenant_id": tenant_id, "name": name, "owner": owner, "held_until": until}
        if await self._db.count(self._db.insert_new(LeaseRow), row) == 1:
            return True
        take = (
            update(LeaseRow)
            .where(LeaseRow.tenant_id == tenant_id, LeaseRow.name == name)
            .where(or_(LeaseRow.owner == owner, LeaseRow.held_until <= now))
            .values(owner=owner, held_until=until)
        )
        return await self._db.count(take) == 1

    async def release_lease(self, tenant_id: str, name: str, owner: str) -> None:
        stmt = delete(LeaseRow).where(
            LeaseRow.tenant_id == tenant_id, LeaseRow.name == name, LeaseRow.owner == owner
        )
        await self._db.count(stmt)
