"""Store port: everything roasloop keeps, scoped by tenant.

Contract for every method:

* the first argument is ``tenant_id`` (the module API's ``context.user_id``) and no
  method ever reads or writes another tenant's rows;
* ``save_*`` methods insert or replace by primary key (idempotent);
* ``get_*`` methods return ``None`` when nothing matches; ``list_*`` return lists in a
  documented, stable order;
* secrets (access tokens) are encrypted at rest and only returned decrypted in memory;
* updates of a row the tenant does not have (``set_status``, ``set_adset_budget``,
  ``update_operation``, ``set_queue_status``) raise :class:`roasloop.errors.NotFound`;
* ``record_operation``, ``record_rule_execution`` and ``enqueue`` leave an existing entry
  with the same id untouched, so a retried write never rewinds a state;
* an empty ``tenant_id`` raises ``InvalidParameter``; naive datetimes raise ``InternalError``;
* database failures raise :class:`roasloop.errors.ServiceUnavailable`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from roasloop.domain.enums import EntityLevel, EntityStatus, OperationState, Platform, QueueStatus
from roasloop.domain.models import (
    ABTest,
    Ad,
    AdSet,
    Campaign,
    Creative,
    Operation,
    OptimizationQueueItem,
    PerformanceDaily,
    PlatformAccount,
    Rule,
    RuleExecution,
)

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A stored JSON document and when it was taken."""

    payload: JSON
    taken_at: datetime


class Store(ABC):
    """Tenant-scoped persistence (SQLite by default, PostgreSQL in production)."""

    # --- lifecycle ---------------------------------------------------------------
    @abstractmethod
    async def migrate(self) -> None:
        """Bring the schema to the newest migration (idempotent)."""

    @abstractmethod
    async def close(self) -> None: ...

    # --- platform accounts (access token encrypted at rest) -----------------------
    @abstractmethod
    async def save_account(self, account: PlatformAccount) -> None: ...

    @abstractmethod
    async def get_account(self, tenant_id: str, platform: Platform) -> PlatformAccount | None:
        """The tenant's bound account on ``platform`` (newest if several)."""

    # --- creatives ----------------------------------------------------------------
    @abstractmethod
    async def save_creative(self, creative: Creative) -> None: ...

    @abstractmethod
    async def get_creative(self, tenant_id: str, creative_id: str) -> Creative | None: ...

    async def get_creatives(
        self, tenant_id: str, creative_ids: Sequence[str]
    ) -> dict[str, Creative]:
        """The tenant's creatives among ``creative_ids``, by id (missing ones absent)."""
        found = {}
        for creative_id in creative_ids:
            creative = await self.get_creative(tenant_id, creative_id)
            if creative is not None:
                found[creative_id] = creative
        return found

    @abstractmethod
    async def list_creatives(self, tenant_id: str) -> list[Creative]:
        """Ordered by ``created_at`` then ``creative_id``."""

    @abstractmethod
    async def save_media_ref(
        self, tenant_id: str, creative_id: str, platform: Platform, account_id: str, media_id: str
    ) -> None:
        """Remember the platform media id of an uploaded creative."""

    @abstractmethod
    async def get_media_ref(
        self, tenant_id: str, creative_id: str, platform: Platform, account_id: str
    ) -> str | None: ...

    # --- campaign structure -------------------------------------------------------
    @abstractmethod
    async def save_campaign(self, campaign: Campaign) -> None: ...

    @abstractmethod
    async def get_campaign(
        self, tenant_id: str, platform: Platform, campaign_id: str
    ) -> Campaign | None: ...

    @abstractmethod
    async def list_campaigns(
        self, tenant_id: str, platform: Platform | None = None
    ) -> list[Campaign]:
        """Ordered by ``created_at`` then ``campaign_id``."""

    @abstractmethod
    async def save_adset(self, adset: AdSet) -> None: ...

    @abstractmethod
    async def get_adset(
        self, tenant_id: str, platform: Platform, adset_id: str
    ) -> AdSet | None: ...

    @abstractmethod
    async def list_adsets(
        self, tenant_id: str, platform: Platform, campaign_id: str
    ) -> list[AdSet]:
        """Ordered by ``created_at`` then ``adset_id``."""

    @abstractmethod
    async def save_ad(self, ad: Ad) -> None: ...

    async def save_ads(self, ads: Sequence[Ad]) -> None:
        """Save several ads in one write (the default saves them one by one)."""
        for ad in ads:
            await self.save_ad(ad)

    @abstractmethod
    async def list_ads(self, tenant_id: str, platform: Platform, campaign_id: str) -> list[Ad]:
        """Ordered by ``created_at`` then ``ad_id``."""

    @abstractmethod
    async def set_status(
        self,
        tenant_id: str,
        platform: Platform,
        level: EntityLevel,
        object_id: str,
        status: EntityStatus,
        at: datetime,
    ) -> None:
        """Record a new status of a stored campaign, ad set or ad."""

    @abstractmethod
    async def set_adset_budget(
        self, tenant_id: str, platform: Platform, adset_id: str, daily_budget: Decimal, at: datetime
    ) -> None: ...

    # --- performance ----------------------------------------------------------------
    @abstractmethod
    async def upsert_performance(self, rows: Sequence[PerformanceDaily]) -> int:
        """Insert or replace by (tenant, platform, ad_id, day); return rows written.

        All rows must belong to the same tenant.
        """

    @abstractmethod
    async def list_performance(
        self, tenant_id: str, platform: Platform, campaign_id: str, start: date, end: date
    ) -> list[PerformanceDaily]:
        """Rows with ``start <= day <= end``, ordered by ``day`` then ``ad_id``."""

    # --- status snapshots (fallback when the platform is down) ------------------------
    @abstractmethod
    async def save_snapshot(
        self, tenant_id: str, kind: str, key: str, payload: JSON, taken_at: datetime
    ) -> None: ...

    @abstractmethod
    async def get_snapshot(self, tenant_id: str, kind: str, key: str) -> Snapshot | None: ...

    # --- operation log ------------------------------------------------------------------
    @abstractmethod
    async def record_operation(self, operation: Operation) -> None:
        """Insert a new entry (state usually ``planned`` or ``sent``)."""

    async def record_operations(self, operations: Sequence[Operation]) -> None:
        """Insert several entries in one write (the default records them one by one)."""
        for operation in operations:
            await self.record_operation(operation)

    async def confirm_operations(
        self, tenant_id: str, created: Sequence[tuple[str, str]], at: datetime
    ) -> None:
        """Mark entries confirmed with the ids they created: ``(operation_id, object_id)``."""
        for operation_id, object_id in created:
            await self.update_operation(
                tenant_id,
                operation_id,
                OperationState.CONFIRMED,
                at,
                result={"object_id": object_id},
                object_id=object_id,
            )

    async def set_operation_states(
        self, tenant_id: str, operation_ids: Sequence[str], state: OperationState, at: datetime
    ) -> None:
        """Move several entries to ``state`` (the default updates them one by one)."""
        for operation_id in operation_ids:
            await self.update_operation(tenant_id, operation_id, state, at)

    @abstractmethod
    async def update_operation(
        self,
        tenant_id: str,
        operation_id: str,
        state: OperationState,
        at: datetime,
        result: JSON | None = None,
        after: JSON | None = None,
        object_id: str | None = None,
    ) -> None:
        """Move an entry to a new state, recording the result and the after-values."""

    @abstractmethod
    async def list_operations(
        self,
        tenant_id: str,
        *,
        object_id: str | None = None,
        states: Sequence[OperationState] | None = None,
        updated_since: datetime | None = None,
        limit: int = 1000,
    ) -> list[Operation]:
        """Ordered by ``created_at`` then ``operation_id``; ``updated_since`` keeps entries
        whose state last changed at or after that moment."""

    # --- structure plans (idempotent create_campaign) -------------------------------------
    @abstractmethod
    async def get_plan(self, tenant_id: str, idempotency_key: str) -> JSON | None: ...

    @abstractmethod
    async def save_plan(
        self, tenant_id: str, idempotency_key: str, payload: JSON, at: datetime
    ) -> None: ...

    # --- leases (named locks) -----------------------------------------------------------
    @abstractmethod
    async def acquire_lease(
        self, tenant_id: str, name: str, owner: str, now: datetime, until: datetime
    ) -> bool:
        """Take the tenant's lease ``name`` for ``owner`` until ``until``; ``True`` if taken.

        Atomic across tasks and processes sharing the database: of concurrent callers with
        different owners exactly one gets ``True``. A lease still held by another owner at
        ``now`` is refused; an expired one (its holder died) is taken over; the holder may
        call again to extend it.
        """

    @abstractmethod
    async def release_lease(self, tenant_id: str, name: str, owner: str) -> None:
        """Give the lease up if ``owner`` still holds it; otherwise do nothing."""

    # --- rules ------------------------------------------------------------------------------
    @abstractmethod
    async def save_rule(self, rule: Rule) -> None: ...

    @abstractmethod
    async def get_rule(self, tenant_id: str, rule_id: str) -> Rule | None: ...

    @abstractmethod
    async def list_rules(self, tenant_id: str, *, enabled_only: bool = False) -> list[Rule]:
        """Ordered by ``created_at`` then ``rule_id``."""

    @abstractmethod
    async def record_rule_execution(self, execution: RuleExecution) -> None: ...

    @abstractmethod
    async def list_rule_executions(
        self, tenant_id: str, rule_id: str, limit: int = 1000
    ) -> list[RuleExecution]:
        """Ordered by ``executed_at`` then ``execution_id``."""

    # --- A/B tests ---------------------------------------------------------------------------
    @abstractmethod
    async def save_ab_test(self, test: ABTest) -> None: ...

    @abstractmethod
    async def get_ab_test(self, tenant_id: str, test_id: str) -> ABTest | None: ...

    # --- optimization queue ------------------------------------------------------------------
    @abstractmethod
    async def enqueue(self, item: OptimizationQueueItem) -> None: ...

    @abstractmethod
    async def list_queue(
        self, tenant_id: str, status: QueueStatus | None = None
    ) -> list[OptimizationQueueItem]:
        """Ordered by ``created_at`` then ``item_id``."""

    @abstractmethod
    async def set_queue_status(
        self, tenant_id: str, item_id: str, status: QueueStatus, at: datetime
    ) -> None: ...

    # --- tenants --------------------------------------------------------------------------------
    @abstractmethod
    async def list_tenants(self) -> list[str]:
        """Every tenant that owns at least one rule or campaign (for schedulers)."""
