"""Guardrails every budget and bid decision passes before it may be applied.

The step cap (seed: no single change above 50 %) and the platform's minimum daily
budget hold for every decision, whatever policy proposed it; bids keep the same step cap
and stay at least one cent.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from roasloop.decisions.snapshot import BidDecision, BudgetDecision
from roasloop.domain.money import CENT


def step_bounds(old: Decimal, cap: Decimal) -> tuple[Decimal, Decimal]:
    """The lowest and highest amounts within ``cap`` of ``old``, in whole cents rounded
    toward ``old`` (never past the cap: 0.01 may not become 0.02 under a 50 % cap)."""
    low = (old * (1 - cap)).quantize(CENT, rounding=ROUND_CEILING)
    high = (old * (1 + cap)).quantize(CENT, rounding=ROUND_FLOOR)
    return low, high


def guard(decision: BudgetDecision, cap: Decimal, minimum: Decimal) -> BudgetDecision | None:
    """Clamp the new budget into [old × (1 − cap), old × (1 + cap)] and ≥ ``minimum``.

    Bounds are whole cents rounded toward ``old`` (:func:`step_bounds`); the platform
    minimum wins over the cap (a budget below it is raised to it). Returns ``None`` when the
    clamped change is no change at all (e.g. a decrease of an ad set already at the platform
    minimum). Pauses pass unchanged.
    """
    if decision.new_budget is None:
        return decision
    old = decision.old_budget
    low, high = step_bounds(old, cap)
    low = max(low, minimum)
    new = min(max(decision.new_budget, low), max(high, minimum))
    if new == old:
        return None
    notes = decision.notes
    if new != decision.new_budget:
        notes = (*notes, "capped" if new in (low, high) and new != minimum else "minimum")
    return replace(decision, new_budget=new, notes=notes)


MIN_BID = Decimal("0.01")


def guard_bid(decision: BidDecision, cap: Decimal) -> BidDecision | None:
    """Clamp the new bid into [old × (1 − cap), old × (1 + cap)] and ≥ one cent."""
    old = decision.old_bid
    low, high = step_bounds(old, cap)
    low, high = max(low, MIN_BID), max(high, MIN_BID)
    new = min(max(decision.new_bid, low), high)
    if new == old:
        return None
    notes = decision.notes if new == decision.new_bid else (*decision.notes, "capped")
    return replace(decision, new_bid=new, notes=notes)
