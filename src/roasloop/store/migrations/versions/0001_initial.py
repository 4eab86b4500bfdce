"""Initial schema: accounts, creatives, campaign structure, performance, rules, operations.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Money columns are integer cents (``*_cents``), ``target_roas_e4`` is the ratio times
10 000, datetimes are ``TIMESTAMP WITH TIME ZONE`` (UTC text on SQLite), JSON is JSONB on
PostgreSQL. Every primary key starts with ``tenant_id``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Types are spelled out here (not imported from roasloop.store) so this revision never changes.
ID = sa.String(length=255)
CODE = sa.String(length=32)
TEXT = sa.Text()
CENTS = sa.BigInteger()
COUNT = sa.BigInteger()
TIMESTAMP = sa.DateTime(timezone=True)
JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def required(name: str, type_: sa.types.TypeEngine[Any]) -> sa.Column[Any]:
    return sa.Column(name, type_, nullable=False)


def optional(name: str, type_: sa.types.TypeEngine[Any]) -> sa.Column[Any]:
    return sa.Column(name, type_, nullable=True)


def primary_key(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*columns, name=op.f(f"pk_{table}"))


def index(table: str, *columns: str) -> None:
    op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns), unique=False)


#: Indexes by table, created after the tables and dropped before them.
INDEXES: dict[str, list[tuple[str, ...]]] = {
    "platform_accounts": [("tenant_id", "platform", "created_at")],
    "creatives": [("tenant_id", "created_at")],
    "campaigns": [("tenant_id", "created_at")],
    "ad_groups": [("tenant_id", "platform", "campaign_id")],
    "ads": [("tenant_id", "platform", "campaign_id")],
    "performance_daily": [("tenant_id", "platform", "campaign_id", "day")],
    "operations": [
        ("tenant_id", "created_at"),
        ("tenant_id", "object_id"),
        ("tenant_id", "state"),
        ("tenant_id", "idempotency_key"),
    ],
    "rules": [("tenant_id", "created_at")],
    "rule_executions": [("tenant_id", "rule_id", "executed_at")],
    "optimization_queue": [("tenant_id", "status", "created_at")],
}


def upgrade() -> None:
    create_accounts_and_creatives()
    create_structure()
    create_activity()
    for table, indexes in INDEXES.items():
        for columns in indexes:
            index(table, *columns)


def create_accounts_and_creatives() -> None:
    op.create_table(
        "platform_accounts",
        required("tenant_id", ID),
        required("platform", CODE),
        required("account_id", ID),
        required("access_token_encrypted", TEXT),
        required("name", TEXT),
        required("created_at", TIMESTAMP),
        primary_key("platform_accounts", "tenant_id", "platform", "account_id"),
    )
    op.create_table(
        "creatives",
        required("tenant_id", ID),
        required("creative_id", ID),
        required("name", TEXT),
        required("product_url", TEXT),
        required("media_url", TEXT),
        required("created_at", TIMESTAMP),
        optional("script", JSON),
        primary_key("creatives", "tenant_id", "creative_id"),
    )
    op.create_table(
        "creative_media",
        required("tenant_id", ID),
        required("creative_id", ID),
        required("platform", CODE),
        required("account_id", ID),
        required("media_id", ID),
        primary_key("creative_media", "tenant_id", "creative_id", "platform", "account_id"),
    )


def create_structure() -> None:
    op.create_table(
        "campaigns",
        required("tenant_id", ID),
        required("platform", CODE),
        required("campaign_id", ID),
        required("account_id", ID),
        required("name", TEXT),
        required("objective", CODE),
        required("daily_budget_cents", CENTS),
        required("status", CODE),
        required("stage", CODE),
        optional("target_roas_e4", sa.BigInteger()),
        optional("target_cpa_cents", CENTS),
        required("product_url", TEXT),
        required("created_at", TIMESTAMP),
        required("updated_at", TIMESTAMP),
        primary_key("campaigns", "tenant_id", "platform", "campaign_id"),
    )
    op.create_table(
        "ad_groups",
        required("tenant_id", ID),
        required("platform", CODE),
        required("adset_id", ID),
        required("campaign_id", ID),
        required("name", TEXT),
        required("daily_budget_cents", CENTS),
        required("status", CODE),
        required("targeting", JSON),
        required("optimization_goal", CODE),
        required("bid_strategy", CODE),
        optional("bid_amount_cents", CENTS),
        required("created_at", TIMESTAMP),
        required("updated_at", TIMESTAMP),
        primary_key("ad_groups", "tenant_id", "platform", "adset_id"),
    )
    op.create_table(
        "ads",
        required("tenant_id", ID),
        required("platform", CODE),
        required("ad_id", ID),
        required("adset_id", ID),
        required("campaign_id", ID),
        required("creative_id", ID),
        required("name", TEXT),
        required("copy", TEXT),
        required("status", CODE),
        required("created_at", TIMESTAMP),
        required("updated_at", TIMESTAMP),
        primary_key("ads", "tenant_id", "platform", "ad_id"),
    )
    op.create_table(
        "performance_daily",
        required("tenant_id", ID),
        required("platform", CODE),
        required("ad_id", ID),
        required("day", sa.Date()),
        required("campaign_id", ID),
        required("adset_id", ID),
        required("impressions", COUNT),
        required("clicks", COUNT),
        required("conversions", COUNT),
        required("spend_cents", CENTS),
        required("revenue_cents", CENTS),
        required("fetched_at", TIMESTAMP),
        primary_key("performance_daily", "tenant_id", "platform", "ad_id", "day"),
    )


def create_activity() -> None:
    op.create_table(
        "snapshots",
        required("tenant_id", ID),
        required("kind", ID),
        required("key", ID),
        required("payload", JSON),
        required("taken_at", TIMESTAMP),
        primary_key("snapshots", "tenant_id", "kind", "key"),
    )
    op.create_table(
        "operations",
        required("tenant_id", ID),
        required("operation_id", ID),
        required("platform", CODE),
        required("created_at", TIMESTAMP),
        required("triggered_by", CODE),
        required("object_level", CODE),
        required("object_id", ID),
        required("action", ID),
        required("state", CODE),
        required("before", JSON),
        required("after", JSON),
        required("reason", TEXT),
        required("result", JSON),
        required("request_id", ID),
        required("idempotency_key", ID),
        optional("updated_at", TIMESTAMP),
        primary_key("operations", "tenant_id", "operation_id"),
    )
    op.create_table(
        "structure_plans",
        required("tenant_id", ID),
        required("idempotency_key", ID),
        required("payload", JSON),
        required("created_at", TIMESTAMP),
        primary_key("structure_plans", "tenant_id", "idempotency_key"),
    )
    op.create_table(
        "rules",
        required("tenant_id", ID),
        required("rule_id", ID),
        required("name", TEXT),
        required("condition", JSON),
        required("action", JSON),
        required("applies_to", JSON),
        required("check_interval_seconds", sa.Integer()),
        required("enabled", sa.Boolean()),
        required("created_at", TIMESTAMP),
        optional("last_checked_at", TIMESTAMP),
        primary_key("rules", "tenant_id", "rule_id"),
    )
    op.create_table(
        "rule_executions",
        required("tenant_id", ID),
        required("execution_id", ID),
        required("rule_id", ID),
        required("executed_at", TIMESTAMP),
        required("object_id", ID),
        required("matched", sa.Boolean()),
        required("metric_values", JSON),
        required("action", ID),
        required("before", JSON),
        required("after", JSON),
        required("result", TEXT),
        required("reason", TEXT),
        primary_key("rule_executions", "tenant_id", "execution_id"),
    )
    op.create_table(
        "ab_tests",
        required("tenant_id", ID),
        required("test_id", ID),
        required("name", TEXT),
        required("platform", CODE),
        required("campaign_id", ID),
        required("variants", JSON),
        required("daily_budget_cents", CENTS),
        required("duration_days", sa.Integer()),
        required("start_date", sa.Date()),
        required("end_date", sa.Date()),
        required("status", CODE),
        required("primary_metric", ID),
        required("created_at", TIMESTAMP),
        optional("results", JSON),
        optional("winner", ID),
        primary_key("ab_tests", "tenant_id", "test_id"),
    )
    op.create_table(
        "optimization_queue",
        required("tenant_id", ID),
        required("item_id", ID),
        required("source_ad_id", ID),
        required("new_batch_id", ID),
        required("status", CODE),
        required("mode", ID),
        required("created_at", TIMESTAMP),
        required("payload", JSON),
        optional("updated_at", TIMESTAMP),
        primary_key("optimization_queue", "tenant_id", "item_id"),
    )


def downgrade() -> None:
    for table, indexes in reversed(INDEXES.items()):
        for columns in indexes:
            op.drop_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table_name=table)
    for table in reversed(TABLES):
        op.drop_table(table)


TABLES = (
    "platform_accounts",
    "creatives",
    "creative_media",
    "campaigns",
    "ad_groups",
    "ads",
    "performance_daily",
    "snapshots",
    "operations",
    "structure_plans",
    "rules",
    "rule_executions",
    "ab_tests",
    "optimization_queue",
)
