"""The relational schema, one typed class per table.

Every table's primary key starts with ``tenant_id``: two tenants may use the same ids and
an upsert by primary key can never touch another tenant's row. Enums are stored as their
string values, money as integer cents (``*_cents``), datetimes as UTC (see ``_types``).
Migrations in ``migrations/versions`` must produce exactly this schema (a test compares).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from roasloop.store._types import JSONDoc, Money, Ratio, UTCDateTime

#: Alembic's bookkeeping table (prefixed so roasloop can share a database).
VERSION_TABLE = "roasloop_alembic_version"

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "pk": "pk_%(table_name)s",
}

Id = String(255)
Code = String(32)
Doc = dict[str, Any]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy's declarative hook
        datetime: UTCDateTime(),
        date: Date(),
        Doc: JSONDoc,
        int: Integer(),
        bool: Boolean(),
        str: Text(),
    }


class PlatformAccountRow(Base):
    __tablename__ = "platform_accounts"
    __table_args__ = (Index(None, "tenant_id", "platform", "created_at"),)

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    platform: Mapped[str] = mapped_column(Code, primary_key=True)
    account_id: Mapped[str] = mapped_column(Id, primary_key=True)
    access_token_encrypted: Mapped[str]
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
    platform: Mapped[str] = mapped_column(Code, primary_key=True)
    account_id: Mapped[str] = mapped_column(Id, primary_key=True)
    media_id: Mapped[str] = mapped_column(Id)


class CampaignRow(Base):
    __tablename__ = "campaigns"
    __table_args__ = (Index(None, "tenant_id", "created_at"),)

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    platform: Mapped[str] = mapped_column(Code, primary_key=True)
    campaign_id: Mapped[str] = mapped_column(Id, primary_key=True)
    account_id: Mapped[str] = mapped_column(Id)
    name: Mapped[str]
    objective: Mapped[str] = mapped_column(Code)
    daily_budget_cents: Mapped[Decimal] = mapped_column(Money())
    status: Mapped[str] = mapped_column(Code)
    stage: Mapped[str] = mapped_column(Code)
    target_roas_e4: Mapped[Decimal | None] = mapped_column(Ratio())
    target_cpa_cents: Mapped[Decimal | None] = mapped_column(Money())
    product_url: Mapped[str]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class AdGroupRow(Base):
    """An ad set (the PRD calls them ad groups)."""

    __tablename__ = "ad_groups"
    __table_args__ = (Index(None, "tenant_id", "platform", "campaign_id"),)

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    platform: Mapped[str] = mapped_column(Code, primary_key=True)
    adset_id: Mapped[str] = mapped_column(Id, primary_key=True)
    campaign_id: Mapped[str] = mapped_column(Id)
    name: Mapped[str]
    daily_budget_cents: Mapped[Decimal] = mapped_column(Money())
    status: Mapped[str] = mapped_column(Code)
    targeting: Mapped[Doc]
    optimization_goal: Mapped[str] = mapped_column(Code)
    bid_strategy: Mapped[str] = mapped_column(Code)
    bid_amount_cents: Mapped[Decimal | None] = mapped_column(Money())
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class AdRow(Base):
    __tablename__ = "ads"
    __table_args__ = (Index(None, "tenant_id", "platform", "campaign_id"),)

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    platform: Mapped[str] = mapped_column(Code, primary_key=True)
    ad_id: Mapped[str] = mapped_column(Id, primary_key=True)
    adset_id: Mapped[str] = mapped_column(Id)
    campaign_id: Mapped[str] = mapped_column(Id)
    creative_id: Mapped[str] = mapped_column(Id)
    name: Mapped[str]
    copy: Mapped[str]
    status: Mapped[str] = mapped_column(Code)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PerformanceDailyRow(Base):
    """One ad-day; the primary key is the upsert key (tenant, platform, ad, day)."""

    __tablename__ = "performance_daily"
    __table_args__ = (Index(None, "tenant_id", "platform", "campaign_id", "day"),)

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    platform: Mapped[str] = mapped_column(Code, primary_key=True)
    ad_id: Mapped[str] = mapped_column(Id, primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    campaign_id: Mapped[str] = mapped_column(Id)
    adset_id: Mapped[str] = mapped_column(Id)
    impressions: Mapped[int] = mapped_column(BigInteger)
    clicks: Mapped[int] = mapped_column(BigInteger)
    conversions: Mapped[int] = mapped_column(BigInteger)
    spend_cents: Mapped[Decimal] = mapped_column(Money())
    revenue_cents: Mapped[Decimal] = mapped_column(Money())
    fetched_at: Mapped[datetime]


class SnapshotRow(Base):
    __tablename__ = "snapshots"

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(Id, primary_key=True)
    key: Mapped[str] = mapped_column(Id, primary_key=True)
    payload: Mapped[Doc]
    taken_at: Mapped[datetime]


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
    platform: Mapped[str] = mapped_column(Code)
    created_at: Mapped[datetime]
    triggered_by: Mapped[str] = mapped_column(Code)
    object_level: Mapped[str] = mapped_column(Code)
    object_id: Mapped[str] = mapped_column(Id)
    action: Mapped[str] = mapped_column(Id)
    state: Mapped[str] = mapped_column(Code)
    before: Mapped[Doc]
    after: Mapped[Doc]
    reason: Mapped[str]
    result: Mapped[Doc]
    request_id: Mapped[str] = mapped_column(Id)
    idempotency_key: Mapped[str] = mapped_column(Id)
    updated_at: Mapped[datetime | None]


class StructurePlanRow(Base):
    """A create_campaign plan remembered by idempotency key."""

    __tablename__ = "structure_plans"

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(Id, primary_key=True)
    payload: Mapped[Doc]
    created_at: Mapped[datetime]


class LeaseRow(Base):
    """Who holds a named lock of a tenant, and until when (see ``Store.acquire_lease``)."""

    __tablename__ = "leases"

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(Id, primary_key=True)
    owner: Mapped[str] = mapped_column(Id)
    held_until: Mapped[datetime]


class RuleRow(Base):
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
    metric_values: Mapped[Doc]
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
    platform: Mapped[str] = mapped_column(Code)
    campaign_id: Mapped[str] = mapped_column(Id)
    variants: Mapped[list[Any]] = mapped_column(JSONDoc)  # [[creative_id, adset_id], ...]
    daily_budget_cents: Mapped[Decimal] = mapped_column(Money())
    duration_days: Mapped[int]
    start_date: Mapped[date]
    end_date: Mapped[date]
    status: Mapped[str] = mapped_column(Code)
    primary_metric: Mapped[str] = mapped_column(Id)
    created_at: Mapped[datetime]
    results: Mapped[Doc | None]
    winner: Mapped[str | None] = mapped_column(Id)


class OptimizationQueueRow(Base):
    __tablename__ = "optimization_queue"
    __table_args__ = (Index(None, "tenant_id", "status", "created_at"),)

    tenant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    item_id: Mapped[str] = mapped_column(Id, primary_key=True)
    source_ad_id: Mapped[str] = mapped_column(Id)
    new_batch_id: Mapped[str] = mapped_column(Id)
    status: Mapped[str] = mapped_column(Code)
    mode: Mapped[str] = mapped_column(Id)
    created_at: Mapped[datetime]
    payload: Mapped[Doc]
    updated_at: Mapped[datetime | None]
