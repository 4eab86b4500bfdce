"""Structure plans on SQLAlchemy."""

from __future__ import annotations

from datetime import datetime

from roasloop.domain.models import JSON
from roasloop.ports.store.plans import PlanRepository
from roasloop.store.repositories._base import SqlAlchemyRepository
from roasloop.store.tables import StructurePlanRow


class SqlAlchemyPlanRepository(SqlAlchemyRepository, PlanRepository):
    async def get(self, idempotency_key: str) -> JSON | None:
        stmt = self._select(StructurePlanRow).where(
            StructurePlanRow.idempotency_key == idempotency_key
        )
        row = await self._first(stmt)
        return None if row is None else row.payload

    async def save(self, idempotency_key: str, payload: JSON, at: datetime) -> None:
        values = {
            "tenant_id": self._tenant,
            "idempotency_key": idempotency_key,
            "payload": payload,
            "created_at": at,
        }
        await self._upsert_values(StructurePlanRow, [values], replace=True)
