"""equipment tables: machine telemetry records and machines' OEE settings

Revision ID: equipment_0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "equipment_0001"
down_revision = None
branch_labels = ("equipment",)
depends_on = ("masterdata_0003",)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "equipment_machine_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("machine_id", sa.Integer(), nullable=False),
        sa.Column("ideal_cycle_s", sa.Numeric(precision=9, scale=3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "ideal_cycle_s > 0", name=op.f("ck_equipment_machine_setting_ideal_cycle_positive")
        ),
        sa.ForeignKeyConstraint(
            ["machine_id", "org_id"],
            ["masterdata_machine.id", "masterdata_machine.org_id"],
            name=op.f("fk_equipment_machine_setting_machine_id_org_id_masterdata_machine"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_equipment_machine_setting_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_equipment_machine_setting")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_equipment_machine_setting_id_org_id")),
        sa.UniqueConstraint(
            "org_id", "machine_id", name=op.f("uq_equipment_machine_setting_org_id_machine_id")
        ),
    )
    op.create_index(
        op.f("ix_equipment_machine_setting_org_id"),
        "equipment_machine_setting",
        ["org_id"],
        unique=False,
    )
    op.create_table(
        "equipment_telemetry",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Uuid(), nullable=False),
        sa.Column("origin_id", sa.Uuid(), nullable=True),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("machine_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("good", sa.Integer(), nullable=False),
        sa.Column("reject", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('state', 'count')", name=op.f("ck_equipment_telemetry_kind_known")
        ),
        sa.CheckConstraint(
            "good >= 0 AND reject >= 0", name=op.f("ck_equipment_telemetry_counts_positive")
        ),
        sa.ForeignKeyConstraint(
            ["machine_id", "org_id"],
            ["masterdata_machine.id", "masterdata_machine.org_id"],
            name=op.f("fk_equipment_telemetry_machine_id_org_id_masterdata_machine"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_equipment_telemetry_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "key", name=op.f("pk_equipment_telemetry")),
    )
    op.create_index(
        "ix_equipment_telemetry_machine_ts",
        "equipment_telemetry",
        ["org_id", "machine_id", "ts"],
        unique=False,
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_equipment_telemetry_machine_ts", table_name="equipment_telemetry")
    op.drop_table("equipment_telemetry")
    op.drop_index(
        op.f("ix_equipment_machine_setting_org_id"), table_name="equipment_machine_setting"
    )
    op.drop_table("equipment_machine_setting")
