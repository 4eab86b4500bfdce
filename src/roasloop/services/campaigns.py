"""Use cases: create_campaign and manage_campaign (its status: pause, start, delete)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from roasloop.domain.enums import (
    BidStrategy,
    EntityLevel,
    EntityStatus,
    Objective,
    OptimizationGoal,
    Platform,
)
from roasloop.domain.models import AgeRange, Targeting
from roasloop.domain.structure import StructurePlan, plan_campaign
from roasloop.errors import InvalidParameter
from roasloop.services.common import Deps, RequestContext
from roasloop.services.launch import LaunchRequest, prepare, run
from roasloop.services.oplog import Write
from roasloop.services.preflight import CAMPAIGN_NAME_FIELDS
from roasloop.services.reports import require_campaign
from roasloop.services.structure import CampaignMeta, ExecutedStructure
from roasloop.services.writes import FieldChange, write_change
from roasloop.translations import N_

CampaignOperation = Literal["pause", "start", "delete"]


@dataclass(frozen=True, slots=True)
class CreateCampaign:
    platform: Platform
    objective: Objective
    daily_budget: Decimal
    target_countries: tuple[str, ...]
    creative_ids: tuple[str, ...]
    age_groups: tuple[AgeRange, ...]
    product_url: str | None = None
    name: str | None = None
    idempotency_key: str | None = None
    target_roas: Decimal | None = None
    target_cpa: Decimal | None = None
    activate: bool = True

    def fingerprint_fields(self) -> dict[str, Any]:
        return {
            "platform": self.platform.value,
            "objective": self.objective.value,
            "daily_budget": str(self.daily_budget),
            "countries": list(self.target_countries),
            "creative_ids": list(self.creative_ids),
            "age_groups": [a.label for a in self.age_groups],
            "product_url": self.product_url,
            "name": self.name,
        }


@dataclass(frozen=True, slots=True)
class CreatedAdSet:
    adset_id: str
    name: str
    daily_budget: Decimal
    targeting: Targeting
    optimization_goal: OptimizationGoal
    bid_strategy: BidStrategy


@dataclass(frozen=True, slots=True)
class CreatedAd:
    ad_id: str
    creative_id: str
    adset_id: str
    copy: str


@dataclass(frozen=True, slots=True)
class CreatedCampaign:
    """A campaign structure as it stands on the platform after a (possibly repeated) create."""

    campaign_id: str
    campaign_status: EntityStatus
    idempotency_key: str
    adsets: tuple[CreatedAdSet, ...]
    ads: tuple[CreatedAd, ...]
    #: Each creative's generated copy (its text and the copywriter's other fields).
    copies: tuple[tuple[str, dict[str, Any]], ...]


async def create_campaign(
    deps: Deps, ctx: RequestContext, request: CreateCampaign
) -> CreatedCampaign:
    """Campaign → one ad set per age group → one ad per creative × ad set."""
    launch = await prepare(
        deps, ctx, request.platform, request.creative_ids, request.idempotency_key
    )
    first = launch.creatives[0]
    plan = plan_campaign(
        base_key=launch.base_key,
        name=request.name or f"{first.name} · {request.objective.value}",
        objective=request.objective,
        daily_budget=request.daily_budget,
        countries=request.target_countries,
        creative_ids=request.creative_ids,
        age_groups=request.age_groups,
        min_adset_budget=launch.rules.capabilities.min_adset_daily_budget,
    )
    product_url = request.product_url or first.product_url
    meta = CampaignMeta(request.daily_budget, product_url, request.target_roas, request.target_cpa)
    spec = LaunchRequest(
        request.target_countries,
        CAMPAIGN_NAME_FIELDS,
        request.fingerprint_fields(),
        meta,
        request.activate,
    )
    executed = await run(deps, ctx, launch, plan, spec)
    status = EntityStatus.ACTIVE if request.activate else EntityStatus.PAUSED
    return _created(executed, plan, status, launch.idempotency_key)


def _created(
    executed: ExecutedStructure, plan: StructurePlan, status: EntityStatus, key: str
) -> CreatedCampaign:
    adsets = tuple(
        CreatedAdSet(
            adset_id=executed.adset_ids[a.key],
            name=a.name,
            daily_budget=a.daily_budget,
            targeting=a.targeting,
            optimization_goal=plan.optimization_goal,
            bid_strategy=plan.bid_strategy,
        )
        for a in plan.adsets
    )
    ads = tuple(
        CreatedAd(
            ad_id=executed.ad_ids[ad.key],
            creative_id=ad.creative_id,
            adset_id=executed.adset_ids[ad.adset_key],
            copy=executed.copies[ad.creative_id]["text"],
        )
        for ad in plan.ads
    )
    copies = tuple(executed.copies.items())
    return CreatedCampaign(executed.campaign_id, status, key, adsets, ads, copies)


#: The status each operation of ``manage_campaign`` sets.
OPERATIONS: dict[CampaignOperation, EntityStatus] = {
    "pause": EntityStatus.PAUSED,
    "start": EntityStatus.ACTIVE,
    "delete": EntityStatus.DELETED,
}


@dataclass(frozen=True, slots=True)
class StatusChanged:
    campaign_id: str
    operation: CampaignOperation
    previous_status: EntityStatus
    new_status: EntityStatus


async def manage_campaign(
    deps: Deps,
    ctx: RequestContext,
    platform: Platform,
    campaign_id: str,
    operation: CampaignOperation,
) -> StatusChanged:
    """Pause, start or delete a campaign through the logged write path."""
    campaign = await require_campaign(deps, ctx, platform, campaign_id)
    if campaign.status is EntityStatus.DELETED:
        raise InvalidParameter("campaign_id", N_("the campaign is deleted"))
    status = OPERATIONS[operation]
    adapter = await deps.adapters.adapter_for(ctx.tenant_id, platform)
    change = FieldChange(EntityLevel.CAMPAIGN, campaign_id, "status", status.value)
    write = Write(
        platform=platform,
        level=EntityLevel.CAMPAIGN,
        object_id=campaign_id,
        action="set_status",
        before={"status": campaign.status.value},
        after={"status": status.value},
        reason=operation,
    )
    await write_change(deps, ctx, adapter, write, change)
    return StatusChanged(campaign_id, operation, campaign.status, status)
