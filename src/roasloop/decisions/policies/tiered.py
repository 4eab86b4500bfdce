"""Seed 004 §15.2's tiered budget policy ("tiered"), exactly as specified.

On the last 7 days' ROAS against the target: ≥ 1.5 × target → budget × 1.3; ≥ 1 × → keep;
≥ 0.7 × → × 0.8; otherwise pause. Ad sets without spend in the window (no ROAS) are left
alone; so are campaigns without a ROAS target, since every tier is a ROAS tier.
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
class SeedTieredConfig:
    scale_at: Decimal = Decimal("1.5")
    keep_at: Decimal = Decimal("1")
    trim_at: Decimal = Decimal("0.7")
    scale_factor: Decimal = Decimal("1.3")
    trim_factor: Decimal = Decimal("0.8")
    window_days: int = 7


def decide(
    snapshots: Sequence[AdSetSnapshot], targets: Targets, config: SeedTieredConfig | None = None
) -> list[BudgetDecision]:
    """Decisions for active ad sets, in input order."""
    config = config or SeedTieredConfig()
    if targets.target_roas is None:
        return []
    target = targets.target_roas
    decisions = (
        _decide_one(s, target, config) for s in snapshots if s.status is EntityStatus.ACTIVE
    )
    return [d for d in decisions if d is not None]


def _decide_one(
    snapshot: AdSetSnapshot, target: Decimal, config: SeedTieredConfig
) -> BudgetDecision | None:
    window = snapshot.window(config.window_days)
    roas = window.roas
    if roas is None:
        return None
    params = {"roas": str(roas.quantize(TWO)), "target": str(target.quantize(TWO))}
    values: dict[str, object] = {
        "roas": float(roas.quantize(Decimal("0.0001"))),
        "target_roas": float(target),
        "spend": float(window.spend),
        "revenue": float(window.revenue),
        "conversions": window.conversions,
        "window_days": min(config.window_days, snapshot.days_running),
    }
    old = snapshot.daily_budget
    if roas >= config.scale_at * target:
        new = scale(old, config.scale_factor)
        return BudgetDecision(
            snapshot.adset_id,
            BudgetAction.INCREASE_BUDGET,
            old,
            new,
            "reason_tiered_scale",
            params,
            values,
        )
    if roas >= config.keep_at * target:
        return None
    if roas >= config.trim_at * target:
        new = scale(old, config.trim_factor)
        return BudgetDecision(
            snapshot.adset_id,
            BudgetAction.DECREASE_BUDGET,
            old,
            new,
            "reason_tiered_trim",
            params,
            values,
        )
    return BudgetDecision(
        snapshot.adset_id, BudgetAction.PAUSE, old, None, "reason_tiered_pause", params, values
    )
