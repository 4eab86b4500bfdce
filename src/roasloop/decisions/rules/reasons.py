"""Why a decision was made, as a message key plus values (rendered by :mod:`roasloop.i18n`).

The default key is ``rule_fired`` with ``conditions`` = the matched branch's conditions
and the values seen (``cpa@last_7d 62.10 > 1.5 × target_cpa (40.00)``). A branch may name
its own key (the presets use the seeds' wording); its parameters are the leaf values by
metric name (``roas``, ``cpa``…), ``target`` (the right-hand metric's value), ``metric``,
``operator``, ``value`` and ``actual`` of the first leaf, plus the branch's ``reason_params``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from roasloop.decisions.rules.expressions import Expr
from roasloop.decisions.rules.model import CompiledRule, Leaf, Node, metric_label
from roasloop.decisions.rules.plan import RuleDecision

DEFAULT_KEY = "rule_fired"


def reason(rule: CompiledRule, decision: RuleDecision) -> tuple[str, dict[str, Any]]:
    """Message key and parameters explaining ``decision``."""
    branch = rule.branches[decision.branch]
    values = decision.values
    params: dict[str, Any] = {"rule": rule.name or rule.rule_id}
    if branch.when is None:
        params["conditions"] = "else"
    else:
        params["conditions"] = _text(branch.when, values)
        leaves = _leaves(branch.when)
        for leaf in leaves:
            params.setdefault(leaf.metric, _fmt(values.get(leaf.label)))
            rhs = _rhs_metric(leaf)
            if rhs is not None:
                params.setdefault(
                    "target", _fmt(values.get(metric_label(rhs, leaf.window, leaf.aggregate)))
                )
        first = leaves[0]
        params.update(
            metric=first.metric,
            operator=first.op.value,
            value=_rhs_text(first),
            actual=_fmt(values.get(first.label)),
        )
    params.update(branch.action.reason_params)
    return branch.action.reason_key or DEFAULT_KEY, params


def _text(node: Node, values: Mapping[str, Any]) -> str:
    if isinstance(node, Leaf):
        seen = values.get(node.label, values.get(f"{node.label}%"))
        return f"{node.label} {_fmt(seen)} {node.op.value} {_rhs_text(node)}"
    joiner = " and " if node.kind == "all" else " or "
    return "(" + joiner.join(_text(child, values) for child in node.children) + ")"


def _leaves(node: Node) -> list[Leaf]:
    if isinstance(node, Leaf):
        return [node]
    return [leaf for child in node.children for leaf in _leaves(child)]


def _rhs_metric(leaf: Leaf) -> str | None:
    return leaf.value.metric if isinstance(leaf.value, Expr) else None


def _rhs_text(leaf: Leaf) -> str:
    value = leaf.value
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
