"""The :class:`~roasloop.ports.store.Store` on SQLite or PostgreSQL through SQLAlchemy (async)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

from sqlalchemy import select, union

from roasloop.errors import InternalError
from roasloop.ports.store import Store, UnitOfWork
from roasloop.store import repositories as repo
from roasloop.store._database import Database, check_tenant
from roasloop.store.crypto import TokenCipher
from roasloop.store.engine import DATABASE_ERRORS
from roasloop.store.tables import CampaignRow, RuleRow

#: Whether the current task (and the tasks it starts) is inside a unit of work.
_IN_UNIT: ContextVar[bool] = ContextVar("roasloop_store_in_unit", default=False)


class SqlAlchemyStore(Store):
    """Tenant-scoped store on SQLite (aiosqlite) or PostgreSQL (psycopg 3).

    ``url`` is any of ``sqlite:///path.db``, ``sqlite+aiosqlite:///…``, ``sqlite://``
    (memory, for tests), ``postgresql://…``, ``postgresql+psycopg://…``; it is switched
    to the async driver here. Secrets are encrypted with ``cipher``. Call :meth:`migrate`
    once before use and :meth:`close` at the end.

    A unit of work is one :class:`~sqlalchemy.ext.asyncio.AsyncSession` in one
    transaction. On SQLite the store has a single connection, which units take in turn.
    """

    def __init__(self, url: str, cipher: TokenCipher) -> None:
        self._db = Database(url)
        self._cipher = cipher

    @property
    def url(self) -> str:
        """The database URL with the password masked (for logs and messages)."""
        return self._db.safe_url

    @asynccontextmanager
    async def unit(self, tenant_id: str) -> AsyncIterator[UnitOfWork]:
        check_tenant(tenant_id)
        if _IN_UNIT.get():
            raise InternalError("a unit of work was opened inside another")
        entered = _IN_UNIT.set(True)
        try:
            async with self._db.transaction() as session:
                yield _unit_of(repo.Scope(session, tenant_id, self._db, self._cipher))
        finally:
            _IN_UNIT.reset(entered)

    async def list_tenants(self) -> list[str]:
        owners = union(select(RuleRow.tenant_id), select(CampaignRow.tenant_id)).subquery()
        stmt = select(owners.c.tenant_id).order_by(self._db.binary(owners.c.tenant_id))
        async with self._db.transaction() as session:
            try:
                return list((await session.scalars(stmt)).all())
            except DATABASE_ERRORS as exc:
                raise self._db.translate(exc) from exc

    async def migrate(self) -> None:
        """Create the SQLite file's directory if needed, then run Alembic to head."""
        await self._db.migrate()

    async def close(self) -> None:
        await self._db.close()


def _unit_of(scope: repo.Scope) -> UnitOfWork:
    return UnitOfWork(
        tenant_id=scope.tenant_id,
        accounts=repo.SqlAlchemyAccountRepository(scope),
        creatives=repo.SqlAlchemyCreativeRepository(scope),
        campaigns=repo.SqlAlchemyCampaignRepository(scope),
        performance=repo.SqlAlchemyPerformanceRepository(scope),
        operations=repo.SqlAlchemyOperationLog(scope),
        plans=repo.SqlAlchemyPlanRepository(scope),
        rules=repo.SqlAlchemyRuleRepository(scope),
        ab_tests=repo.SqlAlchemyABTestRepository(scope),
        documents=repo.SqlAlchemyDocumentRepository(scope),
        leases=repo.SqlAlchemyLeaseRepository(scope),
        queue=repo.SqlAlchemyQueueRepository(scope),
    )
