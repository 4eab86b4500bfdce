"""Store port: everything roasloop keeps, one repository per aggregate, behind a unit of work.

Use::

    async with deps.store.unit(ctx.tenant_id) as uow:
        campaign = await uow.campaigns.get(platform, campaign_id)
        await uow.campaigns.save(replace(campaign, stage=Stage.SCALING, updated_at=now))

Contract shared by every repository of a :class:`UnitOfWork`:

* **one tenant** — a unit belongs to the tenant it was opened for (the module API's
  ``context.user_id``); no method reads or writes another tenant's rows, and saving a
  record whose ``tenant_id`` is another tenant's raises ``InvalidParameter``;
* **one transaction** — everything a unit writes is committed together when the ``async
  with`` block ends, and rolled back (nothing written) if the block raises; reads see the
  unit's own writes; other units see them once it has committed;
* **short** — a unit holds a database connection (SQLite has one for the whole store): do
  not await a platform call, a lease wait or another unit inside one. Opening a unit while
  one is open in the same task raises ``InternalError``;
* ``save*`` methods insert or replace by primary key (idempotent); ``record*`` and
  ``enqueue`` insert once and leave an existing entry with the same id untouched, so a
  retried write never rewinds a state;
* ``get*`` return ``None`` when nothing matches; ``list*`` return lists in the documented,
  stable order (ids sort by code point on every backend);
* updates of a row the tenant does not have raise :class:`roasloop.errors.NotFound`;
* secrets (access tokens, webhook signing secrets) are encrypted at rest and only returned
  decrypted in memory;
* money is kept to the cent (half-up), ratios such as ``target_roas`` to 4 places;
  datetimes must be timezone-aware (naive ones raise ``InternalError``) and come back in
  UTC; JSON payloads must be JSON-safe (no ``Decimal``/``datetime``);
* an empty ``tenant_id`` raises ``InvalidParameter``; an unreachable database raises
  :class:`roasloop.errors.ServiceUnavailable`, a statement it refuses ``InternalError``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from roasloop.ports.store.ab_tests import ABTestRepository
from roasloop.ports.store.accounts import AccountRepository
from roasloop.ports.store.campaigns import CampaignRepository
from roasloop.ports.store.creatives import CreativeRepository
from roasloop.ports.store.documents import Document, DocumentRepository
from roasloop.ports.store.leases import LeaseRepository
from roasloop.ports.store.operations import OperationLog
from roasloop.ports.store.performance import PerformanceRepository
from roasloop.ports.store.plans import PlanRepository
from roasloop.ports.store.queue import QueueRepository
from roasloop.ports.store.rules import RuleRepository

__all__ = [
    "ABTestRepository",
    "AccountRepository",
    "CampaignRepository",
    "CreativeRepository",
    "Document",
    "DocumentRepository",
    "LeaseRepository",
    "OperationLog",
    "PerformanceRepository",
    "PlanRepository",
    "QueueRepository",
    "RuleRepository",
    "Store",
    "UnitOfWork",
]


@dataclass(frozen=True, slots=True)
class UnitOfWork:
    """One tenant's repositories, sharing one transaction (see the module's contract)."""

    tenant_id: str
    accounts: AccountRepository
    creatives: CreativeRepository
    campaigns: CampaignRepository
    performance: PerformanceRepository
    operations: OperationLog
    plans: PlanRepository
    rules: RuleRepository
    ab_tests: ABTestRepository
    documents: DocumentRepository
    leases: LeaseRepository
    queue: QueueRepository


class Store(ABC):
    """Tenant-scoped persistence (SQLite by default, PostgreSQL in production)."""

    @abstractmethod
    def unit(self, tenant_id: str) -> AbstractAsyncContextManager[UnitOfWork]:
        """A unit of work for ``tenant_id``: committed when the block ends, rolled back if
        it raises.

        Raises ``InvalidParameter`` for an empty ``tenant_id`` and ``InternalError`` when a
        unit is already open in the calling task.
        """

    @abstractmethod
    async def list_tenants(self) -> list[str]:
        """Every tenant that owns at least one rule or campaign, in code-point order (the
        one read across tenants, for schedulers)."""

    @abstractmethod
    async def migrate(self) -> None:
        """Bring the schema to the newest migration (idempotent, safe to run concurrently)."""

    @abstractmethod
    async def close(self) -> None:
        """Release the database connections."""
