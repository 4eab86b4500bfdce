"""Campaigns, ad sets and ads on SQLAlchemy."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from roasloop.domain.enums import EntityLevel, EntityStatus, Platform
from roasloop.domain.models import Ad, AdSet, Campaign
from roasloop.ports.store import CampaignRepository
from roasloop.store._edge import record_of
from roasloop.store.repositories._base import SqlAlchemyRepository, table_of
from roasloop.store.tables import AdGroupRow, AdRow, Base, CampaignRow

#: The stored row class and id column behind each level of ``set_status``.
_LEVELS: dict[EntityLevel, tuple[type[Base], str]] = {
    EntityLevel.CAMPAIGN: (CampaignRow, "campaign_id"),
    EntityLevel.ADSET: (AdGroupRow, "adset_id"),
    EntityLevel.AD: (AdRow, "ad_id"),
}


class SqlAlchemyCampaignRepository(SqlAlchemyRepository, CampaignRepository):
    async def save(self, campaign: Campaign) -> None:
        await self._upsert(CampaignRow, [campaign])

    async def get(self, platform: Platform, campaign_id: str) -> Campaign | None:
        stmt = self._select(CampaignRow).where(
            CampaignRow.platform == platform, CampaignRow.campaign_id == campaign_id
        )
        row = await self._first(stmt)
        return None if row is None else record_of(Campaign, row)

    async def all(self, platform: Platform | None = None) -> list[Campaign]:
        stmt = self._select(CampaignRow)
        if platform is not None:
            stmt = stmt.where(CampaignRow.platform == platform)
        stmt = stmt.order_by(CampaignRow.created_at, self._binary(CampaignRow.campaign_id))
        return [record_of(Campaign, row) for row in await self._all(stmt)]

    async def save_adset(self, adset: AdSet) -> None:
        await self._upsert(AdGroupRow, [adset])

    async def get_adset(self, platform: Platform, adset_id: str) -> AdSet | None:
        stmt = self._select(AdGroupRow).where(
            AdGroupRow.platform == platform, AdGroupRow.adset_id == adset_id
        )
        row = await self._first(stmt)
        return None if row is None else record_of(AdSet, row)

    async def list_adsets(self, platform: Platform, campaign_id: str) -> list[AdSet]:
        stmt = (
            self._select(AdGroupRow)
            .where(AdGroupRow.platform == platform, AdGroupRow.campaign_id == campaign_id)
            .order_by(AdGroupRow.created_at, self._binary(AdGroupRow.adset_id))
        )
        return [record_of(AdSet, row) for row in await self._all(stmt)]

    async def save_ads(self, ads: Sequence[Ad]) -> None:
        await self._upsert(AdRow, ads)

    async def list_ads(self, platform: Platform, campaign_id: str) -> list[Ad]:
        stmt = (
            self._select(AdRow)
            .where(AdRow.platform == platform, AdRow.campaign_id == campaign_id)
            .order_by(AdRow.created_at, self._binary(AdRow.ad_id))
        )
        return [record_of(Ad, row) for row in await self._all(stmt)]

    async def set_status(
        self,
        platform: Platform,
        level: EntityLevel,
        object_id: str,
        status: EntityStatus,
        at: datetime,
    ) -> None:
        row, id_column = _LEVELS[level]
        table = table_of(row)
        where = (table.c.platform == platform, table.c[id_column] == object_id)
        await self._update(table, where, {"status": status, "updated_at": at}, object_id)

    async def set_adset_budget(
        self, platform: Platform, adset_id: str, daily_budget: Decimal, at: datetime
    ) -> None:
        table = table_of(AdGroupRow)
        where = (table.c.platform == platform, table.c.adset_id == adset_id)
        values = {"daily_budget_cents": daily_budget, "updated_at": at}
        await self._update(table, where, values, adset_id)
