"""masterdata line plans: balanced plans published to a line, every version kept

Revision ID: masterdata_0004
Revises: masterdata_0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "masterdata_0004"
down_revision = "masterdata_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "masterdata_line_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("style_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("cycle_time_e4", sa.Integer(), nullable=True),
        sa.Column("tasks", sa.JSON(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=200), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "cycle_time_e4 > 0", name=op.f("ck_masterdata_line_plan_cycle_time_positive")
        ),
        sa.CheckConstraint("version > 0", name=op.f("ck_masterdata_line_plan_version_positive")),
        sa.ForeignKeyConstraint(
            ["line_id", "org_id"],
            ["masterdata_line.id", "masterdata_line.org_id"],
            name=op.f("fk_masterdata_line_plan_line_id_org_id_masterdata_line"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_masterdata_line_plan_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["style_id", "org_id"],
            ["masterdata_style.id", "masterdata_style.org_id"],
            name=op.f("fk_masterdata_line_plan_style_id_org_id_masterdata_style"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_masterdata_line_plan")),
        sa.UniqueConstraint(
            "line_id", "version", name=op.f("uq_masterdata_line_plan_line_id_version")
        ),
    )
    op.create_index(
        op.f("ix_masterdata_line_plan_line_id"), "masterdata_line_plan", ["line_id"], unique=False
    )
    op.create_index(
        op.f("ix_masterdata_line_plan_org_id"), "masterdata_line_plan", ["org_id"], unique=False
    )
    op.create_index(
        op.f("ix_masterdata_line_plan_style_id"), "masterdata_line_plan", ["style_id"], unique=False
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_masterdata_line_plan_style_id"), table_name="masterdata_line_plan")
    op.drop_index(op.f("ix_masterdata_line_plan_org_id"), table_name="masterdata_line_plan")
    op.drop_index(op.f("ix_masterdata_line_plan_line_id"), table_name="masterdata_line_plan")
    op.drop_table("masterdata_line_plan")
