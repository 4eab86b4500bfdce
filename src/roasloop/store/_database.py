"""One database behind the store: sessions, error translation and the query helpers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Executable,
    Select,
    SQLColumnExpression,
    Table,
    bindparam,
    collate,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.dml import Insert

from roasloop.errors import InvalidParameter, NotFound
from roasloop.store._alembic import upgrade_to_head
from roasloop.store.engine import (
    DATABASE_ERRORS,
    async_database_url,
    create_engine,
    sqlite_file,
    translate_error,
    upsert,
)
from roasloop.store.tables import Base
from roasloop.translations import N_

T = TypeVar("T")
Values = dict[str, Any]


class Database:
    """An async engine with transactions that turn driver errors into ours."""

    def __init__(self, url: str) -> None:
        self._url = async_database_url(url)
        self._engine = create_engine(self._url)
        self._sessions = async_sessionmaker(self._engine, expire_on_commit=False)
        self._dialect = self._engine.dialect.name

    @property
    def safe_url(self) -> str:
        return self._url.render_as_string(hide_password=True)

    async def migrate(self) -> None:
        file = sqlite_file(self._url)
        try:
            if file is not None:
                file.parent.mkdir(parents=True, exist_ok=True)
            async with self._engine.connect() as connection:
                await connection.run_sync(upgrade_to_head)
                await connection.commit()
        except DATABASE_ERRORS as exc:
            raise translate_error(exc, self._url) from exc

    async def close(self) -> None:
        await self._engine.dispose()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction, committed on success, rolled back on any error."""
        try:
            async with self._sessions.begin() as session:
                yield session
        except DATABASE_ERRORS as exc:
            raise translate_error(exc, self._url) from exc

    async def first(self, stmt: Select[T]) -> T | None:
        async with self.transaction() as session:
            return (await session.scalars(stmt.limit(1))).first()

    async def all(self, stmt: Select[T]) -> Sequence[T]:
        async with self.transaction() as session:
            return (await session.scalars(stmt)).all()

    async def upsert(
        self, model: type[Base], values: Values | list[Values], *, replace: bool = True
    ) -> None:
        """Insert, or on a primary-key clash replace (or with ``replace=False`` keep) the row."""
        for row in values if isinstance(values, list) else [values]:
            _check_tenant(row["tenant_id"])
        table = table_of(model)
        keys = [column.name for column in table.primary_key.columns]
        stmt = upsert(self._dialect, table, keys, update=replace)
        async with self.transaction() as session:
            await session.execute(stmt, values)

    async def update(
        self,
        table: Table,
        tenant_id: str,
        where: tuple[ColumnElement[bool], ...],
        values: Values,
        object_id: str,
    ) -> None:
        """Change the tenant's matching row; raise ``NotFound`` if there is none."""
        stmt = update(table).where(table.c.tenant_id == tenant_id, *where).values(values)
        async with self.transaction() as session:
            result = cast(CursorResult[Any], await session.execute(stmt))
            if result.rowcount == 0:
                raise NotFound(f"no {table.name} row {object_id!r}", details={"id": object_id})

    async def count(self, stmt: Executable, values: Values | None = None) -> int:
        """Execute one statement in its own transaction; the number of rows it touched."""
        async with self.transaction() as session:
            result = cast(CursorResult[Any], await session.execute(stmt, values))
            return int(result.rowcount)

    def insert_new(self, model: type[Base]) -> Insert:
        """``INSERT … ON CONFLICT (primary key) DO NOTHING`` for the model's table."""
        table = table_of(model)
        keys = [column.name for column in table.primary_key.columns]
        return upsert(self._dialect, table, keys, update=False)

    async def confirm_many(
        self, table: Table, tenant_id: str, created: Sequence[tuple[str, str]], at: datetime
    ) -> None:
        """Set state=confirmed, object_id and result for each ``(operation_id, object_id)``."""
        stmt = (
            update(table)
            .where(table.c.tenant_id == tenant_id, table.c.operation_id == bindparam("op_id"))
            .values(
                state="confirmed",
                updated_at=at,
                object_id=bindparam("new_id"),
                result=bindparam("outcome"),
            )
        )
        params = [
            {"op_id": op_id, "new_id": object_id, "outcome": {"object_id": object_id}}
            for op_id, object_id in created
        ]
        async with self.transaction() as session:
            result = cast(CursorResult[Any], await session.execute(stmt, params))
            if result.rowcount not in (-1, len(params)):
                raise NotFound(
                    "an operation of the batch is missing", details={"rows": len(params)}
                )

    def binary(self, column: SQLColumnExpression[str]) -> SQLColumnExpression[str]:
        """Sort ids by code point on every backend (PostgreSQL would use the locale)."""
        return collate(column, "C") if self._dialect == "postgresql" else column


def scoped(model: type[T], tenant_id: str) -> Select[T]:
    """``SELECT model WHERE tenant_id = …`` — the start of every read."""
    return select(model).where(model.tenant_id == tenant_id)  # type: ignore[attr-defined]


def table_of(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def _check_tenant(tenant_id: str) -> None:
    if not tenant_id:
        raise InvalidParameter("tenant_id", N_("tenant_id must not be empty"))
