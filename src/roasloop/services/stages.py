"""Use cases of the launch-stage machine: configure_stages, set_stage, evaluate_stages.

Every switch, automatic or manual, is written to the operation log with its reason and
the numbers behind it (action ``set_stage``, ``before``/``after`` stage). A switch changes
roasloop's record of the campaign (the profile new ad sets are created with and the stage
policy applied each cycle); budget and bid moves a stage calls for go through the same
guards (step cap) and logged writes as every other decision.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from roasloop.decisions.guards import guard, guard_bid
from roasloop.decisions.snapshot import BidDecision, DailyPoint
from roasloop.decisions.stages import (
    StageThresholds,
    StageTransition,
    evaluate,
    stage_actions,
    stage_bid_actions,
)
from roasloop.domain.enums import EntityLevel, OperationState, Platform, Stage, Trigger
from roasloop.domain.metrics import MetricTotals
from roasloop.domain.models import Campaign
from roasloop.errors import InvalidParameter, RoasloopError
from roasloop.i18n import render
from roasloop.ports.platform import PlatformAdapter
from roasloop.services.budget import BudgetChange, build_snapshots
from roasloop.services.budget_limits import (
    STAGE_WRITES,
    Finding,
    applied_this_period,
    hold_back,
    period_key,
)
from roasloop.services.common import Deps, RequestContext
from roasloop.services.leases import campaign_lease, holding
from roasloop.services.oplog import Write, entry_for
from roasloop.services.reports import require_campaign, sync_reports
from roasloop.services.writes import apply_bid, apply_decisions
from roasloop.translations import N_

#: Document kind of a campaign's stage thresholds (one document per campaign).
THRESHOLDS = "stage_config"
#: Period key of the stage machine's bid raises (its budget moves use ``STAGE_WRITES``).
STAGE_BIDS = "stage-bid"


@dataclass(frozen=True, slots=True)
class BidChange:
    decision: BidDecision
    applied: bool


@dataclass(frozen=True, slots=True)
class CampaignStageReview:
    """One campaign's stage (after any switch), and the moves its stage calls for."""

    campaign_id: str
    stage: Stage
    transition: StageTransition | None
    budget_changes: tuple[BudgetChange, ...]
    bid_changes: tuple[BidChange, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class StageReview:
    applied: bool
    campaigns: tuple[CampaignStageReview, ...]


async def configure_stages(
    deps: Deps, ctx: RequestContext, platform: Platform, campaign_id: str, settings: dict[str, Any]
) -> StageThresholds:
    """Store the product's thresholds (unknown keys name the field); returns them complete."""
    campaign = await require_campaign(deps, ctx, platform, campaign_id)
    thresholds = _thresholds(campaign, settings)
    payload = {k: str(v) for k, v in asdict(thresholds).items()}
    async with deps.store.unit(ctx.tenant_id) as uow:
        await uow.documents.save(THRESHOLDS, campaign_id, payload, deps.clock.now())
    return thresholds


async def set_stage(
    deps: Deps, ctx: RequestContext, platform: Platform, campaign_id: str, stage: Stage, reason: str
) -> StageTransition:
    """Manual override of the stage, logged like an automatic switch."""
    campaign = await require_campaign(deps, ctx, platform, campaign_id)
    transition = StageTransition(
        campaign_id, campaign.stage, stage, "stage_manual", {"note": reason}
    )
    await _switch(deps, ctx, campaign, transition)
    return transition


async def evaluate_stages(
    deps: Deps, ctx: RequestContext, campaign_ids: list[str] | None, apply: bool
) -> StageReview:
    """Check every (or the given) campaign's stage; with ``apply`` switch and act."""
    stage_ctx = replace(ctx, trigger=Trigger.STAGE_MACHINE)
    async with deps.store.unit(ctx.tenant_id) as uow:
        stored = await uow.campaigns.all()
    campaigns = [c for c in stored if campaign_ids is None or c.campaign_id in campaign_ids]
    reviews = [await _evaluate_one(deps, stage_ctx, c, apply) for c in campaigns]
    return StageReview(apply, tuple(reviews))


async def _evaluate_one(
    deps: Deps, ctx: RequestContext, campaign: Campaign, apply: bool
) -> CampaignStageReview:
    """One campaign; applying holds its lease and re-reads it, as another writer may have
    changed it while this one waited."""
    if not apply:
        return await _evaluate(deps, ctx, campaign, apply)
    async with holding(deps, ctx, campaign_lease(campaign.platform.value, campaign.campaign_id)):
        current = await require_campaign(deps, ctx, campaign.platform, campaign.campaign_id)
        return await _evaluate(deps, ctx, current, apply)


async def _evaluate(
    deps: Deps, ctx: RequestContext, campaign: Campaign, apply: bool
) -> CampaignStageReview:
    adapter = await deps.adapters.adapter_for(ctx.tenant_id, campaign.platform)
    try:
        await sync_reports(deps, ctx, adapter, campaign)
    except RoasloopError:
        pass  # decide on stored data; the next cycle refreshes
    thresholds = await _stored_thresholds(deps, ctx, campaign)
    snapshots = await build_snapshots(deps, ctx, campaign)
    transition = evaluate(campaign.campaign_id, campaign.stage, _daily(snapshots), thresholds)
    stage = transition.to_stage if transition else campaign.stage
    if transition and apply:
        await _switch(deps, ctx, campaign, transition)
    minimum, cap = adapter.capabilities.min_adset_daily_budget, deps.settings.budget_change_cap
    proposed = stage_actions(stage, snapshots, campaign.daily_budget, thresholds)
    guarded = [d for d in (guard(p, cap, minimum) for p in proposed) if d]
    bids = [
        d for d in (guard_bid(b, cap) for b in stage_bid_actions(stage, snapshots, thresholds)) if d
    ]
    sendable, held = await hold_back(deps, ctx, adapter, guarded, STAGE_WRITES)
    applied = await apply_decisions(deps, ctx, adapter, sendable, STAGE_WRITES) if apply else set()
    bids_done = await _apply_bids(deps, ctx, adapter, bids) if apply else set()
    return CampaignStageReview(
        campaign_id=campaign.campaign_id,
        stage=stage,
        transition=transition,
        budget_changes=tuple(BudgetChange(d, d.adset_id in applied) for d in guarded),
        bid_changes=tuple(BidChange(b, b.adset_id in bids_done) for b in bids),
        findings=tuple(held),
    )


async def _apply_bids(
    deps: Deps, ctx: RequestContext, adapter: PlatformAdapter, bids: list[BidDecision]
) -> set[str]:
    """Raise each bid once per period; the ad sets whose bid changed."""
    done = await applied_this_period(deps, ctx, STAGE_BIDS, [b.adset_id for b in bids])
    today = deps.clock.today()
    for bid in bids:
        if bid.adset_id not in done:
            await apply_bid(deps, ctx, adapter, bid, period_key(STAGE_BIDS, today, bid.adset_id))
    return {b.adset_id for b in bids if b.adset_id not in done}


async def _switch(
    deps: Deps, ctx: RequestContext, campaign: Campaign, move: StageTransition
) -> None:
    write = Write(
        platform=campaign.platform,
        level=EntityLevel.CAMPAIGN,
        object_id=campaign.campaign_id,
        action="set_stage",
        before={"stage": move.from_stage.value},
        after={"stage": move.to_stage.value, "values": move.values},
        reason=render(move.reason_key, "en", **move.message_values()),
    )
    entry = entry_for(deps, ctx, write, OperationState.CONFIRMED)
    async with deps.store.unit(ctx.tenant_id) as uow:
        await uow.operations.record(entry)
        switched = replace(campaign, stage=move.to_stage, updated_at=deps.clock.now())
        await uow.campaigns.save(switched)


async def _stored_thresholds(
    deps: Deps, ctx: RequestContext, campaign: Campaign
) -> StageThresholds:
    async with deps.store.unit(ctx.tenant_id) as uow:
        saved = await uow.documents.get(THRESHOLDS, campaign.campaign_id)
    return _thresholds(campaign, saved.payload if saved else {})


def _thresholds(campaign: Campaign, settings: dict[str, Any]) -> StageThresholds:
    known = {f.name: f.type for f in fields(StageThresholds)}
    values: dict[str, Any] = {}
    if campaign.target_roas is not None:
        values["target_roas"] = campaign.target_roas
    for key, raw in settings.items():
        if key not in known:
            raise InvalidParameter(f"thresholds.{key}", N_("unknown stage threshold"))
        try:
            values[key] = int(raw) if known[key] == "int" else Decimal(str(raw))
        except (ValueError, ArithmeticError) as exc:
            raise InvalidParameter(f"thresholds.{key}", N_("must be a number")) from exc
    return StageThresholds(**values)


def _daily(snapshots: list[Any]) -> list[DailyPoint]:
    by_day: dict[date, list[MetricTotals]] = defaultdict(list)
    for snapshot in snapshots:
        for point in snapshot.history:
            by_day[point.day].append(point.metrics)
    if not by_day:
        return []
    first, last = min(by_day), max(by_day)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [DailyPoint(day, MetricTotals.total(by_day.get(day, []))) for day in days]
