"""equipment maintenance: preventive plans, work orders, spot-inspection checklists and rounds

Revision ID: equipment_0002
Revises: equipment_0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "equipment_0002"
down_revision = "equipment_0001"
branch_labels = None
depends_on = ("masterdata_0003",)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "equipment_inspection_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("machine_type", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("frequency", sa.String(length=10), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "frequency IN ('daily', 'shift')",
            name=op.f("ck_equipment_inspection_template_frequency_known"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_equipment_inspection_template_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_equipment_inspection_template")),
        sa.UniqueConstraint(
            "id", "org_id", name=op.f("uq_equipment_inspection_template_id_org_id")
        ),
        sa.UniqueConstraint(
            "org_id",
            "machine_type",
            name=op.f("uq_equipment_inspection_template_org_id_machine_type"),
        ),
    )
    op.create_index(
        op.f("ix_equipment_inspection_template_org_id"),
        "equipment_inspection_template",
        ["org_id"],
        unique=False,
    )
    op.create_table(
        "equipment_inspection_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("machine_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("shift", sa.String(length=10), nullable=False),
        sa.Column("inspector", sa.String(length=100), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("abnormal", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "abnormal >= 0", name=op.f("ck_equipment_inspection_round_abnormal_positive")
        ),
        sa.ForeignKeyConstraint(
            ["machine_id", "org_id"],
            ["masterdata_machine.id", "masterdata_machine.org_id"],
            name=op.f("fk_equipment_inspection_round_machine_id_org_id_masterdata_machine"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_equipment_inspection_round_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["template_id", "org_id"],
            ["equipment_inspection_template.id", "equipment_inspection_template.org_id"],
            name=op.f(
                "fk_equipment_inspection_round_template_id_org_id_equipment_inspection_template"
            ),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_equipment_inspection_round")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_equipment_inspection_round_id_org_id")),
        sa.UniqueConstraint(
            "org_id",
            "machine_id",
            "day",
            "shift",
            name=op.f("uq_equipment_inspection_round_org_id_machine_id_day_shift"),
        ),
    )
    op.create_index(
        op.f("ix_equipment_inspection_round_machine_id"),
        "equipment_inspection_round",
        ["machine_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_equipment_inspection_round_org_id"),
        "equipment_inspection_round",
        ["org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_equipment_inspection_round_template_id"),
        "equipment_inspection_round",
        ["template_id"],
        unique=False,
    )
    op.create_table(
        "equipment_maintenance_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("machine_id", sa.Integer(), nullable=True),
        sa.Column("machine_type", sa.String(length=20), nullable=True),
        sa.Column("interval_days", sa.Integer(), nullable=True),
        sa.Column("interval_hours", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("checklist", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(interval_days IS NULL) <> (interval_hours IS NULL)",
            name=op.f("ck_equipment_maintenance_plan_one_interval"),
        ),
        sa.CheckConstraint(
            "(machine_id IS NULL) <> (machine_type IS NULL)",
            name=op.f("ck_equipment_maintenance_plan_one_target"),
        ),
        sa.CheckConstraint(
            "interval_days IS NULL OR interval_days BETWEEN 1 AND 3660",
            name=op.f("ck_equipment_maintenance_plan_days"),
        ),
        sa.CheckConstraint(
            "interval_hours IS NULL OR interval_hours BETWEEN 1 AND 100000",
            name=op.f("ck_equipment_maintenance_plan_hours"),
        ),
        sa.ForeignKeyConstraint(
            ["machine_id", "org_id"],
            ["masterdata_machine.id", "masterdata_machine.org_id"],
            name=op.f("fk_equipment_maintenance_plan_machine_id_org_id_masterdata_machine"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_equipment_maintenance_plan_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_equipment_maintenance_plan")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_equipment_maintenance_plan_id_org_id")),
        sa.UniqueConstraint(
            "org_id", "code", name=op.f("uq_equipment_maintenance_plan_org_id_code")
        ),
    )
    op.create_index(
        op.f("ix_equipment_maintenance_plan_machine_id"),
        "equipment_maintenance_plan",
        ["machine_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_equipment_maintenance_plan_org_id"),
        "equipment_maintenance_plan",
        ["org_id"],
        unique=False,
    )
    op.create_table(
        "equipment_work_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("machine_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("round_item", sa.Integer(), nullable=True),
        sa.Column("fault", sa.String(length=200), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("assignee", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("downtime_minutes", sa.Integer(), nullable=False),
        sa.Column("checklist", sa.JSON(), nullable=False),
        sa.Column("resolution", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('preventive', 'breakdown', 'inspection')",
            name=op.f("ck_equipment_work_order_kind_known"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'in_progress', 'closed', 'cancelled')",
            name=op.f("ck_equipment_work_order_status_known"),
        ),
        sa.CheckConstraint(
            "downtime_minutes >= 0", name=op.f("ck_equipment_work_order_downtime_positive")
        ),
        sa.ForeignKeyConstraint(
            ["machine_id", "org_id"],
            ["masterdata_machine.id", "masterdata_machine.org_id"],
            name=op.f("fk_equipment_work_order_machine_id_org_id_masterdata_machine"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_equipment_work_order_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id", "org_id"],
            ["equipment_maintenance_plan.id", "equipment_maintenance_plan.org_id"],
            name=op.f("fk_equipment_work_order_plan_id_org_id_equipment_maintenance_plan"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id", "org_id"],
            ["equipment_inspection_round.id", "equipment_inspection_round.org_id"],
            name=op.f("fk_equipment_work_order_round_id_org_id_equipment_inspection_round"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_equipment_work_order")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_equipment_work_order_id_org_id")),
        sa.UniqueConstraint("org_id", "number", name=op.f("uq_equipment_work_order_org_id_number")),
        sa.UniqueConstraint(
            "org_id",
            "round_id",
            "round_item",
            name=op.f("uq_equipment_work_order_org_id_round_id_round_item"),
        ),
    )
    op.create_index(
        op.f("ix_equipment_work_order_machine_id"),
        "equipment_work_order",
        ["machine_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_equipment_work_order_org_id"), "equipment_work_order", ["org_id"], unique=False
    )
    op.create_index(
        op.f("ix_equipment_work_order_plan_id"), "equipment_work_order", ["plan_id"], unique=False
    )
    op.create_index(
        op.f("ix_equipment_work_order_round_id"), "equipment_work_order", ["round_id"], unique=False
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_equipment_work_order_round_id"), table_name="equipment_work_order")
    op.drop_index(op.f("ix_equipment_work_order_plan_id"), table_name="equipment_work_order")
    op.drop_index(op.f("ix_equipment_work_order_org_id"), table_name="equipment_work_order")
    op.drop_index(op.f("ix_equipment_work_order_machine_id"), table_name="equipment_work_order")
    op.drop_table("equipment_work_order")
    op.drop_index(
        op.f("ix_equipment_maintenance_plan_org_id"), table_name="equipment_maintenance_plan"
    )
    op.drop_index(
        op.f("ix_equipment_maintenance_plan_machine_id"), table_name="equipment_maintenance_plan"
    )
    op.drop_table("equipment_maintenance_plan")
    op.drop_index(
        op.f("ix_equipment_inspection_round_template_id"), table_name="equipment_inspection_round"
    )
    op.drop_index(
        op.f("ix_equipment_inspection_round_org_id"), table_name="equipment_inspection_round"
    )
    op.drop_index(
        op.f("ix_equipment_inspection_round_machine_id"), table_name="equipment_inspection_round"
    )
    op.drop_table("equipment_inspection_round")
    op.drop_index(
        op.f("ix_equipment_inspection_template_org_id"), table_name="equipment_inspection_template"
    )
    op.drop_table("equipment_inspection_template")
