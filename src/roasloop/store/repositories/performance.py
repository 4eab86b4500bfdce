"""Daily performance on SQLAlchemy."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from roasloop.domain.enums import Platform
from roasloop.domain.models import PerformanceDaily
from roasloop.errors import InvalidParameter
from roasloop.ports.store import PerformanceRepository
from roasloop.store._edge import record_of
from roasloop.store.repositories._base import SqlAlchemyRepository
from roasloop.store.tables import PerformanceDailyRow
from roasloop.translations import N_


class SqlAlchemyPerformanceRepository(SqlAlchemyRepository, PerformanceRepository):
    async def upsert(self, rows: Sequence[PerformanceDaily]) -> int:
        if any(row.tenant_id != self._tenant for row in rows):
            raise InvalidParameter("rows", N_("all performance rows must belong to one tenant"))
        await self._upsert(PerformanceDailyRow, rows)
        return len(rows)

    async def for_campaign(
        self, platform: Platform, campaign_id: str, start: date, end: date
    ) -> list[PerformanceDaily]:
        row = PerformanceDailyRow
        stmt = (
            self._select(row)
            .where(row.platform == platform, row.campaign_id == campaign_id)
            .where(row.day >= start, row.day <= end)
            .order_by(row.day, self._binary(row.ad_id))
        )
        return [record_of(PerformanceDaily, each) for each in await self._all(stmt)]
