"""Use case: optimize_budget — observe, decide (pure policy), guard, then preview or apply."""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import structlog

from roasloop.decisions import policies
from roasloop.decisions.policies.config import DEFAULT_PAUSE_STANCE, PauseStance
from roasloop.decisions.policies.context import PolicyContext, policy_context
from roasloop.decisions.snapshot import AdSetSnapshot, BudgetDecision, DailyPoint, Targets
from roasloop.domain.enums import MONEY_BID_STRATEGIES, LearningStatus, Platform
from roasloop.domain.metrics import MetricTotals
from roasloop.domain.models import AdSet, Campaign, PerformanceDaily
from roasloop.errors import InvalidParameter, RoasloopError
from roasloop.ports.platform import PlatformAdapter
from roasloop.ports.shop import daily_totals
from roasloop.services.budget_limits import POLICY_WRITES, Finding, hold_back
from roasloop.services.common import Deps, RequestContext
from roasloop.services.leases import campaign_lease, holding
from roasloop.services.reports import require_campaign, sync_reports
from roasloop.services.results import PlatformFailure
from roasloop.services.writes import apply_decisions
from roasloop.translations import N_

log = structlog.get_logger(__name__)
POLICIES = policies.POLICIES
#: History a policy sees (the seed reads 7 days; longer windows come with better policies).
HISTORY_DAYS = 30


@dataclass(frozen=True, slots=True)
class OptimizeBudget:
    platform: Platform
    campaign_id: str
    policy: str = policies.DEFAULT_POLICY
    pause_stance: PauseStance = DEFAULT_PAUSE_STANCE
    target_roas: Decimal | None = None
    target_cpa: Decimal | None = None
    apply: bool = False
    refresh: bool = True


@dataclass(frozen=True, slots=True)
class BudgetChange:
    """A guarded decision, and whether it reached the platform in this call."""

    decision: BudgetDecision
    applied: bool


@dataclass(frozen=True, slots=True)
class BudgetPlan:
    """What a policy decided for one campaign's ad sets (a preview unless ``applied``)."""

    campaign_id: str
    policy: str
    pause_stance: PauseStance | None
    applied: bool
    targets: Targets
    changes: tuple[BudgetChange, ...]
    #: Things decided not to do, or to look at (message key + values).
    findings: tuple[Finding, ...]
    #: Platform failures worked around (decided on stored data).
    warnings: tuple[PlatformFailure, ...]


@dataclass(frozen=True, slots=True)
class Observed:
    """What the cycle read besides the reports: the platform's learning status per ad set,
    and the campaign's store revenue per day when a shop is connected (``None``: none)."""

    learning: Mapping[str, LearningStatus] = field(default_factory=dict)
    store_revenue: Mapping[date, Decimal] | None = None


async def optimize_budget(deps: Deps, ctx: RequestContext, request: OptimizeBudget) -> BudgetPlan:
    """Propose (dry run, the default) or apply budget changes for one campaign's ad sets.

    Applying holds the campaign's lease, so concurrent writers of one campaign take turns;
    a decision already applied in this period is not sent again.
    """
    if not request.apply:
        return await _optimize(deps, ctx, request)
    async with holding(deps, ctx, campaign_lease(request.platform.value, request.campaign_id)):
        return await _optimize(deps, ctx, request)


async def _optimize(deps: Deps, ctx: RequestContext, request: OptimizeBudget) -> BudgetPlan:
    campaign = await require_campaign(deps, ctx, request.platform, request.campaign_id)
    targets = _targets(campaign, request)
    adapter = await deps.adapters.adapter_for(ctx.tenant_id, request.platform)
    warnings = await _refresh(deps, ctx, adapter, campaign) if request.refresh else ()
    observed = Observed(
        learning={} if warnings else await _learning(adapter, campaign),
        store_revenue=await _store_revenue(deps, ctx, campaign),
    )
    async with deps.store.unit(ctx.tenant_id) as uow:
        adsets = await uow.campaigns.list_adsets(campaign.platform, campaign.campaign_id)
    snapshots = await build_snapshots(deps, ctx, campaign, adsets)
    context = _context(deps, campaign, adsets, adapter, request.pause_stance, observed)
    evaluation = _decide(request.policy, snapshots, targets, context, deps)
    decisions = evaluation.decisions
    sendable, held = await hold_back(deps, ctx, adapter, decisions, POLICY_WRITES)
    applied = await _apply(deps, ctx, adapter, sendable) if request.apply else set()
    return BudgetPlan(
        campaign_id=campaign.campaign_id,
        policy=request.policy,
        pause_stance=request.pause_stance if request.policy == "roasloop" else None,
        applied=request.apply,
        targets=targets,
        changes=tuple(BudgetChange(d, d.adset_id in applied) for d in decisions),
        findings=(*evaluation.findings, *held),
        warnings=warnings,
    )


def _targets(campaign: Campaign, request: OptimizeBudget) -> Targets:
    targets = Targets(
        target_roas=request.target_roas or campaign.target_roas,
        target_cpa=request.target_cpa or campaign.target_cpa,
    )
    if targets.target_roas is None and targets.target_cpa is None:
        raise InvalidParameter(
            "target_roas", N_("give target_roas or target_cpa (or set them on the campaign)")
        )
    return targets


async def _refresh(
    deps: Deps, ctx: RequestContext, adapter: PlatformAdapter, campaign: Campaign
) -> tuple[PlatformFailure, ...]:
    """Pull fresh reports; if the platform fails, decide on stored data and say so."""
    try:
        await sync_reports(deps, ctx, adapter, campaign)
    except RoasloopError as error:
        log.warning("optimize_on_stored_data", error_code=error.code)
        return (PlatformFailure.of(error),)
    return ()


async def _learning(adapter: PlatformAdapter, campaign: Campaign) -> dict[str, LearningStatus]:
    """The platform's own learning status of each ad set, read now (the reports' refresh
    aside: it is the platform's present state, like a budget). If the platform cannot say,
    the policy infers each ad set's phase from its history, as it does for ad sets the
    platform reports nothing for; a failed refresh skips the read."""
    try:
        return await adapter.get_learning_statuses(campaign.campaign_id)
    except RoasloopError as error:
        log.warning("learning_status_unavailable", error_code=error.code)
        return {}


async def build_snapshots(
    deps: Deps, ctx: RequestContext, campaign: Campaign, adsets: list[AdSet] | None = None
) -> list[AdSetSnapshot]:
    """Each stored ad set with its daily history (complete days only, oldest first)."""
    start, end = history_window(deps, campaign)
    async with deps.store.unit(ctx.tenant_id) as uow:
        rows = await uow.performance.for_campaign(
            campaign.platform, campaign.campaign_id, start, end
        )
        if adsets is None:
            adsets = await uow.campaigns.list_adsets(campaign.platform, campaign.campaign_id)
    return [_snapshot(adset, rows, start, end) for adset in adsets]


def history_window(deps: Deps, campaign: Campaign) -> tuple[date, date]:
    """The complete days a policy sees: up to :data:`HISTORY_DAYS`, none before the launch."""
    end = deps.clock.today() - timedelta(days=1)
    return max(campaign.created_at.date(), end - timedelta(days=HISTORY_DAYS - 1)), end


async def _store_revenue(
    deps: Deps, ctx: RequestContext, campaign: Campaign
) -> dict[date, Decimal] | None:
    """The campaign's store revenue per day over the history, if a shop is connected; a shop
    that cannot answer counts as none (the policy then trusts the reports)."""
    if deps.shop_orders is None:
        return None
    start, end = history_window(deps, campaign)
    try:
        rows = await deps.shop_orders.revenue(
            ctx.tenant_id, campaign.platform, campaign.campaign_id, start, end
        )
    except RoasloopError as error:
        log.warning("store_revenue_unavailable", error_code=error.code)
        return None
    return daily_totals(rows)


def _snapshot(adset: AdSet, rows: list[PerformanceDaily], start: Any, end: Any) -> AdSetSnapshot:
    daily: dict[Any, list[MetricTotals]] = defaultdict(list)
    for row in rows:
        if row.adset_id == adset.adset_id:
            daily[row.day].append(row.metrics)
    first = max(start, adset.created_at.date())
    days = [first + timedelta(days=i) for i in range((end - first).days + 1)]
    history = tuple(DailyPoint(day, MetricTotals.total(daily.get(day, []))) for day in days)
    bid = adset.bid_amount if adset.bid_strategy in MONEY_BID_STRATEGIES else None
    return AdSetSnapshot(adset.adset_id, adset.name, adset.status, adset.daily_budget, history, bid)


def _context(
    deps: Deps,
    campaign: Campaign,
    adsets: list[AdSet],
    adapter: PlatformAdapter,
    pause_stance: PauseStance = DEFAULT_PAUSE_STANCE,
    observed: Observed | None = None,
) -> PolicyContext:
    """What the policy knows besides the snapshots; the last budget or status write is the
    last edit."""
    observed = observed or Observed()
    return policy_context(
        deps.clock.today(),
        campaign_budget=campaign.daily_budget,
        platform=adapter.capabilities,
        guard_cap=deps.settings.budget_change_cap,
        edited={a.adset_id: a.updated_at.date() for a in adsets},
        seed=zlib.crc32(campaign.campaign_id.encode()),
        learning=observed.learning,
        store_revenue=observed.store_revenue,
        pause_stance=pause_stance,
    )


def _decide(
    policy: str,
    snapshots: list[AdSetSnapshot],
    targets: Targets,
    context: PolicyContext,
    deps: Deps,
) -> policies.Evaluation:
    if policy not in POLICIES:
        raise InvalidParameter(
            "policy",
            N_("unknown policy {policy}; choose one of {known}"),
            detail_params={"policy": repr(policy), "known": ", ".join(POLICIES)},
        )
    return policies.evaluate(
        policy, snapshots, targets, context, guard_cap=deps.settings.budget_change_cap
    )


async def _apply(
    deps: Deps, ctx: RequestContext, adapter: PlatformAdapter, decisions: list[BudgetDecision]
) -> set[str]:
    """All decisions logged ``planned`` first, then sent with as few calls as possible."""
    return await apply_decisions(deps, ctx, adapter, decisions, POLICY_WRITES)
