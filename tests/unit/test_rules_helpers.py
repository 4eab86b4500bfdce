"""Builders shared by the rule-engine unit tests (plain values, no doubles)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from roasloop.decisions.rules import (
    CompiledRule,
    FrameRow,
    Ledger,
    Limits,
    ObjectFrame,
    RuleDecision,
    build_frame,
    parse_rule,
    run_cycle,
)
from roasloop.domain.enums import EntityLevel
from roasloop.domain.metrics import MetricTotals
from tests.unit import strategies

NOW = datetime(2026, 3, 20, 6, 0, tzinfo=UTC)
TODAY = NOW.date()
FIRST = TODAY - timedelta(days=40)

day_metrics = strategies.day_metrics(min_spend_cents=0)
money = strategies.money


def daily(history: Sequence[MetricTotals], end: date | None = None) -> dict[date, MetricTotals]:
    """``history`` (oldest first) as days ending yesterday (or ``end``)."""
    last = end or TODAY - timedelta(days=1)
    return {last - timedelta(days=len(history) - 1 - i): m for i, m in enumerate(history)}


def row(
    object_id: str,
    history: Sequence[MetricTotals] = (),
    budget: Decimal | str | None = "50",
    **overrides: Any,
) -> FrameRow:
    """An ad set created the day its history starts (so ``days_running == len(history)``)."""
    values: dict[str, Any] = {
        "object_id": object_id,
        "campaign_id": "c1",
        "adset_id": object_id,
        "account_id": "acct",
        "platform": "tiktok",
        "name": f"US 18-35 {object_id}",
        "status": "active",
        "stage": "launch",
        "budget": None if budget is None else Decimal(str(budget)),
        "created": TODAY - timedelta(days=max(len(history), 1)),
        "daily": daily(history),
    }
    values.update(overrides)
    return FrameRow(**values)


def frame(rows: Sequence[FrameRow], level: EntityLevel = EntityLevel.ADSET) -> ObjectFrame:
    return build_frame(level, rows, FIRST, TODAY)


def rule(document: dict[str, Any], rule_id: str = "r1") -> CompiledRule:
    return parse_rule(document, rule_id)


def decide(
    rules: Sequence[CompiledRule],
    rows: Sequence[FrameRow],
    *,
    ledger: Ledger | None = None,
    limits: Limits | None = None,
    now: datetime = NOW,
    level: EntityLevel = EntityLevel.ADSET,
) -> list[RuleDecision]:
    return run_cycle(rules, [frame(rows, level)], now, ledger, limits).decisions()


def metrics(
    spend: str = "10", revenue: str = "20", conversions: int = 1, **kw: int
) -> MetricTotals:
    return MetricTotals(
        impressions=kw.get("impressions", 1000),
        clicks=kw.get("clicks", 50),
        conversions=conversions,
        spend=Decimal(spend),
        revenue=Decimal(revenue),
    )


INCLUDE = {"learning_phase": "include"}


def rule_doc(
    condition: dict[str, Any], action: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "condition": condition,
        "action": action or {"type": "notify"},
        "safeguards": INCLUDE,
        **extra,
    }


def matched(document: dict[str, Any], rows: list[Any], **kw: Any) -> list[str]:
    return sorted({d.object_id for d in decide([rule(document)], rows, **kw)})


def one(decisions: list[RuleDecision]) -> RuleDecision:
    [only] = decisions
    return only
