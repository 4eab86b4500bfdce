"""Conflict resolution when several rules act on one object in one cycle.

Deterministic and independent of the order rules are given in (only rule ids, objects and
values decide):

1. **Pause beats everything**: an object any rule pauses is paused; its budget changes,
   unpauses and bid changes from other rules are ``overridden``. Among several pauses the
   rule with the smallest ``rule_id`` is credited; the others are ``overridden``.
2. **One net budget change per object**: of the budget changes left, the one with the
   **lowest** resulting budget wins (the most conservative; each was computed from the same
   current budget, so changes of one cycle never compound). A "keep" match takes part as
   a change to the current budget, so it stops other rules' increases but not their cuts.
   Equal budgets: smallest ``rule_id``.
3. Unpauses and bid changes: one per object, smallest ``rule_id``.
4. Notifications never conflict.

Ranks come from sorting rule ids, so shuffling the rules gives the same plan.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from roasloop.decisions.rules.model import CompiledRule
from roasloop.decisions.rules.operands import BoolArray, IntArray
from roasloop.decisions.rules.plan import Effect, Entries, Outcome


def resolve(entries: Entries, rules: Sequence[CompiledRule]) -> None:
    """Mark losing entries ``overridden`` (with the winner's rule index in ``by``), in place."""
    if len(entries) == 0:
        return
    ids = np.array([r.rule_id for r in rules], dtype=np.str_)
    rank = np.argsort(np.argsort(ids, kind="stable"), kind="stable")[entries.rule]
    live = entries.outcome == Outcome.APPLY
    pauses = live & (entries.effect == Effect.PAUSE)
    winner_of = _winners(entries, pauses, rank, by_value=False)
    paused_rows = np.zeros(int(entries.row.max()) + 1, dtype=np.int64) - 1
    winners = np.flatnonzero(pauses & (winner_of == np.arange(len(entries))))
    paused_rows[entries.row[winners]] = winners
    others = live & ~pauses & (entries.effect != Effect.NOTIFY) & (entries.effect != Effect.KEEP)
    blocked = others & (paused_rows[entries.row] >= 0)
    _override(entries, blocked, paused_rows[entries.row])
    _override(entries, pauses, winner_of)
    live = entries.outcome == Outcome.APPLY
    keeps = (entries.outcome == Outcome.KEEP) & (entries.old >= 0) & (paused_rows[entries.row] < 0)
    budgets = (live & (entries.effect == Effect.BUDGET)) | keeps
    _override(entries, budgets, _winners(entries, budgets, rank, by_value=True))
    for effect in (Effect.UNPAUSE, Effect.BID):
        group = live & (entries.effect == effect)
        _override(entries, group, _winners(entries, group, rank, by_value=False))


def _winners(entries: Entries, group: BoolArray, rank: IntArray, by_value: bool) -> IntArray:
    """For each entry in ``group``, the index of the winning entry on its row (-1 elsewhere)."""
    out = np.full(len(entries), -1, dtype=np.int64)
    index = np.flatnonzero(group)
    if index.size == 0:
        return out
    if by_value:
        keep = entries.effect[index] == Effect.KEEP
        value = np.where(keep, entries.old[index], entries.new[index])
    else:
        value = np.zeros(index.size, dtype=np.int64)
    order = index[np.lexsort((rank[index], value, entries.row[index]))]
    rows = entries.row[order]
    first = np.ones(order.size, dtype=np.bool_)
    first[1:] = rows[1:] != rows[:-1]
    starts = np.flatnonzero(first)
    lengths = np.diff(np.append(starts, order.size))
    out[order] = np.repeat(order[starts], lengths)
    return out


def _override(entries: Entries, group: BoolArray, winner: IntArray) -> None:
    losers = group & (winner >= 0) & (winner != np.arange(len(entries)))
    entries.outcome[losers] = Outcome.OVERRIDDEN
    entries.by[losers] = entries.rule[winner[losers]]
