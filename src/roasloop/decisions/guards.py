"""Guardrails every budget and bid decision passes before it may be applied.

The step cap (seed: no single change above 50 %) and the platform's minimum daily
budget hold for every decision, whatever policy proposed it; bids keep the same step cap
and stay at least one cent.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from roasloop.decisions.snapshot import BidDecision, BudgetDecision
from roasloop.domain.money import quantize


def guard(decision: BudgetDecision, cap: Decimal, minimum: Decimal) -> BudgetDecision | None:
    """Clamp the new budget into [old × (1 − cap), old × (1 + cap)] and ≥ ``minimum``.

    Returns ``None`` when the clamped change is no change at all (e.g. a decrease of an
    ad set already at the platform minimum). Pauses pass unchanged.
    """
    if decision.new_budget is None:
        return decision
    old = decision.old_budget
    low = max(quantize(old * (1 - cap)), minimum)
    high = quantize(old * (1 + cap))
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
    low = max(quantize(old * (1 - cap)), MIN_BID)
    high = max(quantize(old * (1 + cap)), MIN_BID)
    new = min(max(decision.new_bid, low), high)
    if new == old:
        return None
    notes = decision.notes if new == decision.new_bid else (*decision.notes, "capped")
    return replace(decision, new_bid=new, notes=notes)
