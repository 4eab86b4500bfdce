"""The relational schema, one declarative class per table, mapped onto the domain's records.

Each row class's attributes carry the names of its domain record's fields (``CampaignRow``
has every field of :class:`~roasloop.domain.models.Campaign`), and their column types turn
stored values into domain values: enums from their codes, money from integer cents
(``*_cents`` columns), datetimes in UTC, :class:`Targeting` and :class:`MetricTotals` from
their columns (see ``_types``). So a record and its row convert by field name alone
(:mod:`roasloop.store._edge`); where the column's name differs from the field's, the
column keeps its name (``daily_budget`` is ``daily_budget_cents``).

Every table's primary key starts with ``tenant_id``: two tenants may use the same ids and
an upsert by primary key can never touch another tenant's row. Migrations in
``migrations/versions`` must produce exactly this schema (a test compares).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, composite, mapped_column
from sqlalchemy.types import TypeEngine

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
from roasloop.domain.models import Targeting
from roasloop.store._types import (
    EnumCode,
    JSONDoc,
    Money,
    Pairs,
    PairsDoc,
    Ratio,
    TargetingDoc,
    UTCDateTime,
)

#: Alembic's bookkeeping table (prefixed so roasloop can share a database).
VERSION_TABLE = "roasloop_alembic_version"

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "pk": "pk_%(table_name)s",
}

Id = String(255)
Doc = dict[str, Any]
_ENUMS = (
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


#: The column type of each annotated Python type (a ``Mapped[...]`` without its own type).
_TYPES: dict[Any, TypeEngine[Any]] = {
    datetime: UTCDateTime(),
    date: Date(),
    Doc: JSONDoc,
    int: Integer(),
    bool: Boolean(),
    str: Text(),
    Targeting: TargetingDoc(),
    Pairs: PairsDoc(),
    **{kind: EnumCode(kind) for kind in _ENUMS},
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = _TYPES


class PlatformAccountRow(Base):
    """A :class:`PlatformAccount`; ``access_token`` holds the ciphertext (the accounts
    repository encrypts and decrypts it)."""

    __tablename__ = "platform_accounts"
    __table_args__ = (Index(None, "tenant_id", "platform", "created_at"),)

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    platform: Mapped[Platform] = mapped_column(primary_key=True)
    account_id: Mapped[str] = mapped_column(Id, primary_key=True)
    access_token: Mapped[str] = mapped_column("access_token_encrypted")
    name: Mapped[str]
    created_at: Mapped[datetime]


class CreativeRow(Base):
    __tablename__ = "creatives"
    __table_args__ = (Index(None, "tenant_id", "created_at"),)

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    creative_id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str]
    product_url: Mapped[str]
    media_url: Mapped[str]
    created_at: Mapped[datetime]
    script: Mapped[Doc | None]


class CreativeMediaRow(Base):
    """Which platform media id an uploaded creative got on one ad account."""

    __tablename__ = "creative_media"

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    creative_id: Mapped[str] = mapped_column(Id, primary_key=True)
    platform: Mapped[Platform] = mapped_column(primary_key=True)
    account_id: Mapped[str] = mapped_column(Id, primary_key=True)
    media_id: Mapped[str] = mapped_column(Id)


class CampaignRow(Base):
    __tablename__ = "campaigns"
    __table_args__ = (Index(None, "tenant_id", "created_at"),)

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    platform: Mapped[Platform] = mapped_column(primary_key=True)
    campaign_id: Mapped[str] = mapped_column(Id, primary_key=True)
    account_id: Mapped[str] = mapped_column(Id)
    name: Mapped[str]
    objective: Mapped[Objective]
    daily_budget: Mapped[Decimal] = mapped_column("daily_budget_cents", Money())
    status: Mapped[EntityStatus]
    stage: Mapped[Stage]
    target_roas: Mapped[Decimal | None] = mapped_column("target_roas_e4", Ratio())
    target_cpa: Mapped[Decimal | None] = mapped_column("target_cpa_cents", Money())
    product_url: Mapped[str]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class AdGroupRow(Base):
    """An ad set (the PRD calls them ad groups)."""

    __tablename__ = "ad_groups"
    __table_args__ = (Index(None, "tenant_id", "platform", "campaign_id"),)

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    platform: Mapped[Platform] = mapped_column(primary_key=True)
    adset_id: Mapped[str] = mapped_column(Id, primary_key=True)
    campaign_id: Mapped[str] = mapped_column(Id)
    name: Mapped[str]
    daily_budget: Mapped[Decimal] = mapped_column("daily_budget_cents", Money())
    status: Mapped[EntityStatus]
    targeting: Mapped[Targeting]
    optimization_goal: Mapped[OptimizationGoal]
    bid_strategy: Mapped[BidStrategy]
    bid_amount: Mapped[Decimal | None] = mapped_column("bid_amount_cents", Money())
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class AdRow(Base):
    __tablename__ = "ads"
    __table_args__ = (Index(None, "tenant_id", "platform", "campaign_id"),)

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    platform: Mapped[Platform] = mapped_column(primary_key=True)
    ad_id: Mapped[str] = mapped_column(Id, primary_key=True)
    adset_id: Mapped[str] = mapped_column(Id)
    campaign_id: Mapped[str] = mapped_column(Id)
    creative_id: Mapped[str] = mapped_column(Id)
    name: Mapped[str]
    copy: Mapped[str]
    status: Mapped[EntityStatus]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PerformanceDailyRow(Base):
    """One ad-day; the primary key is the upsert key (tenant, platform, ad, day)."""

    __tablename__ = "performance_daily"
    __table_args__ = (Index(None, "tenant_id", "platform", "campaign_id", "day"),)

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    platform: Mapped[Platform] = mapped_column(primary_key=True)
    ad_id: Mapped[str] = mapped_column(Id, primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    campaign_id: Mapped[str] = mapped_column(Id)
    adset_id: Mapped[str] = mapped_column(Id)
    metrics: Mapped[MetricTotals] = composite(
        mapped_column("impressions", BigInteger),
        mapped_column("clicks", BigInteger),
        mapped_column("conversions", BigInteger),
        mapped_column("spend_cents", Money()),
        mapped_column("revenue_cents", Money()),
    )
    fetched_at: Mapped[datetime]


class DocumentRow(Base):
    """A :class:`~roasloop.ports.store.Document` by ``(kind, key)``. The table keeps the
    name it was created with."""

    __tablename__ = "snapshots"

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(Id, primary_key=True)
    key: Mapped[str] = mapped_column(Id, primary_key=True)
    payload: Mapped[Doc]
    saved_at: Mapped[datetime] = mapped_column("taken_at")


class OperationRow(Base):
    """The operation log: one row per platform write, moved through its states."""

    __tablename__ = "operations"
    __table_args__ = (
        Index(None, "tenant_id", "created_at"),
        Index(None, "tenant_id", "object_id"),
        Index(None, "tenant_id", "state"),
        Index(None, "tenant_id", "idempotency_key"),
    )

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    operation_id: Mapped[str] = mapped_column(Id, primary_key=True)
    platform: Mapped[Platform]
    created_at: Mapped[datetime]
    trigger: Mapped[Trigger] = mapped_column("triggered_by")
    object_level: Mapped[EntityLevel]
    object_id: Mapped[str] = mapped_column(Id)
    action: Mapped[str] = mapped_column(Id)
    state: Mapped[OperationState]
    before: Mapped[Doc]
    after: Mapped[Doc]
    reason: Mapped[str]
    result: Mapped[Doc]
    request_id: Mapped[str] = mapped_column(Id)
    idempotency_key: Mapped[str] = mapped_column(Id)
    updated_at: Mapped[datetime | None]


class StructurePlanRow(Base):
    """A create request's saved progress, by idempotency key."""

    __tablename__ = "structure_plans"

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(Id, primary_key=True)
    payload: Mapped[Doc]
    created_at: Mapped[datetime]


class LeaseRow(Base):
    """Who holds a named lock of a tenant, and until when (see ``LeaseRepository``)."""

    __tablename__ = "leases"

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(Id, primary_key=True)
    owner: Mapped[str] = mapped_column(Id)
    held_until: Mapped[datetime]


class RuleRow(Base):
    """A :class:`Rule`; its documents hold webhook signing secrets encrypted (the rules
    repository seals and unseals them)."""

    __tablename__ = "rules"
    __table_args__ = (Index(None, "tenant_id", "created_at"),)

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    rule_id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str]
    condition: Mapped[Doc]
    action: Mapped[Doc]
    applies_to: Mapped[Doc]
    check_interval_seconds: Mapped[int]
    enabled: Mapped[bool]
    created_at: Mapped[datetime]
    last_checked_at: Mapped[datetime | None]


class RuleExecutionRow(Base):
    __tablename__ = "rule_executions"
    __table_args__ = (Index(None, "tenant_id", "rule_id", "executed_at"),)

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    execution_id: Mapped[str] = mapped_column(Id, primary_key=True)
    rule_id: Mapped[str] = mapped_column(Id)
    executed_at: Mapped[datetime]
    object_id: Mapped[str] = mapped_column(Id)
    matched: Mapped[bool]
    values: Mapped[Doc] = mapped_column("metric_values")
    action: Mapped[str] = mapped_column(Id)
    before: Mapped[Doc]
    after: Mapped[Doc]
    result: Mapped[str]
    reason: Mapped[str]


class ABTestRow(Base):
    __tablename__ = "ab_tests"

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    test_id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str]
    platform: Mapped[Platform]
    campaign_id: Mapped[str] = mapped_column(Id)
    variants: Mapped[Pairs]  # ((creative_id, adset_id), ...) as [[creative_id, adset_id], ...]
    daily_budget: Mapped[Decimal] = mapped_column("daily_budget_cents", Money())
    duration_days: Mapped[int]
    start_date: Mapped[date]
    end_date: Mapped[date]
    status: Mapped[ABTestStatus]
    primary_metric: Mapped[str] = mapped_column(Id)
    created_at: Mapped[datetime]
    results: Mapped[Doc | None]
    winner: Mapped[str | None] = mapped_column(Id)


class OptimizationQueueRow(Base):
    """An :class:`OptimizationQueueItem`; ``updated_at`` is the row's own (set on a status
    change, not part of the record)."""

    __tablename__ = "optimization_queue"
    __table_args__ = (Index(None, "tenant_id", "status", "created_at"),)

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    item_id: Mapped[str] = mapped_column(Id, primary_key=True)
    source_ad_id: Mapped[str] = mapped_column(Id)
    new_batch_id: Mapped[str] = mapped_column(Id)
    status: Mapped[QueueStatus]
    mode: Mapped[str] = mapped_column(Id)
    created_at: Mapped[datetime]
    payload: Mapped[Doc]
    updated_at: Mapped[datetime | None]
