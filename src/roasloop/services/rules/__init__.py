"""The rule engine's use cases, over :mod:`roasloop.decisions.rules` (the pure engine).

* :mod:`.use_cases` — create, preview, execute, check, history, enable, list, undo;
* :mod:`.inputs` — what a run reads: stored rules compiled, campaign data as frames, the
  platforms' limits and the ledger of past executions;
* :mod:`.apply` — acting on a run's decisions: operation log, adapters, executions recorded;
* :mod:`.notify` — the ``notify`` action's signed webhook;
* :mod:`.undo` — putting an object back to an applied execution's ``before`` values.
"""

from __future__ import annotations

from roasloop.services.rules.use_cases import (
    RuleDraft,
    check_rules,
    create_rule,
    execute_rule,
    list_rules,
    preview_rule,
    rule_history,
    set_rule_enabled,
    undo_rule_execution,
)

__all__ = [
    "RuleDraft",
    "check_rules",
    "create_rule",
    "execute_rule",
    "list_rules",
    "preview_rule",
    "rule_history",
    "set_rule_enabled",
    "undo_rule_execution",
]
