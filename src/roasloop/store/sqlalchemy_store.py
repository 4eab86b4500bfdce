"""The :class:`~roasloop.ports.store.Store` on SQLite or PostgreSQL through SQLAlchemy (async)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select, union

from roasloop.domain.enums import EntityLevel, EntityStatus, Platform, QueueStatus
from roasloop.domain.models import (
    ABTest,
    Ad,
    AdSet,
    Campaign,
    Creative,
    OptimizationQueueItem,
    PerformanceDaily,
    PlatformAccount,
    Rule,
    RuleExecution,
)
from roasloop.errors import InvalidParameter
from roasloop.ports.store import JSON, Snapshot, Store
from roasloop.store import _mappers as m
from roasloop.store._database import Database, scoped, table_of
from roasloop.store._operation_log import OperationLogStore
from roasloop.store.crypto import TokenCipher
from roasloop.store.tables import (
    ABTestRow,
    AdGroupRow,
    AdRow,
    Base,
    CampaignRow,
    CreativeMediaRow,
    CreativeRow,
    OptimizationQueueRow,
    PerformanceDailyRow,
    PlatformAccountRow,
    RuleExecutionRow,
    RuleRow,
    SnapshotRow,
)
from roasloop.translations import N_

#: The stored table and id column behind each level of :meth:`SqlAlchemyStore.set_status`.
_LEVEL_TABLES: dict[EntityLevel, tuple[type[Base], str]] = {
    EntityLevel.CAMPAIGN: (CampaignRow, "campaign_id"),
    EntityLevel.ADSET: (AdGroupRow, "adset_id"),
    EntityLevel.AD: (AdRow, "ad_id"),
}


class SqlAlchemyStore(OperationLogStore, Store):
    """Tenant-scoped store on SQLite (aiosqlite) or PostgreSQL (psycopg 3).

    ``url`` is any of ``sqlite:///path.db``, ``sqlite+aiosqlite:///…``, ``sqlite://``
    (memory, for tests), ``postgresql://…``, ``postgresql+psycopg://…``; it is switched
    to the async driver here. Access tokens are encrypted with ``cipher``. Call
    :meth:`migrate` once before use and :meth:`close` at the end.

    Beyond the port's contract:

    * ``record_operation``, ``record_rule_execution`` and ``enqueue`` leave an existing
      entry with the same id untouched (a retry never rewinds its state);
    * ``set_status``, ``set_adset_budget``, ``update_operation`` and ``set_queue_status``
      raise :class:`~roasloop.errors.NotFound` when the tenant has no such row;
    * writes with an empty ``tenant_id`` raise ``InvalidParameter``;
    * money is kept to the cent (half-up), ratios such as ``target_roas`` to 4 places;
    * datetimes must be timezone-aware and come back in UTC; JSON payloads must be
      JSON-safe (no ``Decimal``/``datetime``); a value or statement the database
      refuses raises ``InternalError``;
    * ids sort by code point on both backends (PostgreSQL ignores its locale here).
    """

    def __init__(self, url: str, cipher: TokenCipher) -> None:
        self._db = Database(url)
        self._cipher = cipher

    @property
    def url(self) -> str:
        """The database URL with the password masked (for logs and messages)."""
        return self._db.safe_url

    # --- lifecycle ------------------------------------------------------------------
    async def migrate(self) -> None:
        """Create the SQLite file's directory if needed, then run Alembic to head."""
        await self._db.migrate()

    async def close(self) -> None:
        await self._db.close()

    # --- platform accounts ----------------------------------------------------------
    async def save_account(self, account: PlatformAccount) -> None:
        await self._db.upsert(PlatformAccountRow, m.account_values(account, self._cipher))

    async def get_account(self, tenant_id: str, platform: Platform) -> PlatformAccount | None:
        stmt = (
            scoped(PlatformAccountRow, tenant_id)
            .where(PlatformAccountRow.platform == platform.value)
            .order_by(
                PlatformAccountRow.created_at.desc(),
                self._db.binary(PlatformAccountRow.account_id).desc(),
            )
        )
        row = await self._db.first(stmt)
        return None if row is None else m.account_from(row, self._cipher)

    # --- creatives ------------------------------------------------------------------
    async def save_creative(self, creative: Creative) -> None:
        await self._db.upsert(CreativeRow, m.creative_values(creative))

    async def get_creative(self, tenant_id: str, creative_id: str) -> Creative | None:
        stmt = scoped(CreativeRow, tenant_id).where(CreativeRow.creative_id == creative_id)
        row = await self._db.first(stmt)
        return None if row is None else m.creative_from(row)

    async def get_creatives(
        self, tenant_id: str, creative_ids: Sequence[str]
    ) -> dict[str, Creative]:
        stmt = scoped(CreativeRow, tenant_id).where(CreativeRow.creative_id.in_(list(creative_ids)))
        return {row.creative_id: m.creative_from(row) for row in await self._db.all(stmt)}

    async def list_creatives(self, tenant_id: str) -> list[Creative]:
        stmt = scoped(CreativeRow, tenant_id).order_by(
            CreativeRow.created_at, self._db.binary(CreativeRow.creative_id)
        )
        return [m.creative_from(row) for row in await self._db.all(stmt)]

    async def save_media_ref(
        self, tenant_id: str, creative_id: str, platform: Platform, account_id: str, media_id: str
    ) -> None:
        values = {
            "tenant_id": tenant_id,
            "creative_id": creative_id,
            "platform": platform.value,
            "account_id": account_id,
            "media_id": media_id,
        }
        await self._db.upsert(CreativeMediaRow, values)

    async def get_media_ref(
        self, tenant_id: str, creative_id: str, platform: Platform, account_id: str
    ) -> str | None:
        stmt = scoped(CreativeMediaRow, tenant_id).where(
            CreativeMediaRow.creative_id == creative_id,
            CreativeMediaRow.platform == platform.value,
            CreativeMediaRow.account_id == account_id,
        )
        row = await self._db.first(stmt)
        return None if row is None else row.media_id

    # --- campaign structure ---------------------------------------------------------
    async def save_campaign(self, campaign: Campaign) -> None:
        await self._db.upsert(CampaignRow, m.campaign_values(campaign))

    async def get_campaign(
        self, tenant_id: str, platform: Platform, campaign_id: str
    ) -> Campaign | None:
        stmt = scoped(CampaignRow, tenant_id).where(
            CampaignRow.platform == platform.value, CampaignRow.campaign_id == campaign_id
        )
        row = await self._db.first(stmt)
        return None if row is None else m.campaign_from(row)

    async def list_campaigns(
        self, tenant_id: str, platform: Platform | None = None
    ) -> list[Campaign]:
        stmt = scoped(CampaignRow, tenant_id)
        if platform is not None:
            stmt = stmt.where(CampaignRow.platform == platform.value)
        stmt = stmt.order_by(CampaignRow.created_at, self._db.binary(CampaignRow.campaign_id))
        return [m.campaign_from(row) for row in await self._db.all(stmt)]

    async def save_adset(self, adset: AdSet) -> None:
        await self._db.upsert(AdGroupRow, m.adset_values(adset))

    async def get_adset(self, tenant_id: str, platform: Platform, adset_id: str) -> AdSet | None:
        stmt = scoped(AdGroupRow, tenant_id).where(
            AdGroupRow.platform == platform.value, AdGroupRow.adset_id == adset_id
        )
        row = await self._db.first(stmt)
        return None if row is None else m.adset_from(row)

    async def list_adsets(
        self, tenant_id: str, platform: Platform, campaign_id: str
    ) -> list[AdSet]:
        stmt = (
            scoped(AdGroupRow, tenant_id)
            .where(AdGroupRow.platform == platform.value, AdGroupRow.campaign_id == campaign_id)
            .order_by(AdGroupRow.created_at, self._db.binary(AdGroupRow.adset_id))
        )
        return [m.adset_from(row) for row in await self._db.all(stmt)]

    async def save_ad(self, ad: Ad) -> None:
        await self._db.upsert(AdRow, m.ad_values(ad))

    async def save_ads(self, ads: Sequence[Ad]) -> None:
        if ads:
            await self._db.upsert(AdRow, [m.ad_values(ad) for ad in ads])

    async def list_ads(self, tenant_id: str, platform: Platform, campaign_id: str) -> list[Ad]:
        stmt = (
            scoped(AdRow, tenant_id)
            .where(AdRow.platform == platform.value, AdRow.campaign_id == campaign_id)
            .order_by(AdRow.created_at, self._db.binary(AdRow.ad_id))
        )
        return [m.ad_from(row) for row in await self._db.all(stmt)]

    async def set_status(
        self,
        tenant_id: str,
        platform: Platform,
        level: EntityLevel,
        object_id: str,
        status: EntityStatus,
        at: datetime,
    ) -> None:
        model, id_column = _LEVEL_TABLES[level]
        table = table_of(model)
        where = (table.c.platform == platform.value, table.c[id_column] == object_id)
        await self._db.update(
            table, tenant_id, where, {"status": status.value, "updated_at": at}, object_id
        )

    async def set_adset_budget(
        self, tenant_id: str, platform: Platform, adset_id: str, daily_budget: Decimal, at: datetime
    ) -> None:
        table = table_of(AdGroupRow)
        where = (table.c.platform == platform.value, table.c.adset_id == adset_id)
        values = {"daily_budget_cents": daily_budget, "updated_at": at}
        await self._db.update(table, tenant_id, where, values, adset_id)

    # --- performance ----------------------------------------------------------------
    async def upsert_performance(self, rows: Sequence[PerformanceDaily]) -> int:
        """Also: rows of several tenants raise ``InvalidParameter``; returns ``len(rows)``."""
        if len({row.tenant_id for row in rows}) > 1:
            raise InvalidParameter("rows", N_("all performance rows must belong to one tenant"))
        if rows:
            await self._db.upsert(PerformanceDailyRow, [m.performance_values(r) for r in rows])
        return len(rows)

    async def list_performance(
        self, tenant_id: str, platform: Platform, campaign_id: str, start: date, end: date
    ) -> list[PerformanceDaily]:
        row = PerformanceDailyRow
        stmt = (
            scoped(row, tenant_id)
            .where(row.platform == platform.value, row.campaign_id == campaign_id)
            .where(row.day >= start, row.day <= end)
            .order_by(row.day, self._db.binary(row.ad_id))
        )
        return [m.performance_from(r) for r in await self._db.all(stmt)]

    # --- status snapshots -------------------------------------------------------------
    async def save_snapshot(
        self, tenant_id: str, kind: str, key: str, payload: JSON, taken_at: datetime
    ) -> None:
        values = {
            "tenant_id": tenant_id,
            "kind": kind,
            "key": key,
            "payload": payload,
            "taken_at": taken_at,
        }
        await self._db.upsert(SnapshotRow, values)

    async def get_snapshot(self, tenant_id: str, kind: str, key: str) -> Snapshot | None:
        stmt = scoped(SnapshotRow, tenant_id).where(
            SnapshotRow.kind == kind, SnapshotRow.key == key
        )
        row = await self._db.first(stmt)
        return None if row is None else Snapshot(payload=row.payload, taken_at=row.taken_at)

    # --- rules ----------------------------------------------------------------------
    async def save_rule(self, rule: Rule) -> None:
        await self._db.upsert(RuleRow, m.rule_values(rule, self._cipher))

    async def get_rule(self, tenant_id: str, rule_id: str) -> Rule | None:
        row = await self._db.first(scoped(RuleRow, tenant_id).where(RuleRow.rule_id == rule_id))
        return None if row is None else m.rule_from(row, self._cipher)

    async def list_rules(self, tenant_id: str, *, enabled_only: bool = False) -> list[Rule]:
        stmt = scoped(RuleRow, tenant_id)
        if enabled_only:
            stmt = stmt.where(RuleRow.enabled.is_(True))
        stmt = stmt.order_by(RuleRow.created_at, self._db.binary(RuleRow.rule_id))
        return [m.rule_from(row, self._cipher) for row in await self._db.all(stmt)]

    async def record_rule_execution(self, execution: RuleExecution) -> None:
        await self._db.upsert(RuleExecutionRow, m.execution_values(execution), replace=False)

    async def list_rule_executions(
        self, tenant_id: str, rule_id: str, limit: int = 1000
    ) -> list[RuleExecution]:
        if limit < 1:
            raise InvalidParameter("limit", N_("limit must be at least 1"))
        row = RuleExecutionRow
        stmt = (
            scoped(row, tenant_id)
            .where(row.rule_id == rule_id)
            .order_by(row.executed_at, self._db.binary(row.execution_id))
            .limit(limit)
        )
        return [m.execution_from(r) for r in await self._db.all(stmt)]

    # --- A/B tests ------------------------------------------------------------------
    async def save_ab_test(self, test: ABTest) -> None:
        await self._db.upsert(ABTestRow, m.ab_test_values(test))

    async def get_ab_test(self, tenant_id: str, test_id: str) -> ABTest | None:
        row = await self._db.first(scoped(ABTestRow, tenant_id).where(ABTestRow.test_id == test_id))
        return None if row is None else m.ab_test_from(row)

    # --- optimization queue ---------------------------------------------------------
    async def enqueue(self, item: OptimizationQueueItem) -> None:
        await self._db.upsert(OptimizationQueueRow, m.queue_values(item), replace=False)

    async def list_queue(
        self, tenant_id: str, status: QueueStatus | None = None
    ) -> list[OptimizationQueueItem]:
        stmt = scoped(OptimizationQueueRow, tenant_id)
        if status is not None:
            stmt = stmt.where(OptimizationQueueRow.status == status.value)
        order = (OptimizationQueueRow.created_at, self._db.binary(OptimizationQueueRow.item_id))
        return [m.queue_from(row) for row in await self._db.all(stmt.order_by(*order))]

    async def set_queue_status(
        self, tenant_id: str, item_id: str, status: QueueStatus, at: datetime
    ) -> None:
        table = table_of(OptimizationQueueRow)
        where = (table.c.item_id == item_id,)
        await self._db.update(
            table, tenant_id, where, {"status": status.value, "updated_at": at}, item_id
        )

    # --- tenants --------------------------------------------------------------------
    async def list_tenants(self) -> list[str]:
        owners = union(select(RuleRow.tenant_id), select(CampaignRow.tenant_id)).subquery()
        stmt = select(owners.c.tenant_id).order_by(self._db.binary(owners.c.tenant_id))
        return list(await self._db.all(stmt))
