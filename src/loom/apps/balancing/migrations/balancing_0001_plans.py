"""balancing tables: plans and their revisions

Revision ID: balancing_0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "balancing_0001"
down_revision = None
branch_labels = ("balancing",)
depends_on = ("masterdata_0003",)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "balancing_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("style_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("target_per_hour", sa.Integer(), nullable=True),
        sa.Column("operators", sa.Integer(), nullable=True),
        sa.Column("cycle_time_e4", sa.Integer(), nullable=True),
        sa.Column("problem", sa.JSON(), nullable=False),
        sa.Column("assignment", sa.JSON(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("solver_status", sa.String(length=20), nullable=False),
        sa.Column("solver_optimal", sa.Boolean(), nullable=False),
        sa.Column("solver_lower_bound", sa.Integer(), nullable=False),
        sa.Column("solver_seconds", sa.Float(), nullable=False),
        sa.Column("solved_figures", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_version", sa.Integer(), nullable=True),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.Column("published_revision", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "mode IN ('target', 'operators')", name=op.f("ck_balancing_plan_mode_known")
        ),
        sa.CheckConstraint("revision >= 1", name=op.f("ck_balancing_plan_revision_positive")),
        sa.ForeignKeyConstraint(
            ["line_id", "org_id"],
            ["masterdata_line.id", "masterdata_line.org_id"],
            name=op.f("fk_balancing_plan_line_id_org_id_masterdata_line"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_balancing_plan_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["style_id", "org_id"],
            ["masterdata_style.id", "masterdata_style.org_id"],
            name=op.f("fk_balancing_plan_style_id_org_id_masterdata_style"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_balancing_plan")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_balancing_plan_id_org_id")),
    )
    op.create_index(op.f("ix_balancing_plan_line_id"), "balancing_plan", ["line_id"], unique=False)
    op.create_index(op.f("ix_balancing_plan_org_id"), "balancing_plan", ["org_id"], unique=False)
    op.create_index(
        op.f("ix_balancing_plan_style_id"), "balancing_plan", ["style_id"], unique=False
    )
    op.create_table(
        "balancing_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("edit", sa.JSON(), nullable=False),
        sa.Column("assignment", sa.JSON(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_balancing_revision_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id", "org_id"],
            ["balancing_plan.id", "balancing_plan.org_id"],
            name=op.f("fk_balancing_revision_plan_id_org_id_balancing_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_balancing_revision")),
        sa.UniqueConstraint(
            "plan_id", "revision", name=op.f("uq_balancing_revision_plan_id_revision")
        ),
    )
    op.create_index(
        op.f("ix_balancing_revision_org_id"), "balancing_revision", ["org_id"], unique=False
    )
    op.create_index(
        op.f("ix_balancing_revision_plan_id"), "balancing_revision", ["plan_id"], unique=False
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_balancing_revision_plan_id"), table_name="balancing_revision")
    op.drop_index(op.f("ix_balancing_revision_org_id"), table_name="balancing_revision")
    op.drop_table("balancing_revision")
    op.drop_index(op.f("ix_balancing_plan_style_id"), table_name="balancing_plan")
    op.drop_index(op.f("ix_balancing_plan_org_id"), table_name="balancing_plan")
    op.drop_index(op.f("ix_balancing_plan_line_id"), table_name="balancing_plan")
    op.drop_table("balancing_plan")
