"""Typed records that cross layers. Money is ``Decimal``; datetimes are UTC-aware."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from roasloop.domain.enums import (
    ABTestStatus,
    BidStrategy,
    EntityLevel,
    EntityStatus,
    Objective,
    OperationState,
    OptimizationGoal,
    Platform,
    QueueStatus,
    Stage,
    Trigger,
)
from roasloop.domain.metrics import MetricTotals

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class AgeRange:
    """Inclusive age bounds of one ad set's audience."""

    min_age: int
    max_age: int

    def __post_init__(self) -> None:
        if not 13 <= self.min_age < self.max_age <= 100:
            raise ValueError("check_age_range")

    @property
    def label(self) -> str:
        return f"{self.min_age}-{self.max_age}"


DEFAULT_AGE_GROUPS: tuple[AgeRange, ...] = (AgeRange(18, 35), AgeRange(36, 50), AgeRange(51, 65))


@dataclass(frozen=True, slots=True)
class Targeting:
    """Broad audience, automatic placements: the seed's default ad-set targeting."""

    countries: tuple[str, ...]
    age_range: AgeRange
    audience: str = "broad"
    placements: str = "automatic"
    gender: str = "all"

    def as_dict(self) -> JSON:
        return {
            "countries": list(self.countries),
            "age_min": self.age_range.min_age,
            "age_max": self.age_range.max_age,
            "audience": self.audience,
            "placements": self.placements,
            "gender": self.gender,
        }

    @classmethod
    def from_dict(cls, data: JSON) -> Targeting:
        return cls(
            countries=tuple(data["countries"]),
            age_range=AgeRange(int(data["age_min"]), int(data["age_max"])),
            audience=str(data.get("audience", "broad")),
            placements=str(data.get("placements", "automatic")),
            gender=str(data.get("gender", "all")),
        )


@dataclass(frozen=True, slots=True)
class Creative:
    """A video creative for a product; ``script`` is filled by the creative loop later."""

    creative_id: str
    tenant_id: str
    name: str
    product_url: str
    media_url: str
    created_at: datetime
    script: JSON | None = None


@dataclass(frozen=True, slots=True)
class PlatformAccount:
    """A bound ad account; ``access_token`` is only ever held decrypted in memory."""

    tenant_id: str
    platform: Platform
    account_id: str
    access_token: str
    created_at: datetime
    name: str = ""


@dataclass(frozen=True, slots=True)
class Campaign:
    campaign_id: str
    tenant_id: str
    platform: Platform
    account_id: str
    name: str
    objective: Objective
    daily_budget: Decimal
    status: EntityStatus
    created_at: datetime
    updated_at: datetime
    stage: Stage = Stage.LAUNCH
    target_roas: Decimal | None = None
    target_cpa: Decimal | None = None
    product_url: str = ""


@dataclass(frozen=True, slots=True)
class AdSet:
    adset_id: str
    campaign_id: str
    tenant_id: str
    platform: Platform
    name: str
    daily_budget: Decimal
    status: EntityStatus
    targeting: Targeting
    optimization_goal: OptimizationGoal
    bid_strategy: BidStrategy
    created_at: datetime
    updated_at: datetime
    bid_amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Ad:
    ad_id: str
    adset_id: str
    campaign_id: str
    tenant_id: str
    platform: Platform
    creative_id: str
    name: str
    copy: str
    status: EntityStatus
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class PerformanceDaily:
    """One ad's platform-reported numbers for one day, as of ``fetched_at``."""

    tenant_id: str
    platform: Platform
    campaign_id: str
    adset_id: str
    ad_id: str
    day: date
    metrics: MetricTotals
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class Rule:
    rule_id: str
    tenant_id: str
    name: str
    condition: JSON
    action: JSON
    applies_to: JSON
    check_interval_seconds: int
    enabled: bool
    created_at: datetime
    last_checked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RuleExecution:
    execution_id: str
    rule_id: str
    tenant_id: str
    executed_at: datetime
    object_id: str
    matched: bool
    values: JSON
    action: str
    before: JSON
    after: JSON
    result: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ABTest:
    test_id: str
    tenant_id: str
    name: str
    platform: Platform
    campaign_id: str
    variants: tuple[tuple[str, str], ...]  # (creative_id, adset_id) in creation order
    daily_budget: Decimal
    duration_days: int
    start_date: date
    end_date: date
    status: ABTestStatus
    primary_metric: str
    created_at: datetime
    results: JSON | None = None
    winner: str | None = None


@dataclass(frozen=True, slots=True)
class Operation:
    """One entry of the operation log: when, who/what, object, action, before, after, why."""

    operation_id: str
    tenant_id: str
    platform: Platform
    created_at: datetime
    trigger: Trigger
    object_level: EntityLevel
    object_id: str
    action: str
    state: OperationState
    before: JSON = field(default_factory=dict)
    after: JSON = field(default_factory=dict)
    reason: str = ""
    result: JSON = field(default_factory=dict)
    request_id: str = ""
    idempotency_key: str = ""
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class OptimizationQueueItem:
    item_id: str
    tenant_id: str
    source_ad_id: str
    new_batch_id: str
    status: QueueStatus
    mode: str
    created_at: datetime
    payload: JSON = field(default_factory=dict)
