"""The rule use cases' results as the module API's response dicts (floats for money).

Every response starts with ``"status": "success"`` and ends with ``messages`` (both
locales); a decision's texts (``change``, ``result_message``, ``reason``) are in the
caller's locale, with ``reasons``/``messages`` in both.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from roasloop.actions.base import JSON
from roasloop.decisions.rules import Effect, reason
from roasloop.decisions.rules.model import Group, Leaf, Node
from roasloop.domain.enums import EntityLevel
from roasloop.domain.models import RuleExecution
from roasloop.i18n import both
from roasloop.services.common import iso
from roasloop.services.rules.results import (
    DecisionResult,
    ExecutionResult,
    ExecutionUndone,
    RuleCreated,
    RuleHistory,
    RuleRun,
    RulesChecked,
    RulesListed,
    RuleSummary,
    RuleToggled,
)

DO_KEYS = {
    Effect.PAUSE: "rule_do_pause",
    Effect.UNPAUSE: "rule_do_unpause",
    Effect.BUDGET: "rule_do_budget",
    Effect.BID: "rule_do_bid",
    Effect.NOTIFY: "rule_do_notify",
    Effect.KEEP: "rule_do_keep",
}


def render_created(created: RuleCreated) -> JSON:
    return {
        "status": "success",
        "rule_id": created.rule_id,
        "rule_name": created.name,
        "enabled": created.enabled,
        "level": created.level.value,
        "shape": created.shape.value,
        "preset": created.preset,
        "check_interval_seconds": created.check_interval_seconds,
        "messages": both("rule_created"),
    }


def render_run(run: RuleRun, locale: str) -> JSON:
    """``preview_rule`` and ``execute_rule``: the counts, every decision, the notifications."""
    listed = [render_decision(r, locale) for r in run.decisions]
    matched, changes = run.matched, run.changes
    key = "rule_preview" if run.dry_run else "rule_executed"
    return {
        "status": "success",
        "run_id": run.run_id,
        "dry_run": run.dry_run,
        "matched": matched,
        "changes": changes,
        "decisions": listed,
        "notifications": [
            item for item, r in zip(listed, run.decisions, strict=True) if r.noteworthy
        ],
        "warnings": [
            {"campaign_id": w.campaign_id, "code": w.code, "type": w.type} for w in run.warnings
        ],
        "messages": both(key, matched=matched, changes=changes, applied=changes),
    }


def render_checked(checked: RulesChecked, locale: str) -> JSON:
    counts = {"checked": checked.checked, "triggered": checked.triggered}
    return {
        **render_run(checked.run, locale),
        **counts,
        "messages": both("rules_checked", **counts),
    }


def render_decision(result: DecisionResult, locale: str) -> JSON:
    d = result.decision
    key, params = reason(result.rule, d)
    reasons = both(key, **params)
    old, new = _money(d.old_budget), _money(d.new_budget)
    bid = d.effect is Effect.BID
    before, after = (d.old_bid, d.new_bid) if bid else (d.old_budget, d.new_budget)
    outcome_key, outcome_params = _outcome_key(result)
    outcome = both(outcome_key, **outcome_params)
    return {
        "rule_id": d.rule_id,
        "rule_name": d.rule_name,
        "object_id": d.object_id,
        "level": d.level.value,
        "adset_id": d.object_id if d.level is EntityLevel.ADSET else d.adset_id or None,
        "campaign_id": d.campaign_id,
        "platform": d.platform,
        "action": d.action.type.value,
        "effect": d.effect.name.lower(),
        "change": both(DO_KEYS[d.effect], old=_text(before), new=_text(after))[locale],
        "result": result.label,
        "result_message": outcome[locale],
        "old_budget": old,
        "new_budget": new if d.effect is Effect.BUDGET else None,
        **({"old_bid": _money(d.old_bid), "new_bid": _money(d.new_bid)} if bid else {}),
        "values": dict(d.values),
        "actual": _float(d.values.get(_first_label(result.rule.branches[d.branch].when))),
        "notes": list(d.notes),
        "related_object_id": d.related_object_id,
        "overridden_by": d.overridden_by,
        "execution_id": result.execution_id,
        "reason": reasons[locale],
        "reasons": reasons,
        "messages": reasons,
        **({"error_code": result.error_code} if result.error_code is not None else {}),
    }


def _outcome_key(result: DecisionResult) -> tuple[str, dict[str, Any]]:
    if result.result is ExecutionResult.FAILED:
        return "rule_outcome_failed", {"code": result.error_code}
    params = {
        "minutes": int(result.rule.guards.cooldown.total_seconds() // 60),
        "by": result.decision.overridden_by,
        "retry_at": result.retry_at.isoformat(timespec="minutes") if result.retry_at else "",
    }
    name = ExecutionResult.DONE if result.result is ExecutionResult.PENDING else result.result
    return f"rule_outcome_{name.value}", params


def _first_label(node: Node | None) -> str:
    while isinstance(node, Group):
        node = node.children[0]
    return node.label if isinstance(node, Leaf) else ""


def render_listed(listed: RulesListed) -> JSON:
    rules = [_summary(s) for s in listed.rules]
    return {
        "status": "success",
        "rules": rules,
        "messages": both("rules_listed", count=len(rules)),
    }


def _summary(summary: RuleSummary) -> JSON:
    return {
        "rule_id": summary.rule_id,
        "rule_name": summary.name,
        "enabled": summary.enabled,
        "level": summary.level.value if summary.level else None,
        "check_interval_seconds": summary.check_interval_seconds,
        "created_at": iso(summary.created_at),
        "last_checked_at": iso(summary.last_checked_at),
        "shape": summary.shape.value,
        "condition": summary.definition,
        **({"error": summary.error} if summary.error else {}),
    }


def render_history(history: RuleHistory) -> JSON:
    return {
        "status": "success",
        "rule_id": history.rule_id,
        "executions": [_execution(e) for e in history.executions],
        "messages": both("rule_history", count=len(history.executions)),
    }


def _execution(execution: RuleExecution) -> JSON:
    return {
        "execution_id": execution.execution_id,
        "executed_at": iso(execution.executed_at),
        "object_id": execution.object_id,
        "action": execution.action,
        "result": execution.result,
        "before": dict(execution.before),
        "after": dict(execution.after),
        "values": dict(execution.values),
        "reason": execution.reason,
    }


def render_toggled(toggled: RuleToggled) -> JSON:
    return {
        "status": "success",
        "rule_id": toggled.rule_id,
        "enabled": toggled.enabled,
        "messages": both("rule_enabled" if toggled.enabled else "rule_disabled"),
    }


def render_undone(undone: ExecutionUndone) -> JSON:
    before = ", ".join(f"{k} {v}" for k, v in undone.restored.items())
    return {
        "status": "success",
        "rule_id": undone.rule_id,
        "execution_id": undone.execution_id,
        "undo_execution_id": undone.undo_execution_id,
        "object_id": undone.object_id,
        "restored": dict(undone.restored),
        "messages": both("rule_undone", object_id=undone.object_id, before=before),
    }


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _float(value: Any) -> float | None:
    return value if isinstance(value, float) else None
