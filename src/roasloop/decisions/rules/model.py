"""The engine's typed rule: what :func:`.compile.compile_rule` produces from a document.

Everything here is resolved: metric names are canonical, operators are :class:`Op`,
right-hand sides are exact :class:`Expr` values, windows carry their maturity lag, money is
integer cents and percentages are exact fractions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from fractions import Fraction
from typing import Literal

from roasloop.decisions.rules.catalog import WINDOWED, ActionType, Op
from roasloop.decisions.rules.expressions import Expr
from roasloop.decisions.rules.windows import Window
from roasloop.domain.enums import EntityLevel

Value = Expr | tuple[Expr, Expr] | tuple[Fraction, ...] | tuple[str, ...] | str | Fraction


@dataclass(frozen=True, slots=True)
class Leaf:
    """``metric op value`` over ``window``, per object or aggregated over campaign/scope."""

    metric: str
    op: Op
    value: Value
    window: Window
    aggregate: str = "object"

    @property
    def label(self) -> str:
        """The key under which the value seen is reported (``cpa@last_7d``)."""
        return metric_label(self.metric, self.window, self.aggregate)


def metric_label(metric: str, window: Window, aggregate: str = "object") -> str:
    """``metric`` alone for window-free metrics, else ``metric@window[aggregate]``."""
    if metric not in WINDOWED:
        return metric
    suffix = "" if aggregate == "object" else f"[{aggregate}]"
    return f"{metric}@{window.label}{suffix}"


GroupKind = Literal["all", "any"]


@dataclass(frozen=True, slots=True)
class Group:
    kind: GroupKind
    children: tuple[Node, ...]


Node = Leaf | Group


@dataclass(frozen=True, slots=True)
class Change:
    """How a budget (or bid) moves: by a percentage, by an amount, to an amount, or toward a target.

    ``amount`` is a percentage (``unit == "percentage"``) or cents (``"currency"``);
    ``limit_cents`` is a ceiling when increasing and a floor when decreasing.
    """

    unit: str  # "percentage" | "currency" | "target"
    amount: Fraction = Fraction(0)
    limit_cents: int | None = None
    target_field: str | None = None
    target: Expr | None = None
    window: Window | None = None


@dataclass(frozen=True, slots=True)
class RuleAction:
    type: ActionType
    change: Change | None = None
    min_cents: int | None = None
    max_cents: int | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    reason_key: str | None = None
    reason_params: Mapping[str, str | int | float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Branch:
    when: Node | None  # None: the "else" branch
    action: RuleAction


@dataclass(frozen=True, slots=True)
class Guards:
    """Safeguards of one rule (see :mod:`.safeguards` for the semantics)."""

    cooldown: timedelta = timedelta(days=1)
    max_per_object: int | None = None
    max_per_object_per_day: int | None = None
    max_per_day: int | None = None
    max_change: Fraction | None = None
    min_cents: int | None = None
    max_cents: int | None = None
    protect_learning: bool = True
    account_cap_cents: int | None = None


@dataclass(frozen=True, slots=True)
class ScopeFilter:
    platforms: tuple[str, ...] = ()
    account_ids: tuple[str, ...] = ()
    campaign_ids: tuple[str, ...] = ()
    adset_ids: tuple[str, ...] = ()
    ad_ids: tuple[str, ...] = ()
    name_contains: str = ""
    statuses: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """One compiled rule; ``rule_id`` orders ties in conflict resolution."""

    rule_id: str
    name: str
    level: EntityLevel
    scope: ScopeFilter
    branches: tuple[Branch, ...]
    guards: Guards = field(default_factory=Guards)
    target_roas: Fraction | None = None
    target_cpa_cents: int | None = None
    interval: timedelta = timedelta(hours=6)

    @property
    def leaves(self) -> tuple[Leaf, ...]:
        """Every leaf of every branch, in document order, without duplicates."""
        found: dict[str, Leaf] = {}
        for branch in self.branches:
            if branch.when is not None:
                for leaf in _walk(branch.when):
                    found.setdefault(leaf.label, leaf)
        return tuple(found.values())


def _walk(node: Node) -> list[Leaf]:
    if isinstance(node, Leaf):
        return [node]
    return [leaf for child in node.children for leaf in _walk(child)]
