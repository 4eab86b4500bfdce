"""The rule use cases' typed results: every engine outcome has a result, counts derive."""

from __future__ import annotations

from dataclasses import replace

import pytest

from roasloop.decisions.rules import Outcome
from roasloop.services.rules.apply import result_of
from roasloop.services.rules.results import (
    DecisionResult,
    ExecutionResult,
    RuleRun,
    RulesChecked,
)
from tests.unit.test_rules_helpers import decide, metrics, row, rule, rule_doc

SPENDERS = {"metric": "spend", "operator": ">", "value": 0, "window": "last_3d"}


@pytest.mark.parametrize("outcome", [o for o in Outcome if o is not Outcome.APPLY])
def test_every_outcome_but_apply_is_a_result_of_the_same_name(outcome: Outcome) -> None:
    assert ExecutionResult.of(outcome).name == outcome.name


def _results(dry_run: bool) -> list[DecisionResult]:
    raise_budget = rule_doc(SPENDERS, {"type": "increase_budget", "pct": 10})
    compiled = rule(raise_budget)
    rows = [row(f"as{i}", [metrics()] * 3) for i in range(3)]
    return [result_of(compiled, d, dry_run) for d in decide([compiled], rows)]


def test_a_dry_run_previews_and_counts_what_it_would_change() -> None:
    results = _results(dry_run=True)
    run = RuleRun("run_1", True, tuple(results))
    assert {r.result for r in results} == {ExecutionResult.PREVIEW}
    assert (run.matched, run.changes, len(run.notifications)) == (3, 3, 3)


def test_only_writes_done_count_as_changes_and_a_failure_names_its_code() -> None:
    done, failed, held = _results(dry_run=False)
    failed = replace(failed, result=ExecutionResult.FAILED, error_code="1001")
    held = replace(held, result=ExecutionResult.HELD_PLATFORM_LIMIT)
    run = RuleRun("run_1", False, (replace(done, result=ExecutionResult.DONE), failed, held))
    assert (run.matched, run.changes) == (3, 1)
    assert [r.label for r in run.decisions] == ["done", "failed:1001", "held_platform_limit"]
    assert RulesChecked(run, checked=2).triggered == 1


def test_a_plain_keep_match_is_not_a_notification() -> None:
    keep = rule(rule_doc(SPENDERS, {"type": "keep"}))
    [decision] = decide([keep], [row("as1", [metrics()] * 3)])
    kept = result_of(keep, decision, dry_run=False)
    assert decision.outcome is Outcome.KEEP and kept.result is ExecutionResult.KEEP
    run = RuleRun("run_1", False, (kept,))
    assert (run.matched, run.notifications) == (1, ())
