"""Rules in the seed's shape, evaluated purely over ad-set snapshots.

``condition = {metric, operator, value, time_range}``, ``action = {type, pct?}``,
``applies_to = {campaign_ids?, adset_ids?, name_contains?}``. Metrics are computed over
complete days (reports are daily), so ``24h`` means the last complete day.
"""

from __future__ import annotations

import operator as op
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from roasloop.decisions.snapshot import AdSetSnapshot, BudgetDecision
from roasloop.domain.enums import EntityStatus
from roasloop.domain.metrics import MetricTotals
from roasloop.domain.money import scale
from roasloop.errors import InvalidParameter

OPERATORS: Mapping[str, Callable[[Decimal, Decimal], bool]] = {
    "greater_than": op.gt,
    ">": op.gt,
    "greater_or_equal": op.ge,
    ">=": op.ge,
    "less_than": op.lt,
    "<": op.lt,
    "less_or_equal": op.le,
    "<=": op.le,
    "equals": op.eq,
    "==": op.eq,
    "not_equals": op.ne,
    "!=": op.ne,
}
TIME_RANGES: Mapping[str, int] = {
    "24h": 1,
    "today": 1,
    "yesterday": 1,
    "last_3d": 3,
    "3d": 3,
    "72h": 3,
    "last_7d": 7,
    "7d": 7,
    "last_14d": 14,
    "14d": 14,
    "last_30d": 30,
    "30d": 30,
    "lifetime": 10_000,
}
METRICS: Mapping[str, Callable[[MetricTotals], Decimal | None]] = {
    "spend": lambda t: t.spend,
    "revenue": lambda t: t.revenue,
    "impressions": lambda t: Decimal(t.impressions),
    "clicks": lambda t: Decimal(t.clicks),
    "conversions": lambda t: Decimal(t.conversions),
    "roas": lambda t: t.roas,
    "cpa": lambda t: t.cpa,
    "ctr": lambda t: t.ctr,
    "cvr": lambda t: t.cvr,
    "cpc": lambda t: t.cpc,
    "cpm": lambda t: t.cpm,
}
ACTIONS = ("pause_adset", "increase_budget", "decrease_budget", "notify")


@dataclass(frozen=True, slots=True)
class Condition:
    metric: str
    operator: str
    value: Decimal
    days: int
    time_range: str

    def holds(self, totals: MetricTotals) -> tuple[bool, Decimal | None]:
        actual = METRICS[self.metric](totals)
        if actual is None:
            return False, None
        return OPERATORS[self.operator](actual, self.value), actual


@dataclass(frozen=True, slots=True)
class RuleSpec:
    condition: Condition
    action: str
    pct: Decimal
    campaign_ids: tuple[str, ...] = ()
    adset_ids: tuple[str, ...] = ()
    name_contains: str = ""

    def in_scope(self, campaign_id: str, snapshot: AdSetSnapshot) -> bool:
        return (
            (not self.campaign_ids or campaign_id in self.campaign_ids)
            and (not self.adset_ids or snapshot.adset_id in self.adset_ids)
            and self.name_contains in snapshot.name
        )


@dataclass(frozen=True, slots=True)
class RuleHit:
    adset_id: str
    actual: Decimal | None
    matched: bool
    decision: BudgetDecision | None


def parse_rule(
    condition: Mapping[str, Any], action: Mapping[str, Any], applies_to: Mapping[str, Any]
) -> RuleSpec:
    """Validate the seed-shaped dicts; ``InvalidParameter`` names the offending field."""
    metric = _choice(condition.get("metric"), METRICS, "condition.metric")
    operator = _choice(condition.get("operator"), OPERATORS, "condition.operator")
    time_range = str(condition.get("time_range", "24h"))
    _choice(time_range, TIME_RANGES, "condition.time_range")
    kind = _choice(action.get("type"), ACTIONS, "action.type")
    pct = _decimal(action.get("pct", "20"), "action.pct")
    if not Decimal(0) < pct <= Decimal(100):
        raise InvalidParameter("action.pct", "must be in (0, 100]")
    return RuleSpec(
        condition=Condition(
            metric,
            operator,
            _decimal(condition.get("value"), "condition.value"),
            TIME_RANGES[time_range],
            time_range,
        ),
        action=kind,
        pct=pct,
        campaign_ids=_ids(applies_to.get("campaign_ids"), "applies_to.campaign_ids"),
        adset_ids=_ids(applies_to.get("adset_ids"), "applies_to.adset_ids"),
        name_contains=str(applies_to.get("name_contains", "")),
    )


def evaluate(rule: RuleSpec, campaign_id: str, snapshots: Sequence[AdSetSnapshot]) -> list[RuleHit]:
    """One hit per active ad set in scope, matched or not, with the value seen."""
    hits = []
    for snapshot in snapshots:
        if snapshot.status is not EntityStatus.ACTIVE or not rule.in_scope(campaign_id, snapshot):
            continue
        matched, actual = rule.condition.holds(snapshot.window(rule.condition.days))
        decision = _decision(rule, snapshot, actual) if matched else None
        hits.append(RuleHit(snapshot.adset_id, actual, matched, decision))
    return hits


def _decision(rule: RuleSpec, snapshot: AdSetSnapshot, actual: Decimal | None) -> BudgetDecision:
    condition = rule.condition
    params = {
        "metric": condition.metric,
        "operator": condition.operator,
        "value": str(condition.value),
        "actual": None if actual is None else str(actual.quantize(Decimal("0.0001"))),
    }
    old = snapshot.daily_budget
    factor = {"increase_budget": 1 + rule.pct / 100, "decrease_budget": 1 - rule.pct / 100}
    action = {"pause_adset": "pause"}.get(rule.action, rule.action)
    new = scale(old, factor[rule.action]) if rule.action in factor else None
    return BudgetDecision(
        snapshot.adset_id, action, old, new, "reason_rule", params, {"actual": params["actual"]}
    )


def _choice(value: Any, allowed: Mapping[str, Any] | Sequence[str], field: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise InvalidParameter(field, f"must be one of {', '.join(allowed)}")
    return value


def _decimal(value: Any, field: str) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise InvalidParameter(field, "must be a number")
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    except InvalidOperation as exc:
        raise InvalidParameter(field, "must be a number") from exc
    if not number.is_finite():
        raise InvalidParameter(field, "must be finite")
    return number


def _ids(value: Any, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise InvalidParameter(field, "must be a list of ids")
    return tuple(str(v) for v in value)
