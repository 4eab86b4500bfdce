"""Budget policies: pure functions from ad-set snapshots (+ targets and context) to decisions.

``threshold`` (seed 000, exact), ``tiered`` (seed 004 §15.2, exact) and ``roasloop``
(the default: posteriors, marginal-ROAS allocation, learning-aware steps). Every policy's
decisions also pass the campaign-budget guard (:mod:`.campaign_cap`); the caller applies the
step-cap / platform-minimum guard (:mod:`roasloop.decisions.guards`) on top.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from roasloop.decisions.guards import guard
from roasloop.decisions.policies import marginal_roas, threshold, tiered
from roasloop.decisions.policies.campaign_cap import fit_to_campaign_budget
from roasloop.decisions.policies.context import PolicyContext
from roasloop.decisions.snapshot import AdSetSnapshot, BudgetDecision, Targets

PolicyName = Literal["threshold", "tiered", "roasloop"]
POLICIES: tuple[PolicyName, ...] = ("threshold", "tiered", "roasloop")
DEFAULT_POLICY: PolicyName = "roasloop"
#: Names the two specification policies had in earlier versions; still accepted.
FORMER_NAMES = {"seed-design": "threshold", "seed-tiered": "tiered"}


def current_name(name: object) -> object:
    """A policy (or preset) name as it is called now: a former name maps to its new one."""
    return FORMER_NAMES.get(name, name) if isinstance(name, str) else name

Findings = list[tuple[str, dict[str, Any]]]
Policy = Callable[
    [Sequence[AdSetSnapshot], Targets, PolicyContext],
    tuple[list[BudgetDecision], Findings],
]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A policy's guarded decisions, and campaign-level findings (message key + values)."""

    decisions: list[BudgetDecision]
    findings: Findings = field(default_factory=list)


def _threshold(
    snapshots: Sequence[AdSetSnapshot], targets: Targets, context: PolicyContext
) -> tuple[list[BudgetDecision], Findings]:
    return threshold.decide(snapshots, targets), []


def _tiered(
    snapshots: Sequence[AdSetSnapshot], targets: Targets, context: PolicyContext
) -> tuple[list[BudgetDecision], Findings]:
    return tiered.decide(snapshots, targets), []


def _roasloop(
    snapshots: Sequence[AdSetSnapshot], targets: Targets, context: PolicyContext
) -> tuple[list[BudgetDecision], Findings]:
    assessment = marginal_roas.assess(snapshots, targets, context)
    return assessment.decisions, assessment.findings


REGISTRY: dict[str, Policy] = {
    "threshold": _threshold,
    "tiered": _tiered,
    "roasloop": _roasloop,
}


def decide(
    policy: str,
    snapshots: Sequence[AdSetSnapshot],
    targets: Targets,
    context: PolicyContext,
    *,
    guard_cap: Decimal | None = None,
) -> list[BudgetDecision]:
    """Run ``policy``, then the guards: with ``guard_cap``, each change is clamped to ± that
    share and to ≥ ``context.min_budget`` (:func:`roasloop.decisions.guards.guard`); finally
    increases are fitted into the campaign budget's headroom.

    Raises ``KeyError`` for an unknown policy name.
    """
    return evaluate(policy, snapshots, targets, context, guard_cap=guard_cap).decisions


def evaluate(
    policy: str,
    snapshots: Sequence[AdSetSnapshot],
    targets: Targets,
    context: PolicyContext,
    *,
    guard_cap: Decimal | None = None,
) -> Evaluation:
    """:func:`decide`, plus the policy's campaign-level findings."""
    proposed, findings = REGISTRY[policy](snapshots, targets, context)
    if guard_cap is not None:
        clamped = (guard(d, guard_cap, context.min_budget) for d in proposed)
        proposed = [d for d in clamped if d is not None]
    fitted = fit_to_campaign_budget(proposed, snapshots, context.campaign_budget)
    return Evaluation(fitted, findings)


__all__ = [
    "DEFAULT_POLICY",
    "POLICIES",
    "REGISTRY",
    "Evaluation",
    "PolicyContext",
    "PolicyName",
    "current_name",
    "decide",
    "evaluate",
]
