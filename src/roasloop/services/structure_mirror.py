"""The store's copy of a structure being created (campaign, ad sets, ads).

A resumed run saves the same records again; the original ``created_at`` is kept. Each
function writes in the caller's unit of work (``stored`` is its campaigns repository).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from roasloop.domain.enums import EntityStatus
from roasloop.domain.models import Ad, AdSet, Campaign, Creative
from roasloop.domain.structure import PlannedAd, PlannedAdSet
from roasloop.ports.store import CampaignRepository, UnitOfWork
from roasloop.services.common import Deps, RequestContext

if TYPE_CHECKING:
    from roasloop.services.structure import StructureRun


#: A write to the store's copy, deferred off the critical path (done in the flush's unit).
Bookkeeping = Callable[[UnitOfWork], Awaitable[None]]


@dataclass(slots=True)
class DeferredBookkeeping:
    """Bookkeeping the next platform call need not wait for, done in bulk at the end.

    ``confirmed`` holds log entries to confirm with the ids they created; ``writes`` the
    store writes, kept as callables, not coroutines, so bookkeeping that never runs (an
    earlier write failed) leaves no un-awaited coroutine behind.
    """

    confirmed: list[tuple[str, str]] = field(default_factory=list)
    writes: list[Bookkeeping] = field(default_factory=list)

    def defer(self, write: Bookkeeping) -> None:
        self.writes.append(write)

    async def flush(self, deps: Deps, ctx: RequestContext) -> None:
        """Confirm the entries and save the store's copies of objects, in one unit of work.

        Until then a crash leaves those entries ``sent``; the resume step settles them
        against the platform, and the plan's progress holds every id.
        """
        confirmed, self.confirmed = self.confirmed, []
        writes, self.writes = self.writes, []
        if not (confirmed or writes):
            return
        async with deps.store.unit(ctx.tenant_id) as uow:
            await uow.operations.confirm_many(confirmed, deps.clock.now())
            for write in writes:
                await write(uow)


@dataclass(frozen=True, slots=True)
class CampaignMeta:
    """What the store records about a campaign besides the plan."""

    daily_budget: Any
    product_url: str
    target_roas: Any = None
    target_cpa: Any = None


async def save_campaign(
    stored: CampaignRepository,
    run: StructureRun,
    campaign_id: str,
    meta: CampaignMeta,
    status: EntityStatus,
) -> None:
    existing = await stored.get(run.platform, campaign_id) if run.resumed else None
    now = run.deps.clock.now()
    await stored.save(
        Campaign(
            campaign_id=campaign_id,
            tenant_id=run.ctx.tenant_id,
            platform=run.platform,
            account_id=run.adapter.account_id,
            name=run.plan.campaign_name,
            objective=run.plan.objective,
            daily_budget=meta.daily_budget,
            status=status,
            created_at=existing.created_at if existing else now,
            updated_at=now,
            target_roas=meta.target_roas,
            target_cpa=meta.target_cpa,
            product_url=meta.product_url,
        )
    )


async def save_adset(
    stored: CampaignRepository,
    run: StructureRun,
    planned: PlannedAdSet,
    adset_id: str,
    campaign_id: str,
) -> None:
    existing = await stored.get_adset(run.platform, adset_id) if run.resumed else None
    now = run.deps.clock.now()
    await stored.save_adset(
        AdSet(
            adset_id=adset_id,
            campaign_id=campaign_id,
            tenant_id=run.ctx.tenant_id,
            platform=run.platform,
            name=planned.name,
            daily_budget=planned.daily_budget,
            status=EntityStatus.ACTIVE,
            targeting=planned.targeting,
            optimization_goal=run.plan.optimization_goal,
            bid_strategy=run.plan.bid_strategy,
            created_at=existing.created_at if existing else now,
            updated_at=now,
        )
    )


async def save_ads(
    stored: CampaignRepository,
    run: StructureRun,
    planned: Sequence[PlannedAd],
    creatives: Mapping[str, Creative],
    adset_id: str,
    campaign_id: str,
) -> None:
    now = run.deps.clock.now()
    ads = [
        Ad(
            ad_id=run.progress.ids[ad.key],
            adset_id=adset_id,
            campaign_id=campaign_id,
            tenant_id=run.ctx.tenant_id,
            platform=run.platform,
            creative_id=ad.creative_id,
            name=ad.name,
            copy=str(run.progress.copies[creatives[ad.creative_id].creative_id]["text"]),
            status=EntityStatus.ACTIVE,
            created_at=now,
            updated_at=now,
        )
        for ad in planned
    ]
    await stored.save_ads(ads)
