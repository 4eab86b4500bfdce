"""Leases on SQLAlchemy: each step one statement, atomic on both backends."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, update

from roasloop.ports.store import LeaseRepository
from roasloop.store.engine import upsert
from roasloop.store.repositories._base import SqlAlchemyRepository, table_of
from roasloop.store.tables import LeaseRow


class SqlAlchemyLeaseRepository(SqlAlchemyRepository, LeaseRepository):
    async def acquire(self, name: str, owner: str, now: datetime, until: datetime) -> bool:
        """Insert a free lease, or else take over one that is ours already or has expired:
        each a single statement, so of concurrent callers one wins."""
        row = {"tenant_id": self._tenant, "name": name, "owner": owner, "held_until": until}
        free = upsert(
            self._scope.db.dialect, table_of(LeaseRow), ["tenant_id", "name"], update=False
        )
        if await self._count(free, row) == 1:
            return True
        take = (
            update(LeaseRow)
            .where(LeaseRow.tenant_id == self._tenant, LeaseRow.name == name)
            .where(or_(LeaseRow.owner == owner, LeaseRow.held_until <= now))
            .values(owner=owner, held_until=until)
            .execution_options(synchronize_session=False)
        )
        return await self._count(take) == 1

    async def release(self, name: str, owner: str) -> None:
        stmt = (
            delete(LeaseRow)
            .where(LeaseRow.tenant_id == self._tenant, LeaseRow.name == name)
            .where(LeaseRow.owner == owner)
            .execution_options(synchronize_session=False)
        )
        await self._count(stmt)
