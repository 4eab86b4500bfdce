"""Observe for the rule engine: stored rules, campaign data as frames, limits and the ledger.

Frames cover every day from the oldest object's creation (at most
:data:`LIFETIME_MAX_DAYS` back) through today, so ``lifetime`` windows mean what they say.
Learning state is derived in the engine from each object's last significant edit, read
here from the operation log: a confirmed budget or bid change or a confirmed change to
``active``; creation otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import structlog

from roasloop.decisions.rules import (
    CompiledRule,
    FrameRow,
    Ledger,
    Limits,
    ObjectFrame,
    PastExecution,
    build_frame,
    parse_rule,
    seed_document,
)
from roasloop.domain.enums import MONEY_BID_STRATEGIES, EntityLevel, OperationState
from roasloop.domain.metrics import MetricTotals
from roasloop.domain.models import Campaign, PerformanceDaily, Rule
from roasloop.domain.money import to_minor_units
from roasloop.errors import NotFound, RoasloopError
from roasloop.ports.store import CampaignRepository, OperationLog, UnitOfWork
from roasloop.services.common import Deps, RequestContext
from roasloop.services.reports import sync_reports
from roasloop.services.rules.results import EXECUTED, RefreshWarning
from roasloop.translations import N_

log = structlog.get_logger(__name__)
LIFETIME_MAX_DAYS = 400
SPEC_KEY = "rule_spec"


def compile_stored(rule: Rule) -> CompiledRule:
    """A stored rule (rich document or the seed's three dicts) as the engine's rule."""
    document = rule.condition.get(SPEC_KEY)
    if not isinstance(document, dict):
        document = seed_document(rule.name, rule.condition, rule.action, rule.applies_to)
    compiled = parse_rule({**document, "name": rule.name}, rule.rule_id)
    return compiled


async def require_rule(deps: Deps, ctx: RequestContext, rule_id: str) -> Rule:
    async with deps.store.unit(ctx.tenant_id) as uow:
        rule = await uow.rules.get(rule_id)
    if rule is None:
        raise NotFound(
            N_("rule {rule_id}"),
            details={"field": "rule_id", "rule_id": rule_id},
            detail_params={"rule_id": rule_id},
        )
    return rule


@dataclass(frozen=True, slots=True)
class Observed:
    """What one cycle sees: frames per level, limits, and problems met while refreshing."""

    frames: list[ObjectFrame]
    limits: Limits
    warnings: tuple[RefreshWarning, ...] = ()


async def observe(
    deps: Deps, ctx: RequestContext, rules: Sequence[CompiledRule], refresh: bool = True
) -> Observed:
    """Refresh reports of the campaigns the rules can reach and build their frames."""
    async with deps.store.unit(ctx.tenant_id) as uow:
        campaigns = reachable(await uow.campaigns.all(), rules)
    warnings: list[RefreshWarning] = []
    minimums: dict[tuple[str, str], int] = {}
    today = deps.clock.today()
    first = _first_day(campaigns, today)
    for campaign in campaigns:
        try:
            adapter = await deps.adapters.adapter_for(ctx.tenant_id, campaign.platform)
            caps = adapter.capabilities
            minimums[(campaign.platform.value, "adset")] = to_minor_units(
                caps.min_adset_daily_budget
            )
            minimums[(campaign.platform.value, "campaign")] = to_minor_units(
                caps.min_campaign_daily_budget
            )
            if refresh:
                await sync_reports(deps, ctx, adapter, campaign)
        except RoasloopError as error:
            log.warning("rules_on_stored_data", campaign_id=campaign.campaign_id, code=error.code)
            warnings.append(RefreshWarning(campaign.campaign_id, error.code, error.type))
    async with deps.store.unit(ctx.tenant_id) as uow:
        frames = await _frames(uow, campaigns, {rule.level for rule in rules}, first, today)
    limits = Limits(Fraction(deps.settings.budget_change_cap), minimums)
    return Observed(frames, limits, tuple(warnings))


async def _frames(
    uow: UnitOfWork, campaigns: list[Campaign], levels: set[EntityLevel], first: date, today: date
) -> list[ObjectFrame]:
    """The frames of ``levels``, every read behind them in the one unit of work."""
    rows = {
        c.campaign_id: await uow.performance.for_campaign(c.platform, c.campaign_id, first, today)
        for c in campaigns
    }
    edits = await _last_edits(uow.operations)
    return [
        build_frame(level, await _rows(uow.campaigns, level, campaigns, rows, edits), first, today)
        for level in sorted(levels)
    ]


def reachable(campaigns: list[Campaign], rules: Sequence[CompiledRule]) -> list[Campaign]:
    """The campaigns any of ``rules`` applies to."""

    def wanted(campaign: Campaign, rule: CompiledRule) -> bool:
        scope = rule.scope
        return (not scope.platforms or campaign.platform.value in scope.platforms) and (
            not scope.campaign_ids or campaign.campaign_id in scope.campaign_ids
        )

    return [c for c in campaigns if any(wanted(c, r) for r in rules)]


def _first_day(campaigns: Iterable[Campaign], today: date) -> date:
    created = [c.created_at.date() for c in campaigns]
    return max(min(created, default=today), today - timedelta(days=LIFETIME_MAX_DAYS))


async def _last_edits(log: OperationLog) -> dict[str, date]:
    """Day of each object's last significant edit, from confirmed operation-log entries."""
    operations = await log.find(states=[OperationState.CONFIRMED], limit=100_000)
    edits: dict[str, date] = {}
    for op in operations:
        if {"daily_budget", "bid"} & op.after.keys() or op.after.get("status") == "active":
            day = op.created_at.date()
            edits[op.object_id] = max(day, edits.get(op.object_id, day))
    return edits


async def _rows(
    stored: CampaignRepository,
    level: EntityLevel,
    campaigns: list[Campaign],
    perf: dict[str, list[PerformanceDaily]],
    edits: dict[str, date],
) -> list[FrameRow]:
    out: list[FrameRow] = []
    for campaign in campaigns:
        rows = perf.get(campaign.campaign_id, [])
        if level is EntityLevel.CAMPAIGN:
            daily = _grouped(rows, lambda r: "all").get("all", {})
            out.append(_campaign_row(campaign, daily, edits))
        elif level is EntityLevel.ADSET:
            adsets = await stored.list_adsets(campaign.platform, campaign.campaign_id)
            by_adset = _grouped(rows, lambda r: r.adset_id)
            out += [
                _row(
                    campaign,
                    a.adset_id,
                    a.adset_id,
                    a.name,
                    a.status.value,
                    a.daily_budget,
                    a.created_at.date(),
                    by_adset.get(a.adset_id, {}),
                    edits,
                    a.bid_amount if a.bid_strategy in MONEY_BID_STRATEGIES else None,
                )
                for a in adsets
            ]
        else:
            ads = await stored.list_ads(campaign.platform, campaign.campaign_id)
            by_ad = _grouped(rows, lambda r: r.ad_id)
            out += [
                _row(
                    campaign,
                    ad.ad_id,
                    ad.adset_id,
                    ad.name,
                    ad.status.value,
                    None,
                    ad.created_at.date(),
                    by_ad.get(ad.ad_id, {}),
                    edits,
                )
                for ad in ads
            ]
    return out


def _campaign_row(
    campaign: Campaign, daily: dict[date, MetricTotals], edits: dict[str, date]
) -> FrameRow:
    return _row(
        campaign,
        campaign.campaign_id,
        "",
        campaign.name,
        campaign.status.value,
        campaign.daily_budget,
        campaign.created_at.date(),
        daily,
        edits,
    )


def _row(
    campaign: Campaign,
    object_id: str,
    adset_id: str,
    name: str,
    status: str,
    budget: Decimal | None,
    created: date,
    daily: dict[date, MetricTotals],
    edits: dict[str, date],
    bid: Decimal | None = None,
) -> FrameRow:
    return FrameRow(
        object_id=object_id,
        campaign_id=campaign.campaign_id,
        adset_id=adset_id,
        account_id=campaign.account_id,
        platform=campaign.platform.value,
        name=name,
        status=status,
        stage=campaign.stage.value,
        budget=budget,
        created=created,
        last_edit=max(edits.get(object_id, created), created),
        target_roas=campaign.target_roas,
        target_cpa=campaign.target_cpa,
        daily=daily,
        bid=bid,
    )


def _grouped(
    rows: list[PerformanceDaily], key: Callable[[PerformanceDaily], str]
) -> dict[str, dict[date, MetricTotals]]:
    grouped: dict[str, dict[date, MetricTotals]] = defaultdict(dict)
    for row in rows:
        days = grouped[key(row)]
        days[row.day] = days.get(row.day, MetricTotals()) + row.metrics
    return grouped


async def load_ledger(deps: Deps, ctx: RequestContext, rules: Sequence[CompiledRule]) -> Ledger:
    """Past executions (applied changes and sent notifications) of ``rules``."""
    entries = []
    async with deps.store.unit(ctx.tenant_id) as uow:
        for rule in rules:
            history = await uow.rules.list_executions(rule.rule_id, 100_000)
            entries += [
                PastExecution(rule.rule_id, e.object_id, e.executed_at)
                for e in history
                if e.result in EXECUTED and e.action != "undo"
            ]
    return Ledger(entries)
