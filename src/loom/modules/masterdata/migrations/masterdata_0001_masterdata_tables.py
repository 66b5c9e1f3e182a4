"""masterdata tables

Revision ID: masterdata_0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "masterdata_0001"
down_revision = None
branch_labels = ("masterdata",)
depends_on = ("k0001",)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "masterdata_operation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sam", sa.Numeric(precision=8, scale=4), nullable=False),
        sa.Column("machine_type", sa.String(length=20), nullable=False),
        sa.Column("skill_grade", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("sam > 0", name=op.f("ck_masterdata_operation_sam_positive")),
        sa.CheckConstraint(
            "skill_grade BETWEEN 1 AND 5", name=op.f("ck_masterdata_operation_skill_grade_range")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_masterdata_operation_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_masterdata_operation")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_masterdata_operation_id_org_id")),
        sa.UniqueConstraint("org_id", "code", name=op.f("uq_masterdata_operation_org_id_code")),
    )
    op.create_index(
        op.f("ix_masterdata_operation_org_id"), "masterdata_operation", ["org_id"], unique=False
    )
    op.create_table(
        "masterdata_style",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("season", sa.String(length=40), nullable=False),
        sa.Column("customer", sa.String(length=200), nullable=False),
        sa.Column("colours", sa.JSON(), nullable=False),
        sa.Column("sizes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_masterdata_style_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_masterdata_style")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_masterdata_style_id_org_id")),
        sa.UniqueConstraint("org_id", "code", name=op.f("uq_masterdata_style_org_id_code")),
    )
    op.create_index(
        op.f("ix_masterdata_style_org_id"), "masterdata_style", ["org_id"], unique=False
    )
    op.create_table(
        "masterdata_piece_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("rate", sa.Numeric(precision=10, scale=4), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("rate > 0", name=op.f("ck_masterdata_piece_rate_rate_positive")),
        sa.ForeignKeyConstraint(
            ["operation_id", "org_id"],
            ["masterdata_operation.id", "masterdata_operation.org_id"],
            name=op.f("fk_masterdata_piece_rate_operation_id_org_id_masterdata_operation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_masterdata_piece_rate_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_masterdata_piece_rate")),
        sa.UniqueConstraint(
            "operation_id",
            "effective_from",
            name=op.f("uq_masterdata_piece_rate_operation_id_effective_from"),
        ),
    )
    op.create_index(
        op.f("ix_masterdata_piece_rate_operation_id"),
        "masterdata_piece_rate",
        ["operation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_masterdata_piece_rate_org_id"), "masterdata_piece_rate", ["org_id"], unique=False
    )
    op.create_table(
        "masterdata_routing_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("style_id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("predecessors", sa.JSON(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operation_id", "org_id"],
            ["masterdata_operation.id", "masterdata_operation.org_id"],
            name=op.f("fk_masterdata_routing_step_operation_id_org_id_masterdata_operation"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_masterdata_routing_step_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["style_id", "org_id"],
            ["masterdata_style.id", "masterdata_style.org_id"],
            name=op.f("fk_masterdata_routing_step_style_id_org_id_masterdata_style"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_masterdata_routing_step")),
        sa.UniqueConstraint(
            "style_id",
            "operation_id",
            name=op.f("uq_masterdata_routing_step_style_id_operation_id"),
        ),
        sa.UniqueConstraint(
            "style_id", "seq", name=op.f("uq_masterdata_routing_step_style_id_seq")
        ),
    )
    op.create_index(
        op.f("ix_masterdata_routing_step_operation_id"),
        "masterdata_routing_step",
        ["operation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_masterdata_routing_step_org_id"),
        "masterdata_routing_step",
        ["org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_masterdata_routing_step_style_id"),
        "masterdata_routing_step",
        ["style_id"],
        unique=False,
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_masterdata_routing_step_style_id"), table_name="masterdata_routing_step")
    op.drop_index(op.f("ix_masterdata_routing_step_org_id"), table_name="masterdata_routing_step")
    op.drop_index(
        op.f("ix_masterdata_routing_step_operation_id"), table_name="masterdata_routing_step"
    )
    op.drop_table("masterdata_routing_step")
    op.drop_index(op.f("ix_masterdata_piece_rate_org_id"), table_name="masterdata_piece_rate")
    op.drop_index(op.f("ix_masterdata_piece_rate_operation_id"), table_name="masterdata_piece_rate")
    op.drop_table("masterdata_piece_rate")
    op.drop_index(op.f("ix_masterdata_style_org_id"), table_name="masterdata_style")
    op.drop_table("masterdata_style")
    op.drop_index(op.f("ix_masterdata_operation_org_id"), table_name="masterdata_operation")
    op.drop_table("masterdata_operation")
