"""The rule language's vocabulary: metrics, operators and action types, with accepted aliases.

Aliases cover the seed (``greater_than``, ``pause_adset``), Meta's ad rules
(``GREATER_THAN``, ``IN_RANGE``, ``CHANGE_BUDGET``…) and TikTok's optimizer rules (``GT``,
``BETWEEN``, ``TURN_OFF``…), so a rule written for either reads the same here.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

#: Additive counts summed over a window. Money is in cents inside the engine.
COUNTS = ("spend", "revenue", "impressions", "clicks", "conversions", "reach")
#: Ratios of window sums: (numerator, denominator, scale to user units).
RATIOS: Mapping[str, tuple[str, str, int, int]] = {
    # name: (numerator, denominator, scale numerator, scale denominator)
    "roas": ("revenue", "spend", 1, 1),
    "cpa": ("spend", "conversions", 1, 100),
    "ctr": ("clicks", "impressions", 1, 1),
    "cvr": ("conversions", "clicks", 1, 1),
    "cpm": ("spend", "impressions", 10, 1),
    "cpc": ("spend", "clicks", 1, 100),
    "frequency": ("impressions", "reach", 1, 1),
}
#: Window metrics that are not a plain ratio of two counts.
WINDOWED_OTHER = ("budget_utilization",)
#: Numbers that do not depend on a window (snapshot state as of now).
STATIC = (
    "budget",
    "days_running",
    "days_without_conversions",
    "spend_since_last_conversion",
    "target_roas",
    "target_cpa",
)
TEXT = ("stage", "status", "name")
WINDOWED = frozenset((*COUNTS, *RATIOS, *WINDOWED_OTHER))
NUMERIC = frozenset((*WINDOWED, *STATIC))
METRICS = frozenset((*NUMERIC, *TEXT))
#: Cost metrics fall when performance improves (used by ``scale_budget``'s direction).
COST_METRICS = frozenset({"cpa", "cpc", "cpm"})
MONEY_METRICS = frozenset(
    {"spend", "revenue", "cpa", "cpc", "cpm", "budget", "spend_since_last_conversion", "target_cpa"}
)
METRIC_ALIASES = {
    "spent": "spend",
    "cost": "spend",
    "cost_per_result": "cpa",
    "result": "conversions",
    "results": "conversions",
    "daily_budget": "budget",
    "days_since_creation": "days_running",
    "daily_budget_spending_rate": "budget_utilization",
}


class Op(enum.StrEnum):
    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="
    EQ = "=="
    NE = "!="
    BETWEEN = "between"
    NOT_BETWEEN = "not_between"
    IN = "in"
    NOT_IN = "not_in"
    CONTAINS = "contains"
    NOT_CONTAINS = "not_contains"
    CHANGED_BY_PCT = "changed_by_pct"


OP_ALIASES: Mapping[str, Op] = {
    **{op.value: op for op in Op},
    "greater_than": Op.GT,
    "gt": Op.GT,
    "greater_or_equal": Op.GE,
    "greater_than_or_equal": Op.GE,
    "gte": Op.GE,
    "less_than": Op.LT,
    "lt": Op.LT,
    "less_or_equal": Op.LE,
    "less_than_or_equal": Op.LE,
    "lte": Op.LE,
    "equal": Op.EQ,
    "equals": Op.EQ,
    "eq": Op.EQ,
    "=": Op.EQ,
    "string_equal": Op.EQ,
    "not_equal": Op.NE,
    "not_equals": Op.NE,
    "ne": Op.NE,
    "in_range": Op.BETWEEN,
    "not_in_range": Op.NOT_BETWEEN,
    "contain": Op.CONTAINS,
    "not_contain": Op.NOT_CONTAINS,
    "changed_by": Op.CHANGED_BY_PCT,
}
NUMERIC_OPS = frozenset({Op.GT, Op.GE, Op.LT, Op.LE, Op.EQ, Op.NE, Op.BETWEEN, Op.NOT_BETWEEN})
SET_OPS = frozenset({Op.IN, Op.NOT_IN})
TEXT_OPS = frozenset({Op.EQ, Op.NE, Op.IN, Op.NOT_IN, Op.CONTAINS, Op.NOT_CONTAINS})


class ActionType(enum.StrEnum):
    PAUSE = "pause"
    UNPAUSE = "unpause"
    INCREASE_BUDGET = "increase_budget"
    DECREASE_BUDGET = "decrease_budget"
    SET_BUDGET = "set_budget"
    SCALE_BUDGET = "scale_budget"
    CHANGE_BID = "change_bid"
    REBALANCE = "rebalance"
    ROTATE_CREATIVE = "rotate_creative"
    NOTIFY = "notify"
    KEEP = "keep"


ACTION_ALIASES: Mapping[str, ActionType] = {
    **{kind.value: kind for kind in ActionType},
    "pause_adset": ActionType.PAUSE,
    "pause_ad": ActionType.PAUSE,
    "pause_campaign": ActionType.PAUSE,
    "turn_off": ActionType.PAUSE,
    "start": ActionType.UNPAUSE,
    "resume": ActionType.UNPAUSE,
    "turn_on": ActionType.UNPAUSE,
    "scale_to_target": ActionType.SCALE_BUDGET,
    "bid": ActionType.CHANGE_BID,
    "rebalance_budget": ActionType.REBALANCE,
    "rotate": ActionType.ROTATE_CREATIVE,
    "notification": ActionType.NOTIFY,
    "ping_endpoint": ActionType.NOTIFY,
    "message": ActionType.NOTIFY,
    "webhook": ActionType.NOTIFY,
    "none": ActionType.KEEP,
    "no_change": ActionType.KEEP,
}
BUDGET_ACTIONS = frozenset(
    {
        ActionType.INCREASE_BUDGET,
        ActionType.DECREASE_BUDGET,
        ActionType.SET_BUDGET,
        ActionType.SCALE_BUDGET,
    }
)
#: Actions that change something on the platform (count against cooldowns and limits).
CHANGING_ACTIONS = frozenset(set(ActionType) - {ActionType.NOTIFY, ActionType.KEEP})


def canonical(name: object, aliases: Mapping[str, object]) -> str | None:
    """Lower-cased, alias-resolved spelling, or None when unknown."""
    if not isinstance(name, str):
        return None
    key = name.strip().lower()
    return str(aliases[key]) if key in aliases else None
