"""The inputs of every decision: plain values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from roasloop.domain.enums import BudgetAction, EntityStatus
from roasloop.domain.metrics import MetricTotals


@dataclass(frozen=True, slots=True)
class DailyPoint:
    day: date
    metrics: MetricTotals


@dataclass(frozen=True, slots=True)
class AdSetSnapshot:
    """One ad set as a policy sees it: budget, status and its daily history (oldest first).

    ``bid`` is its money bid (cost cap / target CPA, bid cap), ``None`` when it bids
    without one (lowest cost, value bidding, a ROAS target).
    """

    adset_id: str
    name: str
    status: EntityStatus
    daily_budget: Decimal
    history: tuple[DailyPoint, ...] = ()
    bid: Decimal | None = None

    def window(self, days: int) -> MetricTotals:
        """Totals of the last ``days`` days of history."""
        return MetricTotals.total(point.metrics for point in self.history[-days:])

    @property
    def days_running(self) -> int:
        return len(self.history)

    @property
    def zero_conversion_streak(self) -> int:
        """Consecutive most recent days without a conversion."""
        streak = 0
        for point in reversed(self.history):
            if point.metrics.conversions:
                break
            streak += 1
        return streak


@dataclass(frozen=True, slots=True)
class Targets:
    target_roas: Decimal | None = None
    target_cpa: Decimal | None = None


@dataclass(frozen=True, slots=True)
class BudgetDecision:
    """One proposed change with its reason (message key + values) and the numbers behind it."""

    adset_id: str
    action: BudgetAction
    old_budget: Decimal
    new_budget: Decimal | None
    reason_key: str
    reason_params: dict[str, Any] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BidDecision:
    """One proposed change of an ad set's money bid, with its reason and numbers."""

    adset_id: str
    old_bid: Decimal
    new_bid: Decimal
    reason_key: str
    reason_params: dict[str, Any] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
