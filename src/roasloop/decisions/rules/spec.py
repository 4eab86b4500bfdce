"""The rule document as validated input: structure and types (pydantic).

This module checks shape only (unknown keys, types, ranges); :mod:`.compile` checks meaning
(metric names, operator/value fit, action/level fit) and turns a :class:`RuleSpec` into the
engine's typed rule. Field names follow Meta's ad rules where they exist; the aliases in
``AliasChoices`` accept Meta's and TikTok's spellings (``evaluation``/``filters``/``field``,
``execution``/``execution_type``, ``execution_count_limit``, ``action_frequency``).

A rule is either one ``condition`` + ``action`` or ordered ``branches`` (first match wins,
like ``if/elif/else``; a branch without ``when`` is the ``else``)::

    {"name": "cut expensive", "level": "adset",
     "applies_to": {"campaign_ids": ["c1"], "status": ["active"]},
     "condition": {"all": [
         {"metric": "cpa", "operator": ">", "value": "1.5 * target_cpa", "window": "last_7d",
          "attribution_lag_days": 1},
         {"metric": "spend", "operator": ">=", "value": 20, "window": "last_3d"}]},
     "action": {"type": "decrease_budget",
                "change_spec": {"amount": 20, "unit": "percentage", "limit": 10}},
     "safeguards": {"cooldown_minutes": 1440, "max_executions_per_object_per_day": 1,
                    "learning_phase": "protect"}}
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field

from roasloop.domain.money import parse_money


def _alias(*names: str) -> AliasChoices:
    return AliasChoices(*names)


def _tuple(value: Any) -> Any:
    """A single value where a list is expected becomes a one-element list."""
    if value is None:
        return ()
    return value if isinstance(value, list | tuple) else [value]


def _ids(value: Any) -> Any:
    value = _tuple(value)
    return [str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in value]


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


Ids = Annotated[tuple[str, ...], BeforeValidator(_ids)]
Names = Annotated[tuple[str, ...], BeforeValidator(lambda v: [_lower(x) for x in _tuple(v)])]
Money = Annotated[Decimal, BeforeValidator(parse_money)]
#: Bounds of a rule's counts and cooldowns: a year of minutes, a million executions.
MAX_COOLDOWN_MINUTES = 525_600
MAX_EXECUTIONS = 1_000_000
#: The largest ROAS target anyone means (1000 × spend).
MAX_RATIO = Decimal(1000)
Lower = Annotated[str, BeforeValidator(_lower)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ConditionSpec(Strict):
    """A leaf ``{metric, operator, value, window?}`` or a group ``{all: [...]}``/``{any: ...}``."""

    all: tuple[ConditionSpec, ...] | None = Field(None, validation_alias=_alias("all", "filters"))
    any: tuple[ConditionSpec, ...] | None = None
    metric: Lower | None = Field(None, validation_alias=_alias("metric", "field", "subject_type"))
    operator: Lower | None = Field(None, validation_alias=_alias("operator", "match_type"))
    value: Any = None
    window: Lower | None = Field(
        None, validation_alias=_alias("window", "time_range", "time_preset", "range_type")
    )
    attribution_lag_days: int = Field(
        0, ge=0, le=28, validation_alias=_alias("attribution_lag_days", "lag_days")
    )
    aggregate: Literal["object", "campaign", "scope"] = Field(
        "object", validation_alias=_alias("aggregate", "calculation_type")
    )


class Scope(Strict):
    """Which objects a rule looks at; empty filters match everything."""

    platforms: Names = Field((), validation_alias=_alias("platforms", "platform"))
    account_ids: Ids = ()
    campaign_ids: Ids = ()
    adset_ids: Ids = ()
    ad_ids: Ids = ()
    name_contains: str = ""
    statuses: Names = Field((), validation_alias=_alias("statuses", "status"))
    stages: Names = Field((), validation_alias=_alias("stages", "stage"))
    level: Lower | None = None


class ChangeSpec(Strict):
    """Meta's ``change_spec``: how much, in which unit, up to which limit, toward which target.

    ``limit`` is a ceiling when increasing and a floor when decreasing (account currency).
    ``target_field`` + ``target_value`` scale the budget toward a metric's target.
    """

    amount: Decimal | None = None  # signed for change_bid; budgets check > 0 when compiled
    unit: Lower = "percentage"
    limit: Money | None = None
    target_field: Lower | None = None
    target_value: Any = None
    window: Lower = "last_7d"


class Webhook(Strict):
    url: str = Field(pattern=r"^https?://\S+$")
    secret: str | None = Field(None, min_length=8)


class ActionSpec(Strict):
    type: Lower = Field(validation_alias=_alias("type", "execution_type"))
    change_spec: ChangeSpec | None = None
    pct: Decimal | None = None
    min_budget: Money | None = None
    max_budget: Money | None = None
    webhook: Webhook | None = None
    reason: str | None = None
    reason_params: dict[str, str | int | float] = Field(default_factory=dict)


class Branch(Strict):
    when: ConditionSpec | None = None
    action: ActionSpec


class Safeguards(Strict):
    """Per-rule limits; ``None`` means unlimited. Day counts are rolling 24 h."""

    cooldown_minutes: int = Field(
        1440,
        ge=0,
        le=MAX_COOLDOWN_MINUTES,
        validation_alias=_alias("cooldown_minutes", "action_frequency"),
    )
    max_executions_per_object: int | None = Field(
        None,
        ge=1,
        le=MAX_EXECUTIONS,
        validation_alias=_alias("max_executions_per_object", "execution_count_limit"),
    )
    max_executions_per_object_per_day: int | None = Field(None, ge=1, le=MAX_EXECUTIONS)
    max_executions_per_day: int | None = Field(None, ge=1, le=MAX_EXECUTIONS)
    max_change_pct: Decimal | None = Field(None, gt=0, le=100)
    min_budget: Money | None = None
    max_budget: Money | None = None
    learning_phase: Literal["protect", "include"] = "protect"
    account_daily_spend_cap: Money | None = None


class Targets(Strict):
    """Overrides of the campaign's targets for this rule."""

    target_roas: Decimal | None = Field(None, gt=0, le=MAX_RATIO, allow_inf_nan=False)
    target_cpa: Money | None = None


class Schedule(Strict):
    interval_minutes: int = Field(360, ge=1, le=10_080)


class RuleSpec(Strict):
    name: str = ""
    level: Lower = "adset"
    window: Lower = "last_7d"
    applies_to: Scope = Field(default_factory=Scope)
    condition: ConditionSpec | None = Field(
        None, validation_alias=_alias("condition", "evaluation")
    )
    action: ActionSpec | None = Field(None, validation_alias=_alias("action", "execution"))
    branches: tuple[Branch, ...] = ()
    targets: Targets = Field(default_factory=Targets)
    safeguards: Safeguards = Field(default_factory=Safeguards)
    schedule: Schedule | None = None
    execution_count_limit: int | None = Field(None, ge=1, le=MAX_EXECUTIONS)
    action_frequency: int | None = Field(None, ge=0, le=MAX_COOLDOWN_MINUTES)
