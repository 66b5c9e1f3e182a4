"""energy tables: meters, readings and monthly revenue

Revision ID: energy_0001
Revises:
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "energy_0001"
down_revision = None
branch_labels = ("energy",)
depends_on = ("masterdata_0003",)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "energy_revenue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("amount_e4", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount_e4 >= 0", name=op.f("ck_energy_revenue_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_energy_revenue_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_energy_revenue")),
        sa.UniqueConstraint("org_id", "month", name=op.f("uq_energy_revenue_org_id_month")),
    )
    op.create_index(op.f("ix_energy_revenue_org_id"), "energy_revenue", ["org_id"], unique=False)
    op.create_table(
        "energy_meter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("attached_to", sa.String(length=10), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=True),
        sa.Column("machine_id", sa.Integer(), nullable=True),
        sa.Column("main", sa.Boolean(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("multiplier_e4", sa.BigInteger(), nullable=False),
        sa.Column("rollover_at_e4", sa.BigInteger(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "attached_to IN ('factory', 'line', 'machine')",
            name=op.f("ck_energy_meter_attached_known"),
        ),
        sa.CheckConstraint(
            "mode IN ('register', 'period')", name=op.f("ck_energy_meter_mode_known")
        ),
        sa.CheckConstraint("multiplier_e4 > 0", name=op.f("ck_energy_meter_multiplier_positive")),
        sa.ForeignKeyConstraint(
            ["line_id", "org_id"],
            ["masterdata_line.id", "masterdata_line.org_id"],
            name=op.f("fk_energy_meter_line_id_org_id_masterdata_line"),
        ),
        sa.ForeignKeyConstraint(
            ["machine_id", "org_id"],
            ["masterdata_machine.id", "masterdata_machine.org_id"],
            name=op.f("fk_energy_meter_machine_id_org_id_masterdata_machine"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_energy_meter_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_energy_meter")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_energy_meter_id_org_id")),
        sa.UniqueConstraint("org_id", "code", name=op.f("uq_energy_meter_org_id_code")),
    )
    op.create_index(op.f("ix_energy_meter_line_id"), "energy_meter", ["line_id"], unique=False)
    op.create_index(
        op.f("ix_energy_meter_machine_id"), "energy_meter", ["machine_id"], unique=False
    )
    op.create_index(op.f("ix_energy_meter_org_id"), "energy_meter", ["org_id"], unique=False)
    op.create_table(
        "energy_reading",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meter_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("value_e4", sa.BigInteger(), nullable=False),
        sa.Column("event", sa.String(length=10), nullable=False),
        sa.Column("old_final_e4", sa.BigInteger(), nullable=True),
        sa.Column("multiplier_e4", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "event IN ('', 'rollover', 'replaced')", name=op.f("ck_energy_reading_event_known")
        ),
        sa.CheckConstraint(
            "source IN ('hand', 'file', 'device')", name=op.f("ck_energy_reading_source_known")
        ),
        sa.ForeignKeyConstraint(
            ["meter_id", "org_id"],
            ["energy_meter.id", "energy_meter.org_id"],
            name=op.f("fk_energy_reading_meter_id_org_id_energy_meter"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_energy_reading_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_energy_reading")),
        sa.UniqueConstraint("meter_id", "read_at", name=op.f("uq_energy_reading_meter_id_read_at")),
        sa.UniqueConstraint("org_id", "record_id", name=op.f("uq_energy_reading_org_id_record_id")),
    )
    op.create_index(
        op.f("ix_energy_reading_meter_id"), "energy_reading", ["meter_id"], unique=False
    )
    op.create_index(op.f("ix_energy_reading_org_id"), "energy_reading", ["org_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_energy_reading_org_id"), table_name="energy_reading")
    op.drop_index(op.f("ix_energy_reading_meter_id"), table_name="energy_reading")
    op.drop_table("energy_reading")
    op.drop_index(op.f("ix_energy_meter_org_id"), table_name="energy_meter")
    op.drop_index(op.f("ix_energy_meter_machine_id"), table_name="energy_meter")
    op.drop_index(op.f("ix_energy_meter_line_id"), table_name="energy_meter")
    op.drop_table("energy_meter")
    op.drop_index(op.f("ix_energy_revenue_org_id"), table_name="energy_revenue")
    op.drop_table("energy_revenue")
