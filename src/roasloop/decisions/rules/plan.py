"""What a cycle decides: columnar entries while computing, :class:`RuleDecision` when read.

One entry = one rule's proposal for one object. ``outcome`` says what became of it:
``apply`` (it goes to the platform), ``keep`` (matched a "keep" branch: nothing to do), or
why not (``skipped_*``, ``no_change``, ``overridden``).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from roasloop.decisions.rules.evaluate import Match
from roasloop.decisions.rules.frame import ObjectFrame
from roasloop.decisions.rules.model import CompiledRule, RuleAction
from roasloop.domain.enums import EntityLevel

IntArray = npt.NDArray[np.int64]


class Effect(enum.IntEnum):
    """What an entry does to its object (conflicts are resolved per effect)."""

    PAUSE = 0
    BUDGET = 1
    UNPAUSE = 2
    BID = 3
    NOTIFY = 4
    KEEP = 5


class Outcome(enum.IntEnum):
    APPLY = 0
    KEEP = 1
    NO_CHANGE = 2
    OVERRIDDEN = 3
    SKIPPED_LEARNING = 4
    SKIPPED_COOLDOWN = 5
    SKIPPED_OBJECT_DAILY_LIMIT = 6
    SKIPPED_OBJECT_LIMIT = 7
    SKIPPED_RULE_DAILY_LIMIT = 8
    SKIPPED_ACCOUNT_CAP = 9
    SKIPPED_NO_BUDGET = 10
    SKIPPED_NO_SIBLING = 11
    SKIPPED_NO_RECIPIENT = 12
    SKIPPED_NO_DATA = 13
    SKIPPED_NO_BID = 14

    @property
    def label(self) -> str:
        return self.name.lower()


class Note(enum.IntFlag):
    """Why a budget differs from what the action asked for."""

    NONE = 0
    LIMIT = 1  # change_spec.limit (ceiling / floor)
    BOUNDS = 2  # min_budget / max_budget
    CAPPED = 4  # the step cap
    MINIMUM = 8  # the platform's minimum budget
    ACCOUNT_CAP = 16  # trimmed to the account's daily spend cap


@dataclass(eq=False)
class Entries:
    """Columnar entries; every array has one element per entry."""

    rule: IntArray  # index into the cycle's rules
    row: IntArray
    branch: IntArray
    effect: IntArray
    outcome: IntArray
    old: IntArray  # budget (bid for BID entries) in cents before (-1 unknown)
    new: IntArray  # proposed budget or bid in cents (-1 for other effects)
    notes: IntArray
    related: IntArray  # rotate: the other ad's row; -1 otherwise
    by: IntArray  # overridden: index of the winning rule; -1 otherwise
    primary: npt.NDArray[np.bool_]  # False for derived entries (rebalance recipients, rotate)

    @classmethod
    def empty(cls) -> Entries:
        return cls.build(0, [], [], [], [])

    @classmethod
    def build(
        cls,
        rule: int,
        rows: Sequence[int] | IntArray,
        effects: Sequence[int] | IntArray,
        old: Sequence[int] | IntArray,
        new: Sequence[int] | IntArray,
        branch: int = 0,
        primary: bool = True,
    ) -> Entries:
        size = len(rows)

        def col(values: Sequence[int] | IntArray) -> IntArray:
            return np.array(values, dtype=np.int64).reshape(size)

        return cls(
            rule=np.full(size, rule, dtype=np.int64),
            row=col(rows),
            branch=np.full(size, branch, dtype=np.int64),
            effect=col(effects),
            outcome=np.zeros(size, dtype=np.int64),
            old=col(old),
            new=col(new),
            notes=np.zeros(size, dtype=np.int64),
            related=np.full(size, -1, dtype=np.int64),
            by=np.full(size, -1, dtype=np.int64),
            primary=np.full(size, primary, dtype=np.bool_),
        )

    def __len__(self) -> int:
        return int(self.row.shape[0])

    @classmethod
    def concat(cls, parts: Sequence[Entries]) -> Entries:
        if not parts:
            return cls.empty()
        names = cls.__dataclass_fields__
        return cls(**{n: np.concatenate([getattr(p, n) for p in parts]) for n in names})

    def take(self, index: npt.NDArray[Any]) -> Entries:
        names = self.__dataclass_fields__
        return Entries(**{n: getattr(self, n)[index] for n in names})


class RuleDecision(NamedTuple):
    """One entry, materialized: which rule did what (or not) to which object, and why.

    Immutable (a ``NamedTuple``: a cycle over 100,000 objects materializes this many of them,
    and a frozen dataclass costs three times as much to build).
    """

    rule_id: str
    rule_name: str
    branch: int
    action: RuleAction
    effect: Effect
    outcome: Outcome
    level: EntityLevel
    object_id: str
    campaign_id: str
    adset_id: str
    account_id: str
    platform: str
    status: str
    old_budget: Decimal | None
    new_budget: Decimal | None
    notes: tuple[str, ...]
    values: Mapping[str, Any]
    related_object_id: str | None = None
    overridden_by: str | None = None
    primary: bool = True
    #: A bid change's amounts (``effect`` BID); its ``old_budget``/``new_budget`` are None.
    old_bid: Decimal | None = None
    new_bid: Decimal | None = None

    @property
    def changes(self) -> bool:
        """True when applying it writes to the platform."""
        return self.outcome is Outcome.APPLY and self.effect not in (Effect.NOTIFY, Effect.KEEP)


@dataclass(frozen=True, eq=False)
class LevelPlan:
    """The entries of one frame (one level) and how to read them."""

    frame: ObjectFrame
    rules: tuple[CompiledRule, ...]
    matches: tuple[Match, ...]
    entries: Entries

    def decisions(self, outcomes: frozenset[Outcome] | None = None) -> list[RuleDecision]:
        """Materialized entries (optionally only some outcomes), sorted by object then rule."""
        keep = np.ones(len(self.entries), dtype=np.bool_)
        if outcomes is not None:
            keep = np.isin(self.entries.outcome, [int(o) for o in outcomes])
        e = self.entries.take(self._sorted(np.flatnonzero(keep)))
        f, rules, level = self.frame, self.rules, self.frame.level
        rows = e.row
        money = {c: _money(c) for c in {*e.old.tolist(), *e.new.tolist()}}
        related = [f.ids[r] if r >= 0 else None for r in e.related.tolist()]
        by = [rules[b].rule_id if b >= 0 else None for b in e.by.tolist()]
        columns = zip(
            e.rule.tolist(),
            e.branch.tolist(),
            e.effect.tolist(),
            e.outcome.tolist(),
            f.ids[rows].tolist(),
            f.campaign_ids[rows].tolist(),
            f.adset_ids[rows].tolist(),
            f.account_ids[rows].tolist(),
            f.platforms[rows].tolist(),
            f.statuses[rows].tolist(),
            e.old.tolist(),
            e.new.tolist(),
            e.notes.tolist(),
            self._values(e),
            related,
            by,
            e.primary.tolist(),
            strict=True,
        )
        return [
            RuleDecision(
                rules[r].rule_id,
                rules[r].name,
                b,
                rules[r].branches[b].action,
                _EFFECTS[effect],
                _OUTCOMES[outcome],
                level,
                object_id,
                campaign_id,
                adset_id,
                account_id,
                platform,
                status,
                None if effect == _BID else money[old],
                None if effect == _BID else money[new],
                _NOTES[notes],
                seen,
                rel,
                winner,
                primary,
                money[old] if effect == _BID else None,
                money[new] if effect == _BID else None,
            )
            for (
                r,
                b,
                effect,
                outcome,
                object_id,
                campaign_id,
                adset_id,
                account_id,
                platform,
                status,
                old,
                new,
                notes,
                seen,
                rel,
                winner,
                primary,
            ) in columns
        ]

    def _sorted(self, index: npt.NDArray[Any]) -> npt.NDArray[Any]:
        """``index`` ordered by object id, rule id, effect, primary first."""
        e = self.entries
        object_rank = self.frame.id_rank[e.row[index]]
        ids = np.array([r.rule_id for r in self.rules], dtype=np.str_)
        rule_rank = np.argsort(np.argsort(ids, kind="stable"), kind="stable")[e.rule[index]]
        keys = (~e.primary[index], e.effect[index], rule_rank, object_rank)
        return index[np.lexsort(keys)]

    def _values(self, e: Entries) -> list[dict[str, Any]]:
        """Values seen per entry: every leaf of its rule, rounded (``None`` if undefined)."""
        out: list[dict[str, Any]] = [{} for _ in range(len(e))]
        for index, match in enumerate(self.matches):
            mine = np.flatnonzero(e.rule == index)
            if mine.size == 0:
                continue
            rows = e.row[mine]
            for label, column in match.seen.items():
                picked = column[rows]
                if picked.dtype.kind == "f":
                    rounded = np.round(picked, 4)
                    listed = [None if v != v else v for v in rounded.tolist()]
                else:
                    listed = [str(v) for v in picked.tolist()]
                for position, value in zip(mine.tolist(), listed, strict=True):
                    out[position][label] = value
        return out


_EFFECTS = list(Effect)
_BID = int(Effect.BID)
_OUTCOMES = list(Outcome)
_NOTES = [
    tuple(str(n.name).lower() for n in Note if n and mask & n) for mask in range(2 ** len(Note))
]


@dataclass(frozen=True, eq=False)
class CyclePlan:
    """Everything one cycle decided, per level."""

    levels: tuple[LevelPlan, ...]

    def decisions(self, outcomes: frozenset[Outcome] | None = None) -> list[RuleDecision]:
        return [d for level in self.levels for d in level.decisions(outcomes)]

    def count(self, outcome: Outcome) -> int:
        return sum(int((lp.entries.outcome == outcome).sum()) for lp in self.levels)


def _money(cents: int) -> Decimal | None:
    """Cents as a 2-place ``Decimal`` (same value as ``from_minor_units``, cheaper)."""
    return None if cents < 0 else Decimal(cents).scaleb(-2)
