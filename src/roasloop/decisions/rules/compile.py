"""From a rule document (rich or seed shape) to the engine's :class:`~.model.Rule`.

Every failure is an :class:`~roasloop.errors.InvalidParameter` whose ``field`` is the path
of the offending input, e.g. ``condition.all[1].metric`` or ``branches[2].action.type``
(paths use the canonical names: ``all``, ``metric``, ``action`` even where an alias such
as Meta's ``filters``/``field``/``execution`` was written, except for pydantic's own
structural errors, which name the key as written).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from fractions import Fraction
from typing import Any

from pydantic import ValidationError

from roasloop.decisions.rules import spec as s
from roasloop.decisions.rules.catalog import (
    METRIC_ALIASES,
    METRICS,
    NUMERIC,
    NUMERIC_OPS,
    OP_ALIASES,
    SET_OPS,
    TEXT,
    TEXT_OPS,
    WINDOWED,
    ActionType,
    Op,
    canonical,
)
from roasloop.decisions.rules.compile_actions import compile_action, compile_guards
from roasloop.decisions.rules.expressions import number, parse_expr
from roasloop.decisions.rules.model import (
    Branch,
    CompiledRule,
    Group,
    GroupKind,
    Leaf,
    Node,
    ScopeFilter,
    Value,
)
from roasloop.decisions.rules.windows import Window, parse_window
from roasloop.domain.enums import EntityLevel, EntityStatus, Platform, Stage
from roasloop.domain.money import to_minor_units
from roasloop.errors import InvalidParameter, invalid_input
from roasloop.translations import N_, LocalizedValueError

NUMERIC_NAMES = frozenset(NUMERIC)


def parse_rule(document: Mapping[str, Any], rule_id: str = "") -> CompiledRule:
    """Validate and compile one rule document."""
    return compile_rule(validate_document(document), rule_id)


def validate_document(document: Mapping[str, Any]) -> s.RuleSpec:
    """Structural validation only; the first error becomes ``InvalidParameter``."""
    try:
        return s.RuleSpec.model_validate(dict(document))
    except ValidationError as exc:
        raise invalid_input(exc, "rule") from None


def compile_rule(doc: s.RuleSpec, rule_id: str = "") -> CompiledRule:
    level = _level(doc)
    default_window = _window(doc.window, "window")
    branches = _branches(doc, level, default_window)
    interval = timedelta(minutes=doc.schedule.interval_minutes if doc.schedule else 360)
    return CompiledRule(
        rule_id=rule_id,
        name=doc.name,
        level=level,
        scope=_scope(doc.applies_to, branches),
        branches=branches,
        guards=compile_guards(doc),
        target_roas=Fraction(doc.targets.target_roas) if doc.targets.target_roas else None,
        target_cpa_cents=_cents(doc.targets.target_cpa),
        interval=interval,
    )


def _level(doc: s.RuleSpec) -> EntityLevel:
    given = doc.level if "level" in doc.model_fields_set else None
    scoped = doc.applies_to.level
    if given and scoped and given != scoped:
        raise InvalidParameter(
            "applies_to.level",
            N_("differs from level {level}"),
            detail_params={"level": repr(given)},
        )
    raw = scoped or doc.level
    if raw not in {level.value for level in EntityLevel}:
        field = "applies_to.level" if scoped else "level"
        raise InvalidParameter(field, N_("must be one of campaign, adset, ad"))
    return EntityLevel(raw)


def _branches(doc: s.RuleSpec, level: EntityLevel, window: Window) -> tuple[Branch, ...]:
    if doc.branches:
        if doc.condition is not None or doc.action is not None:
            raise InvalidParameter("branches", N_("give either condition + action or branches"))
        return tuple(_branch(b, i, level, window) for i, b in enumerate(doc.branches))
    if doc.condition is None:
        raise InvalidParameter("condition", N_("a condition (or branches) is required"))
    if doc.action is None:
        raise InvalidParameter("action", N_("an action is required"))
    when = compile_condition(doc.condition, "condition", window)
    return (Branch(when, compile_action(doc.action, level, "action")),)


def _branch(branch: s.Branch, index: int, level: EntityLevel, window: Window) -> Branch:
    path = f"branches[{index}]"
    when = None if branch.when is None else compile_condition(branch.when, f"{path}.when", window)
    return Branch(when, compile_action(branch.action, level, f"{path}.action"))


def compile_condition(node: s.ConditionSpec, path: str, window: Window) -> Node:
    options: tuple[tuple[GroupKind, tuple[s.ConditionSpec, ...] | None], ...] = (
        ("all", node.all),
        ("any", node.any),
    )
    groups = [(k, v) for k, v in options if v is not None]
    if groups and node.metric is not None:
        raise InvalidParameter(f"{path}.metric", N_("give either metric or all/any, not both"))
    if len(groups) > 1:
        raise InvalidParameter(f"{path}.any", N_("give either all or any; nest them for both"))
    if groups:
        kind, children = groups[0]
        if not children:
            raise InvalidParameter(f"{path}.{kind}", N_("must not be empty"))
        compiled = (
            compile_condition(c, f"{path}.{kind}[{i}]", window) for i, c in enumerate(children)
        )
        return Group(kind, tuple(compiled))
    return _leaf(node, path, window)


def _leaf(node: s.ConditionSpec, path: str, default: Window) -> Leaf:
    metric = canonical(node.metric, {**{m: m for m in METRICS}, **METRIC_ALIASES})
    if metric is None:
        known = ", ".join(sorted(METRICS))
        raise InvalidParameter(
            f"{path}.metric",
            N_("unknown or missing metric; one of {known}"),
            detail_params={"known": known},
        )
    op = canonical(node.operator, OP_ALIASES)
    if op is None:
        known = ", ".join(o.value for o in Op)
        raise InvalidParameter(
            f"{path}.operator", N_("one of {known}"), detail_params={"known": known}
        )
    window = _window(node.window, f"{path}.window") if node.window else default
    try:
        window = window.with_lag(node.attribution_lag_days)
    except ValueError as exc:
        raise InvalidParameter.refusing(f"{path}.attribution_lag_days", exc) from None
    if node.aggregate != "object" and metric not in WINDOWED:
        raise InvalidParameter(f"{path}.aggregate", N_("only window metrics can be aggregated"))
    value = _value(metric, Op(op), node.value, window, f"{path}")
    return Leaf(metric, Op(op), value, window, node.aggregate)


def _value(metric: str, op: Op, raw: Any, window: Window, path: str) -> Value:
    field = f"{path}.value"
    try:
        if metric in TEXT:
            return _text_value(metric, op, raw, f"{path}.operator")
        return _numeric_value(metric, op, raw, window, f"{path}.operator")
    except _OperatorError as exc:
        raise InvalidParameter.refusing(exc.field, exc) from None
    except ValueError as exc:
        raise InvalidParameter.refusing(field, exc) from None


class _OperatorError(LocalizedValueError):
    def __init__(self, field: str, msgid: str, **params: Any) -> None:
        super().__init__(msgid, **params)
        self.field = field


def _text_value(metric: str, op: Op, raw: Any, op_field: str) -> Value:
    if op not in TEXT_OPS:
        raise _OperatorError(
            op_field, N_("{metric} takes ==, !=, in, not_in, contains, not_contains"), metric=metric
        )
    if op in SET_OPS:
        if not isinstance(raw, list | tuple) or not raw:
            raise LocalizedValueError(N_("must be a non-empty list"))
        return tuple(_text(v) for v in raw)
    return _text(raw)


def _text(raw: Any) -> str:
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise LocalizedValueError(N_("must be a string"))
    return str(raw).strip().lower()


def _numeric_value(metric: str, op: Op, raw: Any, window: Window, op_field: str) -> Value:
    if op is Op.CHANGED_BY_PCT:
        if metric not in WINDOWED:
            raise _OperatorError(op_field, N_("changed_by_pct needs a window metric"))
        try:
            window.previous()
        except LocalizedValueError as exc:
            raise _OperatorError(op_field, exc.msgid, **exc.params) from None
        pct = number(raw)
        if pct == 0:
            raise LocalizedValueError(
                N_("must not be 0 (negative = dropped by, positive = rose by)")
            )
        return pct
    if op in SET_OPS:
        if not isinstance(raw, list | tuple) or not raw:
            raise LocalizedValueError(N_("must be a non-empty list of numbers"))
        return tuple(number(v) for v in raw)
    if op not in NUMERIC_OPS:
        raise _OperatorError(
            op_field,
            N_("{metric} is a number; {operator} is for text"),
            metric=metric,
            operator=op.value,
        )
    if op in (Op.BETWEEN, Op.NOT_BETWEEN):
        if not isinstance(raw, list | tuple) or len(raw) != 2:
            raise LocalizedValueError(N_("must be [low, high]"))
        low, high = (parse_expr(v, NUMERIC_NAMES) for v in raw)
        if low.metric is None and high.metric is None and low.coef > high.coef:
            raise LocalizedValueError(N_("low must not exceed high"))
        return (low, high)
    return parse_expr(raw, NUMERIC_NAMES)


def _window(raw: str, field: str) -> Window:
    try:
        return parse_window(raw)
    except ValueError as exc:
        raise InvalidParameter.refusing(field, exc) from None


def _scope(scope: s.Scope, branches: tuple[Branch, ...]) -> ScopeFilter:
    _check_members(scope.platforms, {p.value for p in Platform}, "applies_to.platforms")
    _check_members(scope.statuses, {x.value for x in EntityStatus}, "applies_to.statuses")
    _check_members(scope.stages, {x.value for x in Stage}, "applies_to.stages")
    return ScopeFilter(
        platforms=scope.platforms,
        account_ids=scope.account_ids,
        campaign_ids=scope.campaign_ids,
        adset_ids=scope.adset_ids,
        ad_ids=scope.ad_ids,
        name_contains=scope.name_contains.strip().lower(),
        statuses=scope.statuses or _default_statuses(branches),
        stages=scope.stages,
    )


def _default_statuses(branches: tuple[Branch, ...]) -> tuple[str, ...]:
    """Active objects, paused ones too when a branch unpauses (only paused if all do)."""
    unpause = [b.action.type is ActionType.UNPAUSE for b in branches]
    if all(unpause):
        return (EntityStatus.PAUSED.value,)
    if any(unpause):
        return (EntityStatus.ACTIVE.value, EntityStatus.PAUSED.value)
    return (EntityStatus.ACTIVE.value,)


def _check_members(values: tuple[str, ...], allowed: set[str], field: str) -> None:
    for index, value in enumerate(values):
        if value not in allowed:
            raise InvalidParameter(
                f"{field}[{index}]",
                N_("one of {known}"),
                detail_params={"known": ", ".join(sorted(allowed))},
            )


def _cents(amount: Any) -> int | None:
    return None if amount is None else to_minor_units(amount)
