"""scheduling milestones: the T&A template's offsets and each order's recorded milestones

Revision ID: scheduling_0002
Revises: scheduling_0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "scheduling_0002"
down_revision = "scheduling_0001"
branch_labels = None
depends_on = ("shopfloor_0001",)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "scheduling_ta_offset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("offset_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "offset_days BETWEEN -365 AND 60",
            name=op.f("ck_scheduling_ta_offset_offset_days_range"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_scheduling_ta_offset_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduling_ta_offset")),
        sa.UniqueConstraint("org_id", "stage", name=op.f("uq_scheduling_ta_offset_org_id_stage")),
    )
    op.create_index(
        op.f("ix_scheduling_ta_offset_org_id"), "scheduling_ta_offset", ["org_id"], unique=False
    )
    op.create_table(
        "scheduling_milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("actual_date", sa.Date(), nullable=True),
        sa.Column("actual_source", sa.String(length=10), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id", "org_id"],
            ["shopfloor_order.id", "shopfloor_order.org_id"],
            name=op.f("fk_scheduling_milestone_order_id_org_id_shopfloor_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_scheduling_milestone_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduling_milestone")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_scheduling_milestone_id_org_id")),
        sa.UniqueConstraint(
            "org_id",
            "order_id",
            "stage",
            name=op.f("uq_scheduling_milestone_org_id_order_id_stage"),
        ),
    )
    op.create_index(
        op.f("ix_scheduling_milestone_order_id"), "scheduling_milestone", ["order_id"], unique=False
    )
    op.create_index(
        op.f("ix_scheduling_milestone_org_id"), "scheduling_milestone", ["org_id"], unique=False
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_scheduling_milestone_org_id"), table_name="scheduling_milestone")
    op.drop_index(op.f("ix_scheduling_milestone_order_id"), table_name="scheduling_milestone")
    op.drop_table("scheduling_milestone")
    op.drop_index(op.f("ix_scheduling_ta_offset_org_id"), table_name="scheduling_ta_offset")
    op.drop_table("scheduling_ta_offset")
