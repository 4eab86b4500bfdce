"""Seed 000's budget policy ("threshold"), exactly as specified.

ROAS > 1.5 × target → +20 %; CPA > 1.5 × target → −20 %; no conversions on the last
3 consecutive days (and at least 3 days running) → pause. A pause beats a budget change
on the same ad set; the ROAS rule is checked before the CPA rule (the seed's order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from roasloop.decisions.snapshot import AdSetSnapshot, BudgetDecision, Targets
from roasloop.domain.enums import BudgetAction, EntityStatus
from roasloop.domain.money import scale

TWO = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class SeedDesignConfig:
    threshold: Decimal = Decimal("1.5")
    increase: Decimal = Decimal("0.20")
    decrease: Decimal = Decimal("0.20")
    pause_after_days: int = 3
    window_days: int = 7


def decide(
    snapshots: Sequence[AdSetSnapshot], targets: Targets, config: SeedDesignConfig | None = None
) -> list[BudgetDecision]:
    """Decisions for active ad sets, in input order."""
    config = config or SeedDesignConfig()
    decisions = [
        _decide_one(s, targets, config) for s in snapshots if s.status is EntityStatus.ACTIVE
    ]
    return [d for d in decisions if d is not None]


def _decide_one(
    snapshot: AdSetSnapshot, targets: Targets, config: SeedDesignConfig
) -> BudgetDecision | None:
    window = snapshot.window(config.window_days)
    values: dict[str, object] = {
        "roas": _num(window.roas),
        "cpa": _num(window.cpa),
        "spend": float(window.spend),
        "conversions": window.conversions,
        "days_running": snapshot.days_running,
        "zero_conversion_days": snapshot.zero_conversion_streak,
    }
    if _no_conversions(snapshot, config):
        days = config.pause_after_days
        return BudgetDecision(
            snapshot.adset_id,
            BudgetAction.PAUSE,
            snapshot.daily_budget,
            None,
            "reason_no_conversions",
            {"days": days},
            values,
        )
    if targets.target_roas and window.roas is not None:
        if window.roas > config.threshold * targets.target_roas:
            return _change(
                snapshot,
                BudgetAction.INCREASE_BUDGET,
                Decimal(1) + config.increase,
                "reason_roas_high",
                {"roas": _fmt(window.roas), "target": _fmt(targets.target_roas)},
                values,
            )
    if targets.target_cpa and window.cpa is not None:
        if window.cpa > config.threshold * targets.target_cpa:
            return _change(
                snapshot,
                BudgetAction.DECREASE_BUDGET,
                Decimal(1) - config.decrease,
                "reason_cpa_high",
                {"cpa": _fmt(window.cpa), "target": _fmt(targets.target_cpa)},
                values,
            )
    return None


def _no_conversions(snapshot: AdSetSnapshot, config: SeedDesignConfig) -> bool:
    return (
        snapshot.days_running >= config.pause_after_days
        and snapshot.zero_conversion_streak >= config.pause_after_days
    )


def _change(
    snapshot: AdSetSnapshot,
    action: BudgetAction,
    factor: Decimal,
    reason_key: str,
    reason_params: dict[str, object],
    values: dict[str, object],
) -> BudgetDecision:
    new_budget = scale(snapshot.daily_budget, factor)
    return BudgetDecision(
        snapshot.adset_id,
        action,
        snapshot.daily_budget,
        new_budget,
        reason_key,
        dict(reason_params),
        dict(values),
    )


def _fmt(value: Decimal) -> str:
    return str(value.quantize(TWO))


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(Decimal("0.0001")))
