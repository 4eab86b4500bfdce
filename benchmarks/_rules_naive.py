"""The naive per-object rule loop the throughput benchmark measures the engine against.

Per ad set, per rule: sum the window's ``MetricTotals`` (``Decimal`` money) and compare
exactly, as a per-object engine would (see ``rules_throughput.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from roasloop.decisions.rules import ObjectFrame, Rule
from roasloop.decisions.rules.catalog import RATIOS, Op
from roasloop.decisions.rules.expressions import Expr
from roasloop.decisions.rules.model import Group, Leaf, Node
from roasloop.domain.metrics import MetricTotals


class NaiveObject:
    """One ad set as a per-object engine holds it: a list of daily ``MetricTotals``."""

    def __init__(self, frame: ObjectFrame, row: int) -> None:
        c = frame.counts
        self.days = [
            MetricTotals(
                int(c["impressions"][row, d]),
                int(c["clicks"][row, d]),
                int(c["conversions"][row, d]),
                Decimal(int(c["spend"][row, d])) / 100,
                Decimal(int(c["revenue"][row, d])) / 100,
            )
            for d in range(frame.days)
        ]
        self.first_day, self.created = frame.first_day, int(frame.created_day[row])
        self.budget = Decimal(int(frame.budget_cents[row])) / 100
        self.text = {
            "status": str(frame.statuses[row]),
            "stage": str(frame.stages[row]),
            "name": str(frame.names[row]).lower(),
        }
        self.targets = {
            "target_roas": Fraction(int(frame.target_roas_e4[row]), 10_000),
            "target_cpa": Fraction(int(frame.target_cpa_cents[row]), 100),
        }


def naive_branches(rule: Rule, obj: NaiveObject, today: date) -> int:
    if obj.text["status"] not in rule.scope.statuses:
        return -1
    for index, branch in enumerate(rule.branches):
        if branch.when is None or _naive_node(branch.when, obj, today):
            return index
    return -1


def _naive_node(node: Node, obj: NaiveObject, today: date) -> bool:
    if isinstance(node, Group):
        results = (_naive_node(child, obj, today) for child in node.children)
        return all(results) if node.kind == "all" else any(results)
    return _naive_leaf(node, obj, today)


def _naive_leaf(leaf: Leaf, obj: NaiveObject, today: date) -> bool:
    if leaf.metric in obj.text:
        text, value = obj.text[leaf.metric], leaf.value
        if leaf.op is Op.CONTAINS:
            return str(value) in text
        return text in value if leaf.op is Op.IN else text == value
    if leaf.op is Op.CHANGED_BY_PCT:
        now = _naive_metric(leaf.metric, leaf.window, obj, today)
        before = _naive_metric(leaf.metric, leaf.window.previous(), obj, today)
        if now is None or not before:
            return False
        change = (now / before - 1) * 100
        bound = Fraction(str(leaf.value))
        return change <= bound if bound < 0 else change >= bound
    left = _naive_metric(leaf.metric, leaf.window, obj, today)
    if left is None:
        return False
    if leaf.op in (Op.BETWEEN, Op.NOT_BETWEEN):
        low, high = (_naive_rhs(e, leaf, obj, today) for e in leaf.value)  # type: ignore[union-attr]
        if low is None or high is None:
            return False
        inside = low <= left <= high
        return inside if leaf.op is Op.BETWEEN else not inside
    right = _naive_rhs(leaf.value, leaf, obj, today)  # type: ignore[arg-type]
    return right is not None and OPS[leaf.op](left, right)


OPS: dict[Op, Callable[[Fraction, Fraction], bool]] = {
    Op.GT: lambda a, b: a > b,
    Op.GE: lambda a, b: a >= b,
    Op.LT: lambda a, b: a < b,
    Op.LE: lambda a, b: a <= b,
    Op.EQ: lambda a, b: a == b,
    Op.NE: lambda a, b: a != b,
}


def _naive_rhs(expr: Expr, leaf: Leaf, obj: NaiveObject, today: date) -> Fraction | None:
    if expr.metric is None:
        return expr.coef
    base = _naive_metric(expr.metric, leaf.window, obj, today)
    return None if base is None else base * expr.coef


def _naive_metric(metric: str, window: Any, obj: NaiveObject, today: date) -> Fraction | None:
    if metric in obj.targets:
        return obj.targets[metric]
    yesterday = (today - obj.first_day).days - 1
    if metric == "budget":
        return Fraction(obj.budget)
    if metric == "days_running":
        return Fraction(max(yesterday - obj.created + 1, 0))
    if metric in ("days_without_conversions", "spend_since_last_conversion"):
        return _naive_streak(metric, obj, yesterday)
    first, last = window.days(today, obj.first_day)
    lo, hi = (
        max((first - obj.first_day).days, 0),
        min((last - obj.first_day).days, len(obj.days) - 1),
    )
    totals = MetricTotals.total(obj.days[lo : hi + 1])
    if metric == "budget_utilization":
        active = max(hi - max(lo, obj.created) + 1, 0)
        capacity = obj.budget * active
        return Fraction(totals.spend) / Fraction(capacity) if capacity else None
    if metric in RATIOS:
        num, den, a, b = RATIOS[metric]
        top, bottom = _naive_count(totals, num), _naive_count(totals, den)
        return None if bottom == 0 else top / bottom * Fraction(a, b)
    return _naive_count(totals, metric) / (100 if metric in ("spend", "revenue") else 1)


def _naive_count(totals: MetricTotals, name: str) -> Fraction:
    value = getattr(totals, name)
    return Fraction(value) * 100 if isinstance(value, Decimal) else Fraction(value)


def _naive_streak(metric: str, obj: NaiveObject, yesterday: int) -> Fraction:
    streak, spend = 0, Decimal(0)
    for day in range(yesterday, -1, -1):
        if obj.days[day].conversions:
            break
        streak, spend = streak + 1, spend + obj.days[day].spend
    running = max(yesterday - obj.created + 1, 0)
    return (
        Fraction(min(streak, running)) if metric == "days_without_conversions" else Fraction(spend)
    )
