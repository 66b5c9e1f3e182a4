"""scheduling tables: line profiles, order attributes, plans and their allocations

Revision ID: scheduling_0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "scheduling_0001"
down_revision = None
branch_labels = ("scheduling",)
depends_on = ("shopfloor_0001",)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "scheduling_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("time_limit", sa.Integer(), nullable=False),
        sa.Column("base_plan_id", sa.Integer(), nullable=True),
        sa.Column("scenario", sa.JSON(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.Column("seconds", sa.Double(), nullable=False),
        sa.Column("weighted_tardiness", sa.Integer(), nullable=False),
        sa.Column("late_days", sa.Integer(), nullable=False),
        sa.Column("changeovers", sa.Integer(), nullable=False),
        sa.Column("late_orders", sa.Integer(), nullable=False),
        sa.Column("edd_weighted_tardiness", sa.Integer(), nullable=False),
        sa.Column("edd_late_days", sa.Integer(), nullable=False),
        sa.Column("edd_changeovers", sa.Integer(), nullable=False),
        sa.Column("unplanned", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["base_plan_id", "org_id"],
            ["scheduling_plan.id", "scheduling_plan.org_id"],
            name=op.f("fk_scheduling_plan_base_plan_id_org_id_scheduling_plan"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_scheduling_plan_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduling_plan")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_scheduling_plan_id_org_id")),
    )
    op.create_index(
        "ux_scheduling_plan_adopted",
        "scheduling_plan",
        ["org_id"],
        unique=True,
        sqlite_where=sa.text("status = 'adopted'"),
        postgresql_where=sa.text("status = 'adopted'"),
    )
    op.create_index(
        op.f("ix_scheduling_plan_base_plan_id"), "scheduling_plan", ["base_plan_id"], unique=False
    )
    op.create_index(op.f("ix_scheduling_plan_org_id"), "scheduling_plan", ["org_id"], unique=False)
    op.create_table(
        "scheduling_line_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("operators", sa.Integer(), nullable=True),
        sa.Column("efficiency_pct", sa.Integer(), nullable=False),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("overtime", sa.JSON(), nullable=False),
        sa.Column("current_style", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "efficiency_pct BETWEEN 1 AND 200",
            name=op.f("ck_scheduling_line_profile_efficiency_range"),
        ),
        sa.CheckConstraint(
            "operators IS NULL OR operators >= 0",
            name=op.f("ck_scheduling_line_profile_operators_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["line_id", "org_id"],
            ["masterdata_line.id", "masterdata_line.org_id"],
            name=op.f("fk_scheduling_line_profile_line_id_org_id_masterdata_line"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_scheduling_line_profile_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduling_line_profile")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_scheduling_line_profile_id_org_id")),
        sa.UniqueConstraint(
            "org_id", "line_id", name=op.f("uq_scheduling_line_profile_org_id_line_id")
        ),
    )
    op.create_index(
        op.f("ix_scheduling_line_profile_line_id"),
        "scheduling_line_profile",
        ["line_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_scheduling_line_profile_org_id"),
        "scheduling_line_profile",
        ["org_id"],
        unique=False,
    )
    op.create_table(
        "scheduling_allocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("order_ref", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("order_code", sa.String(length=40), nullable=False),
        sa.Column("style", sa.String(length=40), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("finish", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("tardy_days", sa.Integer(), nullable=False),
        sa.Column("changeover", sa.Boolean(), nullable=False),
        sa.Column("daily", sa.JSON(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id", "org_id"],
            ["masterdata_line.id", "masterdata_line.org_id"],
            name=op.f("fk_scheduling_allocation_line_id_org_id_masterdata_line"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id", "org_id"],
            ["shopfloor_order.id", "shopfloor_order.org_id"],
            name=op.f("fk_scheduling_allocation_order_id_org_id_shopfloor_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_scheduling_allocation_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id", "org_id"],
            ["scheduling_plan.id", "scheduling_plan.org_id"],
            name=op.f("fk_scheduling_allocation_plan_id_org_id_scheduling_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduling_allocation")),
        sa.UniqueConstraint(
            "plan_id", "order_ref", name=op.f("uq_scheduling_allocation_plan_id_order_ref")
        ),
    )
    op.create_index(
        op.f("ix_scheduling_allocation_line_id"), "scheduling_allocation", ["line_id"], unique=False
    )
    op.create_index(
        op.f("ix_scheduling_allocation_order_id"),
        "scheduling_allocation",
        ["order_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_scheduling_allocation_org_id"), "scheduling_allocation", ["org_id"], unique=False
    )
    op.create_index(
        op.f("ix_scheduling_allocation_plan_id"), "scheduling_allocation", ["plan_id"], unique=False
    )
    op.create_table(
        "scheduling_order_attrs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("release_date", sa.Date(), nullable=True),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("sam_e4", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "sam_e4 IS NULL OR sam_e4 > 0", name=op.f("ck_scheduling_order_attrs_sam_positive")
        ),
        sa.CheckConstraint(
            "weight BETWEEN 1 AND 5", name=op.f("ck_scheduling_order_attrs_weight_range")
        ),
        sa.ForeignKeyConstraint(
            ["order_id", "org_id"],
            ["shopfloor_order.id", "shopfloor_order.org_id"],
            name=op.f("fk_scheduling_order_attrs_order_id_org_id_shopfloor_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_scheduling_order_attrs_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduling_order_attrs")),
        sa.UniqueConstraint(
            "org_id", "order_id", name=op.f("uq_scheduling_order_attrs_org_id_order_id")
        ),
    )
    op.create_index(
        op.f("ix_scheduling_order_attrs_order_id"),
        "scheduling_order_attrs",
        ["order_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_scheduling_order_attrs_org_id"), "scheduling_order_attrs", ["org_id"], unique=False
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_scheduling_order_attrs_org_id"), table_name="scheduling_order_attrs")
    op.drop_index(op.f("ix_scheduling_order_attrs_order_id"), table_name="scheduling_order_attrs")
    op.drop_table("scheduling_order_attrs")
    op.drop_index(op.f("ix_scheduling_allocation_plan_id"), table_name="scheduling_allocation")
    op.drop_index(op.f("ix_scheduling_allocation_org_id"), table_name="scheduling_allocation")
    op.drop_index(op.f("ix_scheduling_allocation_order_id"), table_name="scheduling_allocation")
    op.drop_index(op.f("ix_scheduling_allocation_line_id"), table_name="scheduling_allocation")
    op.drop_table("scheduling_allocation")
    op.drop_index(op.f("ix_scheduling_line_profile_org_id"), table_name="scheduling_line_profile")
    op.drop_index(op.f("ix_scheduling_line_profile_line_id"), table_name="scheduling_line_profile")
    op.drop_table("scheduling_line_profile")
    op.drop_index("ux_scheduling_plan_adopted", table_name="scheduling_plan")
    op.drop_index(op.f("ix_scheduling_plan_org_id"), table_name="scheduling_plan")
    op.drop_index(op.f("ix_scheduling_plan_base_plan_id"), table_name="scheduling_plan")
    op.drop_table("scheduling_plan")
