"""One database behind the store: the engine, transactions and error translation."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager

from sqlalchemy import SQLColumnExpression, collate
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from roasloop.errors import InvalidParameter, RoasloopError
from roasloop.store._alembic import upgrade_to_head
from roasloop.store.engine import (
    DATABASE_ERRORS,
    async_database_url,
    create_engine,
    sqlite_file,
    translate_error,
)
from roasloop.translations import N_


class Database:
    """An async engine whose transactions turn driver errors into ours."""

    def __init__(self, url: str) -> None:
        self._url = async_database_url(url)
        self._engine = create_engine(self._url)
        self._sessions = async_sessionmaker(self._engine, expire_on_commit=False)
        #: ``"sqlite"`` or ``"postgresql"``.
        self.dialect = self._engine.dialect.name

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
            raise self.translate(exc) from exc

    async def close(self) -> None:
        await self._engine.dispose()

    def translate(self, exc: BaseException) -> RoasloopError:
        """Our error for a driver's (see :func:`~roasloop.store.engine.translate_error`)."""
        return translate_error(exc, self._url)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction: committed if the block ends normally, rolled back if
        it raises (the block's error is raised, not the rollback's).

        Statements in the block translate their own errors; here only the commit's are.
        """
        session = self._sessions()
        try:
            try:
                yield session
            except BaseException:
                await self._roll_back(session)
                raise
            try:
                await session.commit()
            except DATABASE_ERRORS as exc:
                raise self.translate(exc) from exc
        finally:
            await _quietly(session.close())

    async def _roll_back(self, session: AsyncSession) -> None:
        # If the connection is gone, the block's own error says more than the rollback's.
        await _quietly(session.rollback())

    def binary(self, column: SQLColumnExpression[str]) -> SQLColumnExpression[str]:
        """Sort ids by code point on every backend (PostgreSQL would use the locale)."""
        return collate(column, "C") if self.dialect == "postgresql" else column


async def _quietly(step: Awaitable[None]) -> None:
    with contextlib.suppress(*DATABASE_ERRORS):
        await step


def check_tenant(tenant_id: str) -> None:
    """Refuse an empty tenant id (every row belongs to a tenant)."""
    if not tenant_id:
        raise InvalidParameter("tenant_id", N_("tenant_id must not be empty"))
