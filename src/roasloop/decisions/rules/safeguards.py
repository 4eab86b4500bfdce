"""Safeguards, in the order the engine applies them.

Per rule, before conflicts (an entry dropped here never reaches the platform):

1. **Learning phase** — with ``learning_phase: protect`` (the default of the rich shape)
   an object in learning (:func:`~.frame.in_learning`) gets no change; notifications still go.
2. **Cooldown** (Meta's ``action_frequency``) — no entry for an object this rule changed or
   notified less than ``cooldown`` ago.
3. **Per object** — at most ``max_per_object_per_day`` executions in any rolling 24 h and
   ``max_per_object`` ever (Meta's ``execution_count_limit``).
4. **Per rule** — at most ``max_per_day`` executions of the rule in any rolling 24 h; when
   a cycle would exceed it, objects are taken in id order (deterministic).

After conflicts, per account: the **daily spend cap** — the sum of active ad-set budgets
after the cycle may not exceed the smallest ``account_daily_spend_cap`` of the rules that
raise budgets there. Pauses and cuts of the same cycle make room first; the remaining room
is shared by the increases in proportion to their size (cents rounded down) and unpauses
are dropped when the cap binds.

Executions are what the ledger holds: entries that were applied (changes) or sent
(notifications). Skipped, overridden and failed entries never count.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from roasloop.decisions.rules.frame import BoolArray, IntArray, ObjectFrame
from roasloop.decisions.rules.model import CompiledRule, Guards
from roasloop.decisions.rules.plan import Effect, Entries, Note, Outcome

DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class PastExecution:
    rule_id: str
    object_id: str
    at: datetime


class Ledger:
    """Past executions, indexed by rule and object (times sorted)."""

    def __init__(self, entries: Iterable[PastExecution] = ()) -> None:
        index: dict[str, dict[str, list[datetime]]] = defaultdict(lambda: defaultdict(list))
        for entry in entries:
            index[entry.rule_id][entry.object_id].append(entry.at)
        self._index = {
            rule: {obj: sorted(times) for obj, times in objects.items()}
            for rule, objects in index.items()
        }

    def objects(self, rule_id: str) -> dict[str, list[datetime]]:
        return self._index.get(rule_id, {})

    def rule_count_since(self, rule_id: str, since: datetime) -> int:
        return sum(
            len(times) - bisect_right(times, since) for times in self.objects(rule_id).values()
        )

    def with_executions(self, executions: Sequence[PastExecution]) -> Ledger:
        """A new ledger with ``executions`` added (for simulations and tests)."""
        old = [
            PastExecution(rule, obj, at)
            for rule, objects in self._index.items()
            for obj, times in objects.items()
            for at in times
        ]
        return Ledger([*old, *executions])


def rule_guards(
    rule: CompiledRule,
    entries: Entries,
    frame: ObjectFrame,
    learning: BoolArray,
    ledger: Ledger,
    now: datetime,
) -> None:
    """Set the outcome of this rule's primary entries that a safeguard stops (in place)."""
    live = entries.outcome == Outcome.APPLY
    changing = (entries.effect != Effect.NOTIFY) & (entries.effect != Effect.KEEP)
    if rule.guards.protect_learning:
        stop = live & changing & learning[entries.row]
        entries.outcome[stop] = Outcome.SKIPPED_LEARNING
    _history_guards(rule, entries, frame, ledger, now)
    _rule_daily_limit(rule, entries, frame, ledger, now)


def _history_guards(
    rule: CompiledRule, entries: Entries, frame: ObjectFrame, ledger: Ledger, now: datetime
) -> None:
    history = ledger.objects(rule.rule_id)
    if not history or len(entries) == 0:
        return
    g = rule.guards
    stopped: dict[int, Outcome] = {}
    for object_id, times in history.items():
        row = frame.row_of.get(object_id)
        outcome = None if row is None else _history_outcome(g, times, now)
        if outcome is not None and row is not None:
            stopped[row] = outcome
    if not stopped:
        return
    rows = np.fromiter(stopped, dtype=np.int64, count=len(stopped))
    codes = np.fromiter(stopped.values(), dtype=np.int64, count=len(stopped))
    order = np.argsort(rows)
    rows, codes = rows[order], codes[order]
    where = np.clip(np.searchsorted(rows, entries.row), 0, rows.size - 1)
    hit = (rows[where] == entries.row) & (entries.outcome == Outcome.APPLY)
    hit &= entries.effect != Effect.KEEP
    entries.outcome[hit] = codes[where[hit]]


def _history_outcome(g: Guards, times: list[datetime], now: datetime) -> Outcome | None:
    if times and now - times[-1] < g.cooldown:
        return Outcome.SKIPPED_COOLDOWN
    per_day, lifetime = g.max_per_object_per_day, g.max_per_object
    if per_day is not None and len(times) - bisect_right(times, now - DAY) >= per_day:
        return Outcome.SKIPPED_OBJECT_DAILY_LIMIT
    if lifetime is not None and len(times) >= lifetime:
        return Outcome.SKIPPED_OBJECT_LIMIT
    return None


def _rule_daily_limit(
    rule: CompiledRule, entries: Entries, frame: ObjectFrame, ledger: Ledger, now: datetime
) -> None:
    limit = rule.guards.max_per_day
    if limit is None:
        return
    room = max(limit - ledger.rule_count_since(rule.rule_id, now - DAY), 0)
    live = np.flatnonzero((entries.outcome == Outcome.APPLY) & (entries.effect != Effect.KEEP))
    if len(live) <= room:
        return
    order = np.argsort(frame.ids[entries.row[live]].astype(np.str_), kind="stable")
    entries.outcome[live[order[room:]]] = Outcome.SKIPPED_RULE_DAILY_LIMIT


def account_cap(entries: Entries, rules: Sequence[CompiledRule], frame: ObjectFrame) -> None:
    """Trim increases and drop unpauses that would break an account's cap (in place)."""
    caps = np.array(
        [r.guards.account_cap_cents if r.guards.account_cap_cents else -1 for r in rules],
        dtype=np.int64,
    )
    if len(entries) == 0 or (caps < 0).all():
        return
    live = entries.outcome == Outcome.APPLY
    budget = np.maximum(frame.budget_cents, 0)
    raise_ = live & (
        ((entries.effect == Effect.BUDGET) & (entries.new > entries.old))
        | (entries.effect == Effect.UNPAUSE)
    )
    accounts = frame.account_ids[entries.row].astype(np.str_)
    for account in np.unique(accounts[raise_ & (caps[entries.rule] >= 0)]).tolist():
        _cap_account(entries, frame, budget, live, raise_, accounts == account, caps)


def _cap_account(
    entries: Entries,
    frame: ObjectFrame,
    budget: IntArray,
    live: BoolArray,
    raise_: BoolArray,
    mine: BoolArray,
    caps: IntArray,
) -> None:
    cap = int(caps[entries.rule[mine & raise_ & (caps[entries.rule] >= 0)]].min())
    rows_here = frame.account_ids.astype(np.str_) == str(frame.account_ids[entries.row[mine][0]])
    active = int(budget[rows_here & (frame.statuses == "active")].sum())
    paused = live & mine & (entries.effect == Effect.PAUSE)
    cut = live & mine & (entries.effect == Effect.BUDGET) & (entries.new < entries.old)
    base = active - int(budget[entries.row[paused]].sum())
    base += int((entries.new[cut] - entries.old[cut]).sum())
    room = max(cap - base, 0)
    ups = np.flatnonzero(mine & raise_ & (entries.effect == Effect.BUDGET))
    unpauses = np.flatnonzero(mine & raise_ & (entries.effect == Effect.UNPAUSE))
    asked = int((entries.new[ups] - entries.old[ups]).sum())
    asked += int(budget[entries.row[unpauses]].sum())
    if asked <= room:
        return
    entries.outcome[unpauses] = Outcome.SKIPPED_ACCOUNT_CAP
    deltas = entries.new[ups] - entries.old[ups]
    total = int(deltas.sum())
    allowed = (deltas * room) // total if total else np.zeros_like(deltas)
    entries.new[ups] = entries.old[ups] + allowed
    entries.notes[ups] |= int(Note.ACCOUNT_CAP)
    entries.outcome[ups[allowed == 0]] = Outcome.SKIPPED_ACCOUNT_CAP
