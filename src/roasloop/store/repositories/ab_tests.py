"""A/B tests on SQLAlchemy."""

from __future__ import annotations

from roasloop.domain.models import ABTest
from roasloop.ports.store import ABTestRepository
from roasloop.store._edge import record_of
from roasloop.store.repositories._base import SqlAlchemyRepository
from roasloop.store.tables import ABTestRow


class SqlAlchemyABTestRepository(SqlAlchemyRepository, ABTestRepository):
    async def save(self, test: ABTest) -> None:
        await self._upsert(ABTestRow, [test])

    async def get(self, test_id: str) -> ABTest | None:
        row = await self._first(self._select(ABTestRow).where(ABTestRow.test_id == test_id))
        return None if row is None else record_of(ABTest, row)
