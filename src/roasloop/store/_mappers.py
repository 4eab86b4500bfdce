"""Domain records ↔ table rows. Pure functions; rows are column-name dicts on the way in."""

from __future__ import annotations

from typing import Any

from roasloop.domain.enums import (
    ABTestStatus,
    BidStrategy,
    EntityLevel,
    EntityStatus,
    Objective,
    OperationState,
    OptimizationGoal,
    Platform,
    QueueStatus,
    Stage,
    Trigger,
)
from roasloop.domain.metrics import MetricTotals
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
    Targeting,
)
from roasloop.store.crypto import TokenCipher, seal_secrets, unseal_secrets
from roasloop.store.tables import (
    ABTestRow,
    AdGroupRow,
    AdRow,
    CampaignRow,
    CreativeRow,
    OperationRow,
    OptimizationQueueRow,
    PerformanceDailyRow,
    PlatformAccountRow,
    RuleExecutionRow,
    RuleRow,
)

Values = dict[str, Any]


def account_values(account: PlatformAccount, cipher: TokenCipher) -> Values:
    return {
        "tenant_id": account.tenant_id,
        "platform": account.platform.value,
        "account_id": account.account_id,
        "access_token_encrypted": cipher.encrypt(account.access_token),
        "name": account.name,
        "created_at": account.created_at,
    }


def account_from(row: PlatformAccountRow, cipher: TokenCipher) -> PlatformAccount:
    return PlatformAccount(
        tenant_id=row.tenant_id,
        platform=Platform(row.platform),
        account_id=row.account_id,
        access_token=cipher.decrypt(row.access_token_encrypted),
        created_at=row.created_at,
        name=row.name,
    )


def creative_values(creative: Creative) -> Values:
    return {
        "tenant_id": creative.tenant_id,
        "creative_id": creative.creative_id,
        "name": creative.name,
        "product_url": creative.product_url,
        "media_url": creative.media_url,
        "created_at": creative.created_at,
        "script": creative.script,
    }


def creative_from(row: CreativeRow) -> Creative:
    return Creative(
        creative_id=row.creative_id,
        tenant_id=row.tenant_id,
        name=row.name,
        product_url=row.product_url,
        media_url=row.media_url,
        created_at=row.created_at,
        script=row.script,
    )


def campaign_values(campaign: Campaign) -> Values:
    return {
        "tenant_id": campaign.tenant_id,
        "platform": campaign.platform.value,
        "campaign_id": campaign.campaign_id,
        "account_id": campaign.account_id,
        "name": campaign.name,
        "objective": campaign.objective.value,
        "daily_budget_cents": campaign.daily_budget,
        "status": campaign.status.value,
        "stage": campaign.stage.value,
        "target_roas_e4": campaign.target_roas,
        "target_cpa_cents": campaign.target_cpa,
        "product_url": campaign.product_url,
        "created_at": campaign.created_at,
        "updated_at": campaign.updated_at,
    }


def campaign_from(row: CampaignRow) -> Campaign:
    return Campaign(
        campaign_id=row.campaign_id,
        tenant_id=row.tenant_id,
        platform=Platform(row.platform),
        account_id=row.account_id,
        name=row.name,
        objective=Objective(row.objective),
        daily_budget=row.daily_budget_cents,
        status=EntityStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        stage=Stage(row.stage),
        target_roas=row.target_roas_e4,
        target_cpa=row.target_cpa_cents,
        product_url=row.product_url,
    )


def adset_values(adset: AdSet) -> Values:
    return {
        "tenant_id": adset.tenant_id,
        "platform": adset.platform.value,
        "adset_id": adset.adset_id,
        "campaign_id": adset.campaign_id,
        "name": adset.name,
        "daily_budget_cents": adset.daily_budget,
        "status": adset.status.value,
        "targeting": adset.targeting.as_dict(),
        "optimization_goal": adset.optimization_goal.value,
        "bid_strategy": adset.bid_strategy.value,
        "bid_amount_cents": adset.bid_amount,
        "created_at": adset.created_at,
        "updated_at": adset.updated_at,
    }


def adset_from(row: AdGroupRow) -> AdSet:
    return AdSet(
        adset_id=row.adset_id,
        campaign_id=row.campaign_id,
        tenant_id=row.tenant_id,
        platform=Platform(row.platform),
        name=row.name,
        daily_budget=row.daily_budget_cents,
        status=EntityStatus(row.status),
        targeting=Targeting.from_dict(row.targeting),
        optimization_goal=OptimizationGoal(row.optimization_goal),
        bid_strategy=BidStrategy(row.bid_strategy),
        created_at=row.created_at,
        updated_at=row.updated_at,
        bid_amount=row.bid_amount_cents,
    )


def ad_values(ad: Ad) -> Values:
    return {
        "tenant_id": ad.tenant_id,
        "platform": ad.platform.value,
        "ad_id": ad.ad_id,
        "adset_id": ad.adset_id,
        "campaign_id": ad.campaign_id,
        "creative_id": ad.creative_id,
        "name": ad.name,
        "copy": ad.copy,
        "status": ad.status.value,
        "created_at": ad.created_at,
        "updated_at": ad.updated_at,
    }


def ad_from(row: AdRow) -> Ad:
    return Ad(
        ad_id=row.ad_id,
        adset_id=row.adset_id,
        campaign_id=row.campaign_id,
        tenant_id=row.tenant_id,
        platform=Platform(row.platform),
        creative_id=row.creative_id,
        name=row.name,
        copy=row.copy,
        status=EntityStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def performance_values(perf: PerformanceDaily) -> Values:
    return {
        "tenant_id": perf.tenant_id,
        "platform": perf.platform.value,
        "ad_id": perf.ad_id,
        "day": perf.day,
        "campaign_id": perf.campaign_id,
        "adset_id": perf.adset_id,
        "impressions": perf.metrics.impressions,
        "clicks": perf.metrics.clicks,
        "conversions": perf.metrics.conversions,
        "spend_cents": perf.metrics.spend,
        "revenue_cents": perf.metrics.revenue,
        "fetched_at": perf.fetched_at,
    }


def performance_from(row: PerformanceDailyRow) -> PerformanceDaily:
    metrics = MetricTotals(
        impressions=row.impressions,
        clicks=row.clicks,
        conversions=row.conversions,
        spend=row.spend_cents,
        revenue=row.revenue_cents,
    )
    return PerformanceDaily(
        tenant_id=row.tenant_id,
        platform=Platform(row.platform),
        campaign_id=row.campaign_id,
        adset_id=row.adset_id,
        ad_id=row.ad_id,
        day=row.day,
        metrics=metrics,
        fetched_at=row.fetched_at,
    )


def operation_values(op: Operation) -> Values:
    return {
        "tenant_id": op.tenant_id,
        "operation_id": op.operation_id,
        "platform": op.platform.value,
        "created_at": op.created_at,
        "triggered_by": op.trigger.value,
        "object_level": op.object_level.value,
        "object_id": op.object_id,
        "action": op.action,
        "state": op.state.value,
        "before": op.before,
        "after": op.after,
        "reason": op.reason,
        "result": op.result,
        "request_id": op.request_id,
        "idempotency_key": op.idempotency_key,
        "updated_at": op.updated_at,
    }


def operation_from(row: OperationRow) -> Operation:
    return Operation(
        operation_id=row.operation_id,
        tenant_id=row.tenant_id,
        platform=Platform(row.platform),
        created_at=row.created_at,
        trigger=Trigger(row.triggered_by),
        object_level=EntityLevel(row.object_level),
        object_id=row.object_id,
        action=row.action,
        state=OperationState(row.state),
        before=row.before,
        after=row.after,
        reason=row.reason,
        result=row.result,
        request_id=row.request_id,
        idempotency_key=row.idempotency_key,
        updated_at=row.updated_at,
    )


def rule_values(rule: Rule, cipher: TokenCipher) -> Values:
    return {
        "tenant_id": rule.tenant_id,
        "rule_id": rule.rule_id,
        "name": rule.name,
        "condition": seal_secrets(rule.condition, cipher),
        "action": seal_secrets(rule.action, cipher),
        "applies_to": seal_secrets(rule.applies_to, cipher),
        "check_interval_seconds": rule.check_interval_seconds,
        "enabled": rule.enabled,
        "created_at": rule.created_at,
        "last_checked_at": rule.last_checked_at,
    }


def rule_from(row: RuleRow, cipher: TokenCipher) -> Rule:
    return Rule(
        rule_id=row.rule_id,
        tenant_id=row.tenant_id,
        name=row.name,
        condition=unseal_secrets(row.condition, cipher),
        action=unseal_secrets(row.action, cipher),
        applies_to=unseal_secrets(row.applies_to, cipher),
        check_interval_seconds=row.check_interval_seconds,
        enabled=row.enabled,
        created_at=row.created_at,
        last_checked_at=row.last_checked_at,
    )


def execution_values(execution: RuleExecution) -> Values:
    return {
        "tenant_id": execution.tenant_id,
        "execution_id": execution.execution_id,
        "rule_id": execution.rule_id,
        "executed_at": execution.executed_at,
        "object_id": execution.object_id,
        "matched": execution.matched,
        "metric_values": execution.values,
        "action": execution.action,
        "before": execution.before,
        "after": execution.after,
        "result": execution.result,
        "reason": execution.reason,
    }


def execution_from(row: RuleExecutionRow) -> RuleExecution:
    return RuleExecution(
        execution_id=row.execution_id,
        rule_id=row.rule_id,
        tenant_id=row.tenant_id,
        executed_at=row.executed_at,
        object_id=row.object_id,
        matched=row.matched,
        values=row.metric_values,
        action=row.action,
        before=row.before,
        after=row.after,
        result=row.result,
        reason=row.reason,
    )


def ab_test_values(test: ABTest) -> Values:
    return {
        "tenant_id": test.tenant_id,
        "test_id": test.test_id,
        "name": test.name,
        "platform": test.platform.value,
        "campaign_id": test.campaign_id,
        "variants": [list(pair) for pair in test.variants],
        "daily_budget_cents": test.daily_budget,
        "duration_days": test.duration_days,
        "start_date": test.start_date,
        "end_date": test.end_date,
        "status": test.status.value,
        "primary_metric": test.primary_metric,
        "created_at": test.created_at,
        "results": test.results,
        "winner": test.winner,
    }


def ab_test_from(row: ABTestRow) -> ABTest:
    return ABTest(
        test_id=row.test_id,
        tenant_id=row.tenant_id,
        name=row.name,
        platform=Platform(row.platform),
        campaign_id=row.campaign_id,
        variants=tuple((str(c), str(a)) for c, a in row.variants),
        daily_budget=row.daily_budget_cents,
        duration_days=row.duration_days,
        start_date=row.start_date,
        end_date=row.end_date,
        status=ABTestStatus(row.status),
        primary_metric=row.primary_metric,
        created_at=row.created_at,
        results=row.results,
        winner=row.winner,
    )


def queue_values(item: OptimizationQueueItem) -> Values:
    return {
        "tenant_id": item.tenant_id,
        "item_id": item.item_id,
        "source_ad_id": item.source_ad_id,
        "new_batch_id": item.new_batch_id,
        "status": item.status.value,
        "mode": item.mode,
        "created_at": item.created_at,
        "payload": item.payload,
        "updated_at": None,
    }


def queue_from(row: OptimizationQueueRow) -> OptimizationQueueItem:
    return OptimizationQueueItem(
        item_id=row.item_id,
        tenant_id=row.tenant_id,
        source_ad_id=row.source_ad_id,
        new_batch_id=row.new_batch_id,
        status=QueueStatus(row.status),
        mode=row.mode,
        created_at=row.created_at,
        payload=row.payload,
    )
