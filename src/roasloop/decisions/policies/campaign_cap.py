"""The campaign-budget guard: active ad sets never hold more daily budget than the campaign.

Per-ad-set policies (the seeds) scale ad sets one by one; this guard lets their increases use
only the headroom that exists after the same round's pauses and cuts, in the policies' order.
An increase that finds no headroom is dropped; one that finds some is trimmed to it (noted
``"campaign_budget"``). Nothing that lowers spend is ever touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from roasloop.decisions.snapshot import AdSetSnapshot, BudgetDecision
from roasloop.domain.enums import EntityStatus


def committed(snapshots: Sequence[AdSetSnapshot]) -> Decimal:
    """Sum of the active ad sets' daily budgets."""
    return sum((s.daily_budget for s in snapshots if s.status is EntityStatus.ACTIVE), Decimal(0))


def fit_to_campaign_budget(
    decisions: Sequence[BudgetDecision],
    snapshots: Sequence[AdSetSnapshot],
    campaign_budget: Decimal | None,
) -> list[BudgetDecision]:
    """``decisions`` with increases limited so the active budgets sum to ≤ ``campaign_budget``."""
    if campaign_budget is None:
        return list(decisions)
    total = committed(snapshots)
    for decision in decisions:
        if decision.new_budget is None:
            total -= decision.old_budget
        elif decision.new_budget < decision.old_budget:
            total -= decision.old_budget - decision.new_budget
    headroom = campaign_budget - total
    fitted: list[BudgetDecision] = []
    for decision in decisions:
        if decision.new_budget is None or decision.new_budget <= decision.old_budget:
            fitted.append(decision)
            continue
        wanted = decision.new_budget - decision.old_budget
        granted = min(wanted, max(headroom, Decimal(0)))
        if granted <= 0:
            continue
        headroom -= granted
        if granted == wanted:
            fitted.append(decision)
        else:
            notes = (*decision.notes, "campaign_budget")
            new = decision.old_budget + granted
            fitted.append(replace(decision, new_budget=new, notes=notes))
    return fitted
