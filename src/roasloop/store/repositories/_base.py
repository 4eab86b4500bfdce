"""What every repository of a unit shares: its session, tenant and query helpers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Executable,
    Result,
    Select,
    SQLColumnExpression,
    Table,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from roasloop.errors import InvalidParameter, NotFound
from roasloop.store._database import Database
from roasloop.store._edge import Values, values_of
from roasloop.store.crypto import TokenCipher
from roasloop.store.engine import DATABASE_ERRORS, upsert
from roasloop.store.tables import Base
from roasloop.translations import N_

R = TypeVar("R", bound=Base)


@dataclass(frozen=True, slots=True)
class Scope:
    """One unit of work: its session (one transaction) and tenant."""

    session: AsyncSession
    tenant_id: str
    db: Database
    cipher: TokenCipher


class SqlAlchemyRepository:
    """Base of the repositories: every query is scoped to the unit's tenant."""

    def __init__(self, scope: Scope) -> None:
        self._scope = scope
        self._tenant = scope.tenant_id

    def _select(self, row: type[R]) -> Select[R]:
        """``SELECT row WHERE tenant_id = …`` — the start of every read.

        Rows are refreshed from the result even when the unit already loaded them, so a
        read after an update in the same unit sees the update.
        """
        tenant = cast(Any, row).tenant_id
        stmt = select(row).where(tenant == self._tenant)
        return stmt.execution_options(populate_existing=True)

    async def _first(self, stmt: Select[R]) -> R | None:
        return (await self._execute(stmt.limit(1))).scalars().first()

    async def _all(self, stmt: Select[R]) -> Sequence[R]:
        return (await self._execute(stmt)).scalars().all()

    async def _upsert(
        self, row: type[Base], records: Sequence[object], *, replace: bool = True
    ) -> None:
        """Insert ``records``, or on a primary-key clash replace (with ``replace=False``
        keep) the stored row. Every record must be the unit tenant's."""
        await self._upsert_values(row, [values_of(record) for record in records], replace)

    async def _upsert_values(self, row: type[Base], values: list[Values], replace: bool) -> None:
        if not values:
            return
        if any(each["tenant_id"] != self._tenant for each in values):
            raise InvalidParameter("tenant_id", N_("the record belongs to another tenant"))
        keys = [column.name for column in table_of(row).primary_key.columns]
        await self._execute(upsert(self._scope.db.dialect, row, keys, update=replace), values)

    async def _update(
        self,
        table: Table,
        where: Sequence[ColumnElement[bool]],
        values: Values,
        object_id: str,
    ) -> None:
        """Change the tenant's matching rows (``values`` by column); ``NotFound`` if none."""
        stmt = update(table).where(table.c.tenant_id == self._tenant, *where).values(values)
        if await self._count(stmt) == 0:
            raise NotFound(f"no {table.name} row {object_id!r}", details={"id": object_id})

    async def _count(self, stmt: Executable, params: Any = None) -> int:
        """Execute ``stmt``; the number of rows it touched."""
        return int(cast(CursorResult[Any], await self._execute(stmt, params)).rowcount)

    async def _execute(self, stmt: Executable, params: Any = None) -> Result[Any]:
        try:
            return await self._scope.session.execute(stmt, params)
        except DATABASE_ERRORS as exc:
            raise self._scope.db.translate(exc) from exc

    def _binary(self, column: SQLColumnExpression[str]) -> SQLColumnExpression[str]:
        return self._scope.db.binary(column)


def table_of(row: type[Base]) -> Table:
    return cast(Table, row.__table__)
