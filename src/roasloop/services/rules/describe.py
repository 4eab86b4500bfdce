"""Rule decisions and executions as the module API's dicts (the edge; floats for money)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from roasloop.decisions.rules import Effect, reason
from roasloop.decisions.rules import Rule as CompiledRule
from roasloop.decisions.rules.model import Group, Leaf, Node
from roasloop.domain.enums import EntityLevel
from roasloop.domain.models import Rule, RuleExecution
from roasloop.i18n import both
from roasloop.services.common import iso
from roasloop.services.rules.apply import Result

JSON = dict[str, Any]
DO_KEYS = {
    Effect.PAUSE: "rule_do_pause",
    Effect.UNPAUSE: "rule_do_unpause",
    Effect.BUDGET: "rule_do_budget",
    Effect.BID: "rule_do_bid",
    Effect.NOTIFY: "rule_do_notify",
    Effect.KEEP: "rule_do_keep",
}


def describe(rule: CompiledRule, result: Result, locale: str, cooldown_minutes: int) -> JSON:
    d = result.decision
    key, params = reason(rule, d)
    reasons = both(key, **params)
    old, new = _money(d.old_budget), _money(d.new_budget)
    bid = d.effect is Effect.BID
    before, after = (d.old_bid, d.new_bid) if bid else (d.old_budget, d.new_budget)
    outcome_key, outcome_params = _outcome_key(result, cooldown_minutes)
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
        "result": result.result,
        "result_message": outcome[locale],
        "old_budget": old,
        "new_budget": new if d.effect is Effect.BUDGET else None,
        **({"old_bid": _money(d.old_bid), "new_bid": _money(d.new_bid)} if bid else {}),
        "values": dict(d.values),
        "actual": _float(d.values.get(_first_label(rule.branches[d.branch].when))),
        "notes": list(d.notes),
        "related_object_id": d.related_object_id,
        "overridden_by": d.overridden_by,
        "execution_id": result.execution_id,
        "reason": reasons[locale],
        "reasons": reasons,
        "messages": reasons,
        **({"error_code": result.detail["code"]} if "code" in result.detail else {}),
    }


def _outcome_key(result: Result, cooldown_minutes: int) -> tuple[str, dict[str, Any]]:
    name = result.result
    if name.startswith("failed:"):
        return "rule_outcome_failed", {"code": name.removeprefix("failed:")}
    params = {
        "minutes": cooldown_minutes,
        "by": result.decision.overridden_by,
        "retry_at": result.detail.get("retry_at", ""),
    }
    return f"rule_outcome_{'done' if name == 'pending' else name}", params


def _first_label(node: Node | None) -> str:
    while isinstance(node, Group):
        node = node.children[0]
    return node.label if isinstance(node, Leaf) else ""


def describe_rule(rule: Rule, compiled: CompiledRule | None, error: str | None = None) -> JSON:
    return {
        "rule_id": rule.rule_id,
        "rule_name": rule.name,
        "enabled": rule.enabled,
        "level": compiled.level.value if compiled else None,
        "check_interval_seconds": rule.check_interval_seconds,
        "created_at": iso(rule.created_at),
        "last_checked_at": iso(rule.last_checked_at),
        "shape": "rich" if "rule_spec" in rule.condition else "simple",
        "condition": redact(rule.condition.get("rule_spec", rule.condition)),
        **({"error": error} if error else {}),
    }


def redact(value: Any) -> Any:
    """A copy of a stored document with webhook secrets masked."""
    if isinstance(value, dict):
        return {k: "***" if k == "secret" and v else redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def describe_execution(execution: RuleExecution) -> JSON:
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


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _float(value: Any) -> float | None:
    return value if isinstance(value, float) else None
