"""Parameter models of the module API's actions (validated at the edge, then typed).

Every model forbids nothing but unknown keys are ignored (the seed's callers send extra
fields such as ``optimization_strategy``); every value that fails names its field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from roasloop.domain.enums import Objective, Platform
from roasloop.domain.models import DEFAULT_AGE_GROUPS, AgeRange
from roasloop.domain.money import parse_money


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise ValueError("must be greater than 0")
    return value


Money = Annotated[Decimal, BeforeValidator(parse_money)]
PositiveMoney = Annotated[Decimal, BeforeValidator(parse_money), AfterValidator(_positive)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=512)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://\S+$")]
Country = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{2}$")
]


class Params(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class WithPlatform(Params):
    platform: Platform = Platform.TIKTOK


class CreateCampaignParams(WithPlatform):
    objective: Objective
    daily_budget: PositiveMoney
    target_countries: list[Country] = Field(default_factory=lambda: ["US"], min_length=1)
    creative_ids: list[Text] = Field(min_length=1)
    age_groups: list[tuple[int, int]] | None = Field(default=None, min_length=1, max_length=10)
    product_url: Url | None = None
    name: Text | None = None
    idempotency_key: Text | None = None
    target_roas: PositiveMoney | None = None
    target_cpa: PositiveMoney | None = None
    activate: bool = True

    @field_validator("age_groups")
    @classmethod
    def _ages(cls, value: list[tuple[int, int]] | None) -> list[tuple[int, int]] | None:
        for low, high in value or []:
            AgeRange(low, high)
        return value

    @field_validator("creative_ids")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("creative ids must be unique")
        return value

    def age_ranges(self) -> tuple[AgeRange, ...]:
        if self.age_groups is None:
            return DEFAULT_AGE_GROUPS
        return tuple(AgeRange(low, high) for low, high in self.age_groups)


class CampaignRef(WithPlatform):
    campaign_id: Text


class ManageCampaignParams(CampaignRef):
    operation: Literal["pause", "start", "delete"]

    @classmethod
    def from_raw(cls, raw: dict[str, Any]) -> dict[str, Any]:
        """The seed calls the field ``action`` in places; accept both."""
        if "operation" not in raw and "action" in raw:
            return {**raw, "operation": raw["action"]}
        return raw


class OptimizeBudgetParams(CampaignRef):
    policy: Literal["seed-design"] = "seed-design"
    target_roas: PositiveMoney | None = None
    target_cpa: PositiveMoney | None = None
    dry_run: bool = True
    apply: bool = False
    refresh: bool = True

    @property
    def should_apply(self) -> bool:
        return self.apply or not self.dry_run


class SyncReportsParams(CampaignRef):
    lookback_days: int = Field(default=7, ge=1, le=90)


class CreateABTestParams(WithPlatform):
    test_name: Text
    creative_ids: list[Text] = Field(min_length=2, max_length=10)
    daily_budget: PositiveMoney
    test_duration_days: int = Field(ge=1, le=90)
    target_countries: list[Country] = Field(default_factory=lambda: ["US"], min_length=1)
    objective: Objective = Objective.SALES
    primary_metric: Literal["cvr", "conversions_per_impression", "ctr", "cpa", "roas"] = "cvr"
    age_min: int = Field(default=18, ge=13, le=99)
    age_max: int = Field(default=65, ge=14, le=100)
    idempotency_key: Text | None = None

    @field_validator("creative_ids")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("creative ids must be unique")
        return value


class AnalyzeABTestParams(Params):
    test_id: Text
    method: Literal["sequential", "chi_square", "bayesian"] = "sequential"
    alpha: float = Field(default=0.05, gt=0, lt=0.5)
    power: float = Field(default=0.8, gt=0.5, lt=1)
    mde: float = Field(default=0.10, gt=0, lt=10)
    correction: Literal["holm", "bh", "none"] = "holm"


class CreateRuleParams(Params):
    rule_name: Text
    condition: dict[str, Any]
    action: dict[str, Any]
    applies_to: dict[str, Any] = Field(default_factory=dict)
    check_interval: int = Field(default=6 * 3600, ge=60, le=7 * 86400)


class CheckRulesParams(Params):
    due_only: bool = False


class RegisterCreativeParams(Params):
    name: Text
    product_url: Url
    media_url: Text
    creative_id: Text | None = None
    script: dict[str, Any] | None = None
