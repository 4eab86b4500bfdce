"""What the rule use cases return: typed results, rendered by each door in its own way.

The conventions every service package follows:

* a result is a ``@dataclass(frozen=True, slots=True)`` named for what happened or what it
  holds (``RuleCreated``, ``RuleRun``, ``ExecutionUndone``), with a docstring saying so;
* closed sets are ``StrEnum`` members whose values are the words the module API prints;
* money stays ``Decimal``, moments are tz-aware ``datetime``, collections are tuples;
* figures derived from other fields are properties, so a result never disagrees with itself;
* no result carries message text: doors render messages (and locales) themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from roasloop.decisions.rules import CompiledRule, Outcome, RuleDecision
from roasloop.domain.enums import EntityLevel
from roasloop.domain.models import RuleExecution


class RuleShape(StrEnum):
    """How a rule was written: the seed's three dicts, or a rich document (or a preset)."""

    SIMPLE = "simple"
    RICH = "rich"


class ExecutionResult(StrEnum):
    """What became of one decision in a run; also the ``result`` of its stored execution.

    Every :class:`~roasloop.decisions.rules.Outcome` but ``APPLY`` has a member of the same
    name (:meth:`of`); an ``APPLY`` decision becomes one of the first six.
    """

    PREVIEW = "preview"  # a dry run: it would be applied
    PENDING = "pending"  # to apply, and nothing to send (a "keep" match)
    DONE = "done"
    NOTIFIED = "notified"
    FAILED = "failed"  # the platform or the webhook receiver refused: see ``error_code``
    HELD_PLATFORM_LIMIT = "held_platform_limit"  # the platform would refuse it this hour
    KEEP = "keep"
    NO_CHANGE = "no_change"
    OVERRIDDEN = "overridden"
    SKIPPED_LEARNING = "skipped_learning"
    SKIPPED_COOLDOWN = "skipped_cooldown"
    SKIPPED_OBJECT_DAILY_LIMIT = "skipped_object_daily_limit"
    SKIPPED_OBJECT_LIMIT = "skipped_object_limit"
    SKIPPED_RULE_DAILY_LIMIT = "skipped_rule_daily_limit"
    SKIPPED_ACCOUNT_CAP = "skipped_account_cap"
    SKIPPED_NO_BUDGET = "skipped_no_budget"
    SKIPPED_NO_SIBLING = "skipped_no_sibling"
    SKIPPED_NO_RECIPIENT = "skipped_no_recipient"
    SKIPPED_NO_DATA = "skipped_no_data"
    SKIPPED_NO_BID = "skipped_no_bid"

    @classmethod
    def of(cls, outcome: Outcome) -> ExecutionResult:
        """The member an engine outcome other than ``APPLY`` stands for."""
        return cls(outcome.label)


#: Results that count against cooldowns and limits.
EXECUTED = (ExecutionResult.DONE, ExecutionResult.NOTIFIED)


@dataclass(frozen=True, slots=True)
class DecisionResult:
    """One decision of a run and what became of it.

    ``rule`` is the engine's rule that made it (doors take the reason and the cooldown from
    it); the optional fields are filled in as the run goes: ``retry_at`` when held back,
    ``operation_id`` once its write is logged, ``error_code`` when it failed,
    ``delivery_id`` once a webhook delivered it, ``execution_id`` once it is recorded.
    """

    rule: CompiledRule
    decision: RuleDecision
    result: ExecutionResult
    error_code: str | None = None
    retry_at: datetime | None = None
    operation_id: str | None = None
    delivery_id: str | None = None
    execution_id: str | None = None

    @property
    def label(self) -> str:
        """The result as stored and printed: ``failed:<code>`` for a failure."""
        if self.result is ExecutionResult.FAILED:
            return f"failed:{self.error_code}"
        return self.result.value

    @property
    def noteworthy(self) -> bool:
        """Worth telling someone about: everything but a plain "keep" match."""
        return self.decision.outcome is not Outcome.KEEP


@dataclass(frozen=True, slots=True)
class RefreshWarning:
    """A campaign whose reports could not be refreshed: the run used the stored ones."""

    campaign_id: str
    code: str
    type: str


@dataclass(frozen=True, slots=True)
class RuleRun:
    """One cycle of one or more rules (``preview_rule``, ``execute_rule``): every decision,
    in the engine's order (by object, then rule), and what became of it."""

    run_id: str
    dry_run: bool
    decisions: tuple[DecisionResult, ...]
    warnings: tuple[RefreshWarning, ...] = ()

    @property
    def matched(self) -> int:
        """Distinct (rule, object) pairs whose conditions held."""
        return len(
            {
                (r.decision.rule_id, r.decision.object_id)
                for r in self.decisions
                if r.decision.primary
            }
        )

    @property
    def changes(self) -> int:
        """Platform writes made (in a dry run: that would be made)."""
        made = (ExecutionResult.DONE, ExecutionResult.PREVIEW)
        return sum(r.result in made and r.decision.changes for r in self.decisions)

    @property
    def notifications(self) -> tuple[DecisionResult, ...]:
        """The noteworthy decisions."""
        return tuple(r for r in self.decisions if r.noteworthy)


@dataclass(frozen=True, slots=True)
class RulesChecked:
    """``check_rules``: the enabled (due) rules, run together in one cycle."""

    run: RuleRun
    checked: int

    @property
    def triggered(self) -> int:
        """Rules with at least one notification."""
        return len({r.decision.rule_id for r in self.run.notifications})


@dataclass(frozen=True, slots=True)
class RuleCreated:
    """A rule validated and stored, enabled."""

    rule_id: str
    name: str
    level: EntityLevel
    shape: RuleShape
    preset: str | None
    check_interval_seconds: int
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class RuleSummary:
    """One stored rule as listed. ``definition`` is what it says (the rich document, or the
    seed's condition) with webhook secrets masked; a rule that no longer compiles has no
    ``level`` and says why in ``error``."""

    rule_id: str
    name: str
    enabled: bool
    level: EntityLevel | None
    check_interval_seconds: int
    created_at: datetime
    last_checked_at: datetime | None
    shape: RuleShape
    definition: Mapping[str, Any]
    error: str | None = None


@dataclass(frozen=True, slots=True)
class RulesListed:
    """The tenant's rules, oldest first."""

    rules: tuple[RuleSummary, ...]


@dataclass(frozen=True, slots=True)
class RuleHistory:
    """A rule's executions, newest first."""

    rule_id: str
    executions: tuple[RuleExecution, ...]


@dataclass(frozen=True, slots=True)
class RuleToggled:
    """A rule enabled or disabled."""

    rule_id: str
    enabled: bool


@dataclass(frozen=True, slots=True)
class ExecutionUndone:
    """An applied execution reverted: ``restored`` are its ``before`` values, now live again,
    and the revert is itself recorded as execution ``undo_execution_id``."""

    rule_id: str
    execution_id: str
    undo_execution_id: str
    object_id: str
    restored: Mapping[str, str]


__all__ = [
    "EXECUTED",
    "DecisionResult",
    "ExecutionResult",
    "ExecutionUndone",
    "RefreshWarning",
    "RuleCreated",
    "RuleHistory",
    "RuleRun",
    "RuleShape",
    "RuleSummary",
    "RuleToggled",
    "RulesChecked",
    "RulesListed",
]
