"""One valid record of each kind for a tenant, for the store's contract tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
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
    AgeRange,
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

T0 = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
D0 = date(2026, 3, 1)
TIKTOK = Platform.TIKTOK


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def account(tenant: str, account_id: str = "acc-1", **kw: Any) -> PlatformAccount:
    base = PlatformAccount(tenant, TIKTOK, account_id, f"act.{tenant}.secret-token", T0, "main")
    return replace(base, **kw)


def creative(tenant: str, creative_id: str = "cr-1", created: datetime = T0) -> Creative:
    script = {"hook": "Wait for it…", "scenes": [1, 2.5, True, None]}
    return Creative(
        creative_id, tenant, f"video {creative_id}", "https://shop/p", "s3://v", created, script
    )


def campaign(tenant: str, campaign_id: str = "c-1", created: datetime = T0, **kw: Any) -> Campaign:
    base = Campaign(
        campaign_id, tenant, TIKTOK, "acc-1", f"campaign {campaign_id}", Objective.SALES,
        Decimal("100.00"), EntityStatus.ACTIVE, created, created, Stage.HEATING,
        target_roas=Decimal("2.35"), target_cpa=Decimal("12.50"), product_url="https://shop/p",
    )  # fmt: skip
    return replace(base, **kw)


def adset(tenant: str, adset_id: str = "as-1", campaign_id: str = "c-1", **kw: Any) -> AdSet:
    base = AdSet(
        adset_id, campaign_id, tenant, TIKTOK, f"adset {adset_id}", Decimal("33.33"),
        EntityStatus.ACTIVE, Targeting(("US", "CA"), AgeRange(18, 35)), OptimizationGoal.VALUE,
        BidStrategy.TARGET_ROAS, T0, T0, bid_amount=Decimal("1.05"),
    )  # fmt: skip
    return replace(base, **kw)


def ad(tenant: str, ad_id: str = "ad-1", created: datetime = T0, **kw: Any) -> Ad:
    base = Ad(
        ad_id, "as-1", "c-1", tenant, TIKTOK, "cr-1", f"ad {ad_id}", "Buy now 🔥",
        EntityStatus.ACTIVE, created, created,
    )  # fmt: skip
    return replace(base, **kw)


def perf(tenant: str, ad_id: str = "ad-1", day: date = D0, **kw: Any) -> PerformanceDaily:
    metrics = MetricTotals(1000, 30, 3, Decimal("45.67"), Decimal("123.45"))
    return replace(PerformanceDaily(tenant, TIKTOK, "c-1", "as-1", ad_id, day, metrics, T0), **kw)


def operation(
    tenant: str, operation_id: str = "op-1", created: datetime = T0, **kw: Any
) -> Operation:
    base = Operation(
        operation_id, tenant, TIKTOK, created, Trigger.POLICY, EntityLevel.ADSET, "as-1",
        "set_budget", OperationState.PLANNED, before={"daily_budget": "33.33"},
        after={"daily_budget": "40.00"}, reason="roas above target", request_id="req-1",
        idempotency_key=f"key-{operation_id}",
    )  # fmt: skip
    return replace(base, **kw)


def rule(tenant: str, rule_id: str = "r-1", created: datetime = T0, **kw: Any) -> Rule:
    condition = {"all": [{"metric": "roas", "op": "<", "value": 1.2, "window_days": 3}]}
    base = Rule(
        rule_id, tenant, f"rule {rule_id}", condition, {"type": "pause"}, {"level": "ad"},
        3600, True, created,
    )  # fmt: skip
    return replace(base, **kw)


def execution(
    tenant: str, execution_id: str = "x-1", executed: datetime = T0, **kw: Any
) -> RuleExecution:
    base = RuleExecution(
        execution_id, "r-1", tenant, executed, "ad-1", True, {"roas": 0.8}, "pause",
        {"status": "active"}, {"status": "paused"}, "applied", "roas 0.8 < 1.2",
    )  # fmt: skip
    return replace(base, **kw)


def ab_test(tenant: str, test_id: str = "ab-1", **kw: Any) -> ABTest:
    base = ABTest(
        test_id, tenant, "hooks", TIKTOK, "c-1", (("cr-1", "as-1"), ("cr-2", "as-2")),
        Decimal("50.00"), 7, D0, D0 + timedelta(days=7), ABTestStatus.RUNNING, "roas", T0,
    )  # fmt: skip
    return replace(base, **kw)


def queue_item(
    tenant: str, item_id: str = "q-1", created: datetime = T0, **kw: Any
) -> OptimizationQueueItem:
    base = OptimizationQueueItem(
        item_id, tenant, "ad-1", "batch-1", QueueStatus.PENDING, "manual", created,
        {"creative_ids": ["cr-9"]},
    )  # fmt: skip
    return replace(base, **kw)
