"""brain tables: consent per category and the read log

Revision ID: brain_0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "brain_0001"
down_revision = None
branch_labels = ("brain",)
depends_on = ("k0001",)


def _org_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["org_id"],
        ["tenancy_organisation.id"],
        name=op.f(f"fk_{table}_org_id_tenancy_organisation"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "brain_consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("granularity", sa.String(length=10), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "granularity IN ('none', 'weekly', 'daily')",
            name=op.f("ck_brain_consent_granularity_known"),
        ),
        _org_fk("brain_consent"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_brain_consent")),
        sa.UniqueConstraint("org_id", "category", name=op.f("uq_brain_consent_org_id_category")),
    )
    op.create_index(op.f("ix_brain_consent_org_id"), "brain_consent", ["org_id"], unique=False)
    op.create_table(
        "brain_read",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reader_org_id", sa.Integer(), nullable=True),
        sa.Column("reader_org_name", sa.String(length=200), nullable=False),
        sa.Column("reader", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("metric", sa.String(length=80), nullable=False),
        sa.Column("granularity", sa.String(length=10), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        _org_fk("brain_read"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_brain_read")),
    )
    op.create_index(op.f("ix_brain_read_org_id"), "brain_read", ["org_id"], unique=False)
    op.create_index(op.f("ix_brain_read_read_at"), "brain_read", ["read_at"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("brain_read")
    op.drop_table("brain_consent")
