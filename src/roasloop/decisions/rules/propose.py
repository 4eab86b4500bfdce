"""From matched rows to entries: what each branch's action proposes, budgets clamped and guarded."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from roasloop.decisions.rules.budgets import bid_step, clamp, guard_cap, proposed, target_factor
from roasloop.decisions.rules.catalog import BUDGET_ACTIONS, ActionType
from roasloop.decisions.rules.evaluate import Match
from roasloop.decisions.rules.metrics import MetricSource
from roasloop.decisions.rules.model import CompiledRule, RuleAction
from roasloop.decisions.rules.operands import Constant, FloatArray, IntArray, Scaled
from roasloop.decisions.rules.plan import Effect, Entries, Outcome

EFFECTS = {
    ActionType.PAUSE: Effect.PAUSE,
    ActionType.REBALANCE: Effect.PAUSE,
    ActionType.ROTATE_CREATIVE: Effect.PAUSE,
    ActionType.UNPAUSE: Effect.UNPAUSE,
    ActionType.NOTIFY: Effect.NOTIFY,
    ActionType.KEEP: Effect.KEEP,
    ActionType.CHANGE_BID: Effect.BID,
}


def propose(
    index: int,
    rule: CompiledRule,
    match: Match,
    src: MetricSource,
    cap: Fraction,
    minimum: IntArray,
) -> Entries:
    """Primary entries of ``rule`` (one per matched row), in branch order."""
    parts = []
    for number, branch in enumerate(rule.branches):
        rows = np.flatnonzero(match.branch == number)
        if rows.size:
            parts.append(
                _branch(index, number, rule, branch.action, rows, match, src, cap, minimum)
            )
    return Entries.concat(parts)


def _branch(
    index: int,
    number: int,
    rule: CompiledRule,
    action: RuleAction,
    rows: IntArray,
    match: Match,
    src: MetricSource,
    cap: Fraction,
    minimum: IntArray,
) -> Entries:
    if action.type is ActionType.CHANGE_BID:
        return _bid(index, number, rule, action, rows, src.frame.bids[rows], cap)
    old = src.frame.budget_cents[rows]
    if action.type not in BUDGET_ACTIONS:
        effect = np.full(rows.size, EFFECTS[action.type], dtype=np.int64)
        entries = Entries.build(index, rows, effect, old, np.full(rows.size, -1), number)
        if action.type is ActionType.KEEP:
            entries.outcome[:] = Outcome.KEEP
        return entries
    entries = Entries.build(index, rows, np.full(rows.size, Effect.BUDGET), old, old, number)
    scale = (
        _scale(rule, action, rows, match, src) if action.type is ActionType.SCALE_BUDGET else None
    )
    _budget(entries, rule, action, scale, effective_cap(rule, cap), minimum[rows])
    return entries


def effective_cap(rule: CompiledRule, cap: Fraction) -> Fraction:
    """The global step cap, or the rule's own ``max_change_pct`` when smaller."""
    own = rule.guards.max_change
    return cap if own is None else min(cap, own)


def _budget(
    entries: Entries,
    rule: CompiledRule,
    action: RuleAction,
    scale: FloatArray | None,
    cap: Fraction,
    minimum: IntArray,
) -> None:
    assert action.change is not None
    old = entries.old
    wanted = proposed(action.type, action.change, np.maximum(old, 0), scale)
    low = action.min_cents if action.min_cents is not None else rule.guards.min_cents
    high = action.max_cents if action.max_cents is not None else rule.guards.max_cents
    bounded, notes = clamp(old, wanted, action.change.limit_cents, low, high)
    guarded, guard_notes = guard_cap(old, bounded, cap, minimum)
    entries.new[:] = guarded
    entries.notes[:] = notes | guard_notes
    entries.outcome[guarded == old] = Outcome.NO_CHANGE
    if scale is not None:
        entries.outcome[np.isnan(scale)] = Outcome.SKIPPED_NO_DATA
    entries.outcome[old < 0] = Outcome.SKIPPED_NO_BUDGET


def _bid(
    index: int,
    number: int,
    rule: CompiledRule,
    action: RuleAction,
    rows: IntArray,
    old: IntArray,
    cap: Fraction,
) -> Entries:
    """A bid change: the action's step and limit, then the step cap, at least one cent.

    Objects without a money bid (lowest cost, value bidding) are skipped, not given one.
    """
    assert action.change is not None
    entries = Entries.build(index, rows, np.full(rows.size, Effect.BID), old, old, number)
    wanted = bid_step(action.change, np.maximum(old, 0))
    bounded, notes = clamp(old, wanted, action.change.limit_cents, None, None)
    cent = np.ones(rows.size, dtype=np.int64)
    guarded, guard_notes = guard_cap(old, bounded, effective_cap(rule, cap), cent)
    entries.new[:] = guarded
    entries.notes[:] = notes | guard_notes
    entries.outcome[guarded == old] = Outcome.NO_CHANGE
    entries.outcome[old < 0] = Outcome.SKIPPED_NO_BID
    return entries


def _scale(
    rule: CompiledRule, action: RuleAction, rows: IntArray, match: Match, src: MetricSource
) -> FloatArray:
    change = action.change
    assert change is not None and change.target is not None and change.window is not None
    field = change.target_field or ""
    actual = src.operand(field, change.window, "object", match.scope, rule).values()[rows]
    target = change.target
    if target.metric is None:
        goal = Constant(target.coef, src.size).values()[rows]
    else:
        base = src.operand(target.metric, change.window, "object", match.scope, rule)
        goal = Scaled(base, target.coef).values()[rows]
    return target_factor(field, actual, goal)
