"""The launch-stage machine (seed 004 §3, §15.3): launch → heating → hot, pure.

* **launch → heating** when cumulative impressions reach ``heating_impressions`` and the
  daily CTR of the last ``ctr_stable_days`` days is stable (coefficient of variation at
  most ``ctr_max_cv``);
* **heating → hot** when matured ROAS ≥ the target on each of the last ``hot_roas_days``
  days (days younger than ``maturity_lag_days`` are excluded: their conversions are still
  arriving);
* **demotion** one stage down when matured ROAS < ``demote_ratio`` × target on each of the
  last ``demote_days`` days.

Each stage carries a delivery profile (optimization goal and bidding, mapped to each
platform by its adapter) and its own budget behaviour (:func:`stage_actions`): launch
spreads the budget evenly over the ad sets, heating leaves allocation to the budget
policy, hot auto-scales: an ad set spending its whole budget gets ``hot_budget_step``
more budget; one spending less than its budget is losing auctions, so its money bid (cost
cap / target CPA, bid cap) is raised by ``hot_bid_step`` (:func:`stage_bid_actions`). An
under-spending ad set without a money bid (lowest cost, value bidding) is left alone: the
platform already bids what it takes, and there is no bid to raise.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from roasloop.decisions.snapshot import AdSetSnapshot, BidDecision, BudgetDecision, DailyPoint
from roasloop.domain.enums import BidStrategy, BudgetAction, EntityStatus, OptimizationGoal, Stage
from roasloop.domain.metrics import MetricTotals
from roasloop.domain.money import quantize, split_equally

ORDER = (Stage.LAUNCH, Stage.HEATING, Stage.HOT)


@dataclass(frozen=True, slots=True)
class StageThresholds:
    """Per-product settings (the PRD leaves the numbers to the seller)."""

    target_roas: Decimal = Decimal("2.0")
    heating_impressions: int = 100_000
    ctr_stable_days: int = 3
    ctr_max_cv: Decimal = Decimal("0.25")
    hot_roas_days: int = 3
    demote_ratio: Decimal = Decimal("0.5")
    demote_days: int = 3
    maturity_lag_days: int = 2
    hot_budget_step: Decimal = Decimal("0.20")
    hot_full_spend_ratio: Decimal = Decimal("0.95")
    hot_bid_step: Decimal = Decimal("0.10")


@dataclass(frozen=True, slots=True)
class DeliveryProfile:
    """What a stage optimizes for and how it bids (platform values come from adapters)."""

    optimization_goal: OptimizationGoal
    bid_strategy: BidStrategy
    kpi: str


PROFILES = {
    Stage.LAUNCH: DeliveryProfile(OptimizationGoal.VIDEO_VIEWS, BidStrategy.LOWEST_COST, "reach"),
    Stage.HEATING: DeliveryProfile(OptimizationGoal.CONVERSIONS, BidStrategy.TARGET_ROAS, "roas"),
    Stage.HOT: DeliveryProfile(OptimizationGoal.VALUE, BidStrategy.MAX_CONVERSION_VALUE, "spend"),
}


@dataclass(frozen=True, slots=True)
class StageTransition:
    campaign_id: str
    from_stage: Stage
    to_stage: Stage
    reason_key: str
    values: dict[str, Any]

    def message_values(self) -> dict[str, Any]:
        """The values its reason message is written with (the stages and the numbers)."""
        return {"from": self.from_stage.value, "to": self.to_stage.value, **self.values}


def evaluate(
    campaign_id: str,
    stage: Stage,
    history: Sequence[DailyPoint],
    thresholds: StageThresholds,
) -> StageTransition | None:
    """The switch this campaign's daily history calls for, if any (demotion first)."""
    matured = _matured(history, thresholds.maturity_lag_days)
    demote = _demotion(stage, matured, thresholds)
    if demote is not None:
        return StageTransition(campaign_id, stage, *demote)
    promote = _promotion(stage, history, matured, thresholds)
    return StageTransition(campaign_id, stage, *promote) if promote else None


def stage_actions(
    stage: Stage,
    adsets: Sequence[AdSetSnapshot],
    total_budget: Decimal,
    thresholds: StageThresholds,
) -> list[BudgetDecision]:
    """The stage's own budget behaviour (see the module docstring)."""
    active = [a for a in adsets if a.status is EntityStatus.ACTIVE]
    if stage is Stage.LAUNCH:
        return _spread(active, total_budget)
    if stage is Stage.HOT:
        return [d for a in active if (d := _scale_if_capped(a, thresholds)) is not None]
    return []


def stage_bid_actions(
    stage: Stage, adsets: Sequence[AdSetSnapshot], thresholds: StageThresholds
) -> list[BidDecision]:
    """Hot stage only: raise the money bid of active ad sets spending below their budget."""
    if stage is not Stage.HOT:
        return []
    active = [a for a in adsets if a.status is EntityStatus.ACTIVE]
    return [d for a in active if (d := _raise_bid_if_underspent(a, thresholds)) is not None]


def _raise_bid_if_underspent(adset: AdSetSnapshot, t: StageThresholds) -> BidDecision | None:
    if adset.bid is None or not adset.history:
        return None
    spend = adset.history[-1].metrics.spend
    if spend >= t.hot_full_spend_ratio * adset.daily_budget:
        return None
    values = {"spend": float(spend), "budget": float(adset.daily_budget), "bid": float(adset.bid)}
    return BidDecision(
        adset.adset_id,
        adset.bid,
        quantize(adset.bid * (1 + t.hot_bid_step)),
        "reason_stage_raise_bid",
        {
            "pct": int(t.hot_bid_step * 100),
            "spend": f"{spend:.2f}",
            "budget": f"{adset.daily_budget:.2f}",
        },
        values,
    )


def _matured(history: Sequence[DailyPoint], lag: int) -> list[DailyPoint]:
    """Complete days old enough for their conversions to have arrived, and that delivered."""
    old_enough = history[: len(history) - lag] if lag else history
    return [p for p in old_enough if p.metrics.spend > 0]


def _demotion(
    stage: Stage, matured: list[DailyPoint], t: StageThresholds
) -> tuple[Stage, str, dict[str, Any]] | None:
    if stage is Stage.LAUNCH or len(matured) < t.demote_days:
        return None
    recent = matured[-t.demote_days :]
    floor = t.demote_ratio * t.target_roas
    if all(_roas(p.metrics) < floor for p in recent):
        values = {"roas": [_num(_roas(p.metrics)) for p in recent], "floor": float(floor)}
        return ORDER[ORDER.index(stage) - 1], "stage_demoted", values
    return None


def _promotion(
    stage: Stage, history: Sequence[DailyPoint], matured: list[DailyPoint], t: StageThresholds
) -> tuple[Stage, str, dict[str, Any]] | None:
    if stage is Stage.LAUNCH:
        impressions = sum(p.metrics.impressions for p in history)
        cv = _ctr_cv(history[-t.ctr_stable_days :]) if len(history) >= t.ctr_stable_days else None
        if impressions >= t.heating_impressions and cv is not None and cv <= t.ctr_max_cv:
            return (
                Stage.HEATING,
                "stage_to_heating",
                {"impressions": impressions, "ctr_cv": float(cv)},
            )
        return None
    if stage is Stage.HEATING and len(matured) >= t.hot_roas_days:
        recent = matured[-t.hot_roas_days :]
        if all(_roas(p.metrics) >= t.target_roas for p in recent):
            roas = [_num(_roas(p.metrics)) for p in recent]
            return Stage.HOT, "stage_to_hot", {"roas": roas, "target": float(t.target_roas)}
    return None


def _ctr_cv(points: Sequence[DailyPoint]) -> Decimal | None:
    ctrs = [p.metrics.ctr for p in points]
    if any(c is None for c in ctrs):
        return None
    values = [float(c) for c in ctrs if c is not None]
    mean = statistics.fmean(values)
    if mean == 0:
        return None
    return Decimal(str(round(statistics.pstdev(values) / mean, 6)))


def _spread(active: Sequence[AdSetSnapshot], total: Decimal) -> list[BudgetDecision]:
    if not active:
        return []
    shares = split_equally(sum((a.daily_budget for a in active), Decimal(0)), len(active))
    return [
        BudgetDecision(
            a.adset_id,
            _direction(a.daily_budget, share),
            a.daily_budget,
            share,
            "reason_stage_spread",
            {"stage": "launch"},
            {"total": float(total)},
        )
        for a, share in zip(active, shares, strict=True)
        if share != a.daily_budget
    ]


def _scale_if_capped(adset: AdSetSnapshot, t: StageThresholds) -> BudgetDecision | None:
    if not adset.history:
        return None
    spend = adset.history[-1].metrics.spend
    if spend < t.hot_full_spend_ratio * adset.daily_budget:
        return None
    new = quantize(adset.daily_budget * (1 + t.hot_budget_step))
    values = {"spend": float(spend), "budget": float(adset.daily_budget)}
    step = {"pct": int(t.hot_budget_step * 100)}
    return BudgetDecision(
        adset.adset_id,
        BudgetAction.INCREASE_BUDGET,
        adset.daily_budget,
        new,
        "reason_stage_scale",
        step,
        values,
    )


def _direction(old: Decimal, new: Decimal) -> BudgetAction:
    return BudgetAction.INCREASE_BUDGET if new > old else BudgetAction.DECREASE_BUDGET


def _roas(metrics: MetricTotals) -> Decimal:
    return metrics.roas if metrics.roas is not None else Decimal(0)


def _num(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.0001")))
