"""masterdata lines, workstations, operators with skills, machines

Revision ID: masterdata_0003
Revises: masterdata_0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "masterdata_0003"
down_revision = "masterdata_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "masterdata_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("shift_minutes", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "shift_minutes BETWEEN 0 AND 1440", name=op.f("ck_masterdata_line_shift_minutes_range")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_masterdata_line_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_masterdata_line")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_masterdata_line_id_org_id")),
        sa.UniqueConstraint("org_id", "code", name=op.f("uq_masterdata_line_org_id_code")),
    )
    op.create_index(op.f("ix_masterdata_line_org_id"), "masterdata_line", ["org_id"], unique=False)
    op.create_table(
        "masterdata_operator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=True),
        sa.Column("hired_on", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id", "org_id"],
            ["masterdata_line.id", "masterdata_line.org_id"],
            name=op.f("fk_masterdata_operator_line_id_org_id_masterdata_line"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_masterdata_operator_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_masterdata_operator")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_masterdata_operator_id_org_id")),
        sa.UniqueConstraint("org_id", "code", name=op.f("uq_masterdata_operator_org_id_code")),
    )
    op.create_index(
        op.f("ix_masterdata_operator_line_id"), "masterdata_operator", ["line_id"], unique=False
    )
    op.create_index(
        op.f("ix_masterdata_operator_org_id"), "masterdata_operator", ["org_id"], unique=False
    )
    op.create_table(
        "masterdata_workstation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("machine_type", sa.String(length=20), nullable=False),
        sa.Column("device_code", sa.String(length=64), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id", "org_id"],
            ["masterdata_line.id", "masterdata_line.org_id"],
            name=op.f("fk_masterdata_workstation_line_id_org_id_masterdata_line"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_masterdata_workstation_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_masterdata_workstation")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_masterdata_workstation_id_org_id")),
        sa.UniqueConstraint("line_id", "code", name=op.f("uq_masterdata_workstation_line_id_code")),
        sa.UniqueConstraint(
            "org_id", "device_code", name=op.f("uq_masterdata_workstation_org_id_device_code")
        ),
    )
    op.create_index(
        op.f("ix_masterdata_workstation_line_id"),
        "masterdata_workstation",
        ["line_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_masterdata_workstation_org_id"), "masterdata_workstation", ["org_id"], unique=False
    )
    op.create_table(
        "masterdata_machine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("machine_type", sa.String(length=20), nullable=False),
        sa.Column("brand", sa.String(length=100), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("serial", sa.String(length=100), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=True),
        sa.Column("workstation_id", sa.Integer(), nullable=True),
        sa.Column("purchased_on", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id", "org_id"],
            ["masterdata_line.id", "masterdata_line.org_id"],
            name=op.f("fk_masterdata_machine_line_id_org_id_masterdata_line"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_masterdata_machine_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workstation_id", "org_id"],
            ["masterdata_workstation.id", "masterdata_workstation.org_id"],
            name=op.f("fk_masterdata_machine_workstation_id_org_id_masterdata_workstation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_masterdata_machine")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_masterdata_machine_id_org_id")),
        sa.UniqueConstraint("org_id", "code", name=op.f("uq_masterdata_machine_org_id_code")),
    )
    op.create_index(
        op.f("ix_masterdata_machine_line_id"), "masterdata_machine", ["line_id"], unique=False
    )
    op.create_index(
        op.f("ix_masterdata_machine_org_id"), "masterdata_machine", ["org_id"], unique=False
    )
    op.create_index(
        op.f("ix_masterdata_machine_workstation_id"),
        "masterdata_machine",
        ["workstation_id"],
        unique=False,
    )
    op.create_table(
        "masterdata_operator_skill",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("machine_type", sa.String(length=20), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("efficiency", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "efficiency BETWEEN 1 AND 200",
            name=op.f("ck_masterdata_operator_skill_efficiency_range"),
        ),
        sa.CheckConstraint(
            "grade BETWEEN 1 AND 5", name=op.f("ck_masterdata_operator_skill_grade_range")
        ),
        sa.ForeignKeyConstraint(
            ["operator_id", "org_id"],
            ["masterdata_operator.id", "masterdata_operator.org_id"],
            name=op.f("fk_masterdata_operator_skill_operator_id_org_id_masterdata_operator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_masterdata_operator_skill_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_masterdata_operator_skill")),
        sa.UniqueConstraint(
            "operator_id",
            "machine_type",
            name=op.f("uq_masterdata_operator_skill_operator_id_machine_type"),
        ),
    )
    op.create_index(
        op.f("ix_masterdata_operator_skill_operator_id"),
        "masterdata_operator_skill",
        ["operator_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_masterdata_operator_skill_org_id"),
        "masterdata_operator_skill",
        ["org_id"],
        unique=False,
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(
        op.f("ix_masterdata_operator_skill_org_id"), table_name="masterdata_operator_skill"
    )
    op.drop_index(
        op.f("ix_masterdata_operator_skill_operator_id"), table_name="masterdata_operator_skill"
    )
    op.drop_table("masterdata_operator_skill")
    op.drop_index(op.f("ix_masterdata_machine_workstation_id"), table_name="masterdata_machine")
    op.drop_index(op.f("ix_masterdata_machine_org_id"), table_name="masterdata_machine")
    op.drop_index(op.f("ix_masterdata_machine_line_id"), table_name="masterdata_machine")
    op.drop_table("masterdata_machine")
    op.drop_index(op.f("ix_masterdata_workstation_org_id"), table_name="masterdata_workstation")
    op.drop_index(op.f("ix_masterdata_workstation_line_id"), table_name="masterdata_workstation")
    op.drop_table("masterdata_workstation")
    op.drop_index(op.f("ix_masterdata_operator_org_id"), table_name="masterdata_operator")
    op.drop_index(op.f("ix_masterdata_operator_line_id"), table_name="masterdata_operator")
    op.drop_table("masterdata_operator")
    op.drop_index(op.f("ix_masterdata_line_org_id"), table_name="masterdata_line")
    op.drop_table("masterdata_line")
