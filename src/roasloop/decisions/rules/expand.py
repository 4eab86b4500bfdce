"""Entries that follow from others: rebalance recipients and rotation partners.

**Rebalance** (Meta's ``REBALANCE_BUDGET``): the matched ad sets are paused and their
budgets go to the other active ad sets of the same campaign that this branch did not match
(not those in learning when the rule protects learning), in proportion to their budgets
(cents rounded down). Each recipient's increase passes the step cap and platform minimum;
what they cannot take is not moved (Meta's ``BUDGET_NOT_REDISTRIBUTED``). A campaign with
no recipient keeps its matched ad sets running (``skipped_no_recipient``).

**Rotate creative**: each matched (fatigued) ad is paused and a paused sibling ad of the
same ad set is started. Ads and siblings pair up in id order; an ad without a free sibling
is left running (``skipped_no_sibling``), so rotation never leaves an ad set without ads.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

import numpy as np

from roasloop.decisions.rules.budgets import guard_cap
from roasloop.decisions.rules.catalog import ActionType
from roasloop.decisions.rules.evaluate import Match
from roasloop.decisions.rules.frame import BoolArray, ObjectFrame
from roasloop.decisions.rules.model import CompiledRule
from roasloop.decisions.rules.operands import IntArray
from roasloop.decisions.rules.plan import Effect, Entries, Outcome
from roasloop.decisions.rules.propose import effective_cap


def expand(
    index: int,
    rule: CompiledRule,
    match: Match,
    entries: Entries,
    frame: ObjectFrame,
    learning: BoolArray,
    cap: Fraction,
    minimum: IntArray,
) -> Entries:
    """``entries`` plus the derived entries of rebalance and rotate branches."""
    parts = [entries]
    for number, branch in enumerate(rule.branches):
        mine = (entries.branch == number) & (entries.outcome == Outcome.APPLY)
        if branch.action.type is ActionType.REBALANCE and mine.any():
            parts.append(
                _rebalance(index, number, rule, match, entries, mine, frame, learning, cap, minimum)
            )
        elif branch.action.type is ActionType.ROTATE_CREATIVE and mine.any():
            parts.append(_rotate(index, number, match, entries, mine, frame))
    return Entries.concat(parts)


def _rebalance(
    index: int,
    number: int,
    rule: CompiledRule,
    match: Match,
    entries: Entries,
    mine: BoolArray,
    frame: ObjectFrame,
    learning: BoolArray,
    cap: Fraction,
    minimum: IntArray,
) -> Entries:
    codes, groups = frame.campaign_codes
    budget = np.maximum(frame.budget_cents, 0)
    donors = np.flatnonzero(mine)
    freed = np.bincount(
        codes[entries.row[donors]], weights=budget[entries.row[donors]], minlength=groups
    )
    takers = (frame.statuses == "active") & (match.branch != number) & (frame.budget_cents > 0)
    if rule.guards.protect_learning:
        takers &= ~learning
    takers &= freed[codes] > 0
    room = np.bincount(codes[takers], weights=budget[takers], minlength=groups)
    stranded = room[codes[entries.row[donors]]] <= 0
    entries.outcome[donors[stranded]] = Outcome.SKIPPED_NO_RECIPIENT
    rows = np.flatnonzero(takers)
    old = budget[rows]
    share = [
        int(f) * int(o) // int(r)
        for f, o, r in zip(
            freed[codes[rows]].tolist(), old.tolist(), room[codes[rows]].tolist(), strict=True
        )
    ]
    new, notes = guard_cap(
        old, old + np.asarray(share, dtype=np.int64), effective_cap(rule, cap), minimum[rows]
    )
    part = Entries.build(index, rows, np.full(rows.size, Effect.BUDGET), old, new, number, False)
    part.notes[:] = notes
    part.outcome[new == old] = Outcome.NO_CHANGE
    return part


def _rotate(
    index: int, number: int, match: Match, entries: Entries, mine: BoolArray, frame: ObjectFrame
) -> Entries:
    spare: dict[str, list[int]] = defaultdict(list)
    for row in np.flatnonzero((frame.statuses == "paused") & (match.branch < 0)).tolist():
        spare[str(frame.adset_ids[row])].append(row)
    for rows in spare.values():
        rows.sort(key=lambda r: str(frame.ids[r]))
    pairs: list[tuple[int, int]] = []
    for position in sorted(
        np.flatnonzero(mine).tolist(), key=lambda p: str(frame.ids[entries.row[p]])
    ):
        free = spare.get(str(frame.adset_ids[entries.row[position]]))
        if not free:
            entries.outcome[position] = Outcome.SKIPPED_NO_SIBLING
            continue
        sibling = free.pop(0)
        entries.related[position] = sibling
        pairs.append((sibling, int(entries.row[position])))
    siblings = [s for s, _ in pairs]
    part = Entries.build(
        index,
        siblings,
        [Effect.UNPAUSE] * len(pairs),
        [-1] * len(pairs),
        [-1] * len(pairs),
        number,
        False,
    )
    part.related[:] = [r for _, r in pairs]
    return part
