"""Leases: named locks per tenant (one structure request, one campaign's writes at a time).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(length=255)


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("tenant_id", ID, nullable=False),
        sa.Column("name", ID, nullable=False),
        sa.Column("owner", ID, nullable=False),
        sa.Column("held_until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "name", name=op.f("pk_leases")),
    )


def downgrade() -> None:
    op.drop_table("leases")
