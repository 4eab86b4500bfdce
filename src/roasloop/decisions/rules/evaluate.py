"""Evaluating a rule's conditions over a frame: scope, leaves, groups, branches.

Returns, per rule, which branch each row matched (first match wins) and the values seen
for every leaf, for every row (callers gather the matched rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from roasloop.decisions.rules.catalog import TEXT, Op
from roasloop.decisions.rules.expressions import Expr
from roasloop.decisions.rules.frame import ObjectFrame
from roasloop.decisions.rules.metrics import MetricSource
from roasloop.decisions.rules.model import CompiledRule, Leaf, Node, ScopeFilter, metric_label
from roasloop.decisions.rules.operands import (
    BoolArray,
    Constant,
    IntArray,
    Operand,
    Scaled,
    compare,
)

Seen = dict[str, npt.NDArray[Any]]


@dataclass(frozen=True, eq=False)
class Match:
    """``branch[i]`` is the branch row ``i`` matched, or -1; ``seen`` holds leaf values."""

    rule: CompiledRule
    scope: BoolArray
    branch: IntArray
    seen: Seen


def evaluate_rule(
    rule: CompiledRule, src: MetricSource, scopes: dict[ScopeFilter, BoolArray]
) -> Match:
    if rule.scope not in scopes:
        scopes[rule.scope] = scope_mask(src.frame, rule.scope)
    rows = scopes[rule.scope]
    branch = np.full(src.size, -1, dtype=np.int64)
    open_rows = rows.copy()
    seen: Seen = {}
    for index, b in enumerate(rule.branches):
        hit = open_rows if b.when is None else _node(b.when, src, open_rows, rule, seen)
        hit = hit & open_rows
        branch[hit] = index
        open_rows &= ~hit
    return Match(rule, rows, branch, seen)


def scope_mask(frame: ObjectFrame, scope: ScopeFilter) -> BoolArray:
    """Rows of ``frame`` that ``scope`` selects."""
    mask = np.ones(len(frame), dtype=np.bool_)
    for values, column in (
        (scope.platforms, frame.platforms),
        (scope.account_ids, frame.account_ids),
        (scope.campaign_ids, frame.campaign_ids),
        (scope.adset_ids, frame.adset_ids),
        (scope.ad_ids, frame.ids if frame.level == "ad" else None),
        (scope.statuses, frame.statuses),
        (scope.stages, frame.stages),
    ):
        if values and column is not None:
            mask &= _member(column, frozenset(values))
    if scope.name_contains:
        mask &= np.char.find(frame.lower_names, scope.name_contains) >= 0
    return mask


def _member(column: npt.NDArray[Any], values: frozenset[str]) -> BoolArray:
    if len(values) == 1:
        hits: BoolArray = column == next(iter(values))
        return hits
    return np.fromiter((v in values for v in column), dtype=np.bool_, count=column.shape[0])


def _node(
    node: Node, src: MetricSource, rows: BoolArray, rule: CompiledRule, seen: Seen
) -> BoolArray:
    if isinstance(node, Leaf):
        return _leaf(node, src, rows, rule, seen)
    parts = [_node(child, src, rows, rule, seen) for child in node.children]
    combine = np.logical_and if node.kind == "all" else np.logical_or
    out = parts[0]
    for part in parts[1:]:
        out = combine(out, part)
    return out


def _leaf(
    leaf: Leaf, src: MetricSource, rows: BoolArray, rule: CompiledRule, seen: Seen
) -> BoolArray:
    if leaf.metric in TEXT:
        column = _text_column(src.frame, leaf.metric)
        seen.setdefault(leaf.metric, column)
        return rows & _text(column, src.frame, leaf)
    if leaf.op is Op.CHANGED_BY_PCT:
        change = src.changed(leaf.metric, leaf.window, leaf.aggregate, rows, rule)
        seen.setdefault(f"{leaf.label}%", change.values())
        assert isinstance(leaf.value, Fraction)
        bound = Constant(leaf.value, src.size)
        return compare(change, "<=" if leaf.value < 0 else ">=", bound, rows)
    left = src.operand(leaf.metric, leaf.window, leaf.aggregate, rows, rule)
    seen.setdefault(leaf.label, left.values())
    return _numeric(leaf, left, src, rows, rule, seen)


def _numeric(
    leaf: Leaf, left: Operand, src: MetricSource, rows: BoolArray, rule: CompiledRule, seen: Seen
) -> BoolArray:
    def side(expr: Expr) -> Operand:
        if expr.metric is None:
            return Constant(expr.coef, src.size)
        base = src.operand(expr.metric, leaf.window, leaf.aggregate, rows, rule)
        seen.setdefault(metric_label(expr.metric, leaf.window, leaf.aggregate), base.values())
        return base if expr.coef == 1 else Scaled(base, expr.coef)

    value = leaf.value
    if leaf.op in (Op.BETWEEN, Op.NOT_BETWEEN):
        assert isinstance(value, tuple) and isinstance(value[0], Expr)
        low, high = side(value[0]), side(value[1])
        if leaf.op is Op.BETWEEN:
            return compare(left, ">=", low, rows) & compare(left, "<=", high, rows)
        return compare(left, "<", low, rows) | compare(left, ">", high, rows)
    if leaf.op in (Op.IN, Op.NOT_IN):
        assert isinstance(value, tuple)
        hits = np.zeros(src.size, dtype=np.bool_)
        for item in value:
            assert isinstance(item, Fraction)
            hits |= compare(left, "==", Constant(item, src.size), rows)
        if leaf.op is Op.IN:
            return hits
        return rows & ~np.isnan(left.values()) & ~hits
    assert isinstance(value, Expr)
    return compare(left, leaf.op.value, side(value), rows)


def _text_column(frame: ObjectFrame, metric: str) -> npt.NDArray[Any]:
    if metric == "status":
        return frame.statuses
    if metric == "stage":
        return frame.stages
    return frame.lower_names


def _text(column: npt.NDArray[Any], frame: ObjectFrame, leaf: Leaf) -> BoolArray:
    value = leaf.value
    if leaf.op in (Op.IN, Op.NOT_IN):
        assert isinstance(value, tuple)
        hits = _in(column, frozenset(str(v) for v in value))
        return hits if leaf.op is Op.IN else ~hits
    assert isinstance(value, str)
    if leaf.op in (Op.CONTAINS, Op.NOT_CONTAINS):
        names = frame.lower_names if leaf.metric == "name" else column.astype(np.str_)
        hits = np.char.find(names, value) >= 0
        return hits if leaf.op is Op.CONTAINS else ~hits
    hits = _in(column, frozenset({value}))
    return hits if leaf.op is Op.EQ else ~hits


def _in(column: npt.NDArray[Any], values: frozenset[str]) -> BoolArray:
    return _member(column, values)
