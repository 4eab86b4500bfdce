"""Creatives and their media ids on SQLAlchemy."""

from __future__ import annotations

from collections.abc import Sequence

from roasloop.domain.enums import Platform
from roasloop.domain.models import Creative
from roasloop.ports.store import CreativeRepository
from roasloop.store._edge import record_of
from roasloop.store.repositories._base import SqlAlchemyRepository
from roasloop.store.tables import CreativeMediaRow, CreativeRow


class SqlAlchemyCreativeRepository(SqlAlchemyRepository, CreativeRepository):
    async def save(self, creative: Creative) -> None:
        await self._upsert(CreativeRow, [creative])

    async def get(self, creative_id: str) -> Creative | None:
        stmt = self._select(CreativeRow).where(CreativeRow.creative_id == creative_id)
        row = await self._first(stmt)
        return None if row is None else record_of(Creative, row)

    async def get_many(self, creative_ids: Sequence[str]) -> dict[str, Creative]:
        stmt = self._select(CreativeRow).where(CreativeRow.creative_id.in_(list(creative_ids)))
        return {row.creative_id: record_of(Creative, row) for row in await self._all(stmt)}

    async def all(self) -> list[Creative]:
        stmt = self._select(CreativeRow).order_by(
            CreativeRow.created_at, self._binary(CreativeRow.creative_id)
        )
        return [record_of(Creative, row) for row in await self._all(stmt)]

    async def save_media_ref(
        self, creative_id: str, platform: Platform, account_id: str, media_id: str
    ) -> None:
        values = {
            "tenant_id": self._tenant,
            "creative_id": creative_id,
            "platform": platform,
            "account_id": account_id,
            "media_id": media_id,
        }
        await self._upsert_values(CreativeMediaRow, [values], replace=True)

    async def get_media_ref(
        self, creative_id: str, platform: Platform, account_id: str
    ) -> str | None:
        stmt = self._select(CreativeMediaRow).where(
            CreativeMediaRow.creative_id == creative_id,
            CreativeMediaRow.platform == platform,
            CreativeMediaRow.account_id == account_id,
        )
        row = await self._first(stmt)
        return None if row is None else row.media_id
