"""shopfloor tables: orders, lays, bundles, scan events, quarantine and counters

Revision ID: shopfloor_0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "shopfloor_0001"
down_revision = None
branch_labels = ("shopfloor",)
depends_on = ("masterdata_0003",)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "shopfloor_event",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Uuid(), nullable=False),
        sa.Column("origin_id", sa.Uuid(), nullable=True),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.Column("operator_code", sa.String(length=40), nullable=False),
        sa.Column("bundle_no", sa.BigInteger(), nullable=False),
        sa.Column("operation_id", sa.BigInteger(), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("bundle_id", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("sam_e4", sa.Integer(), nullable=False),
        sa.Column("rate_e4", sa.Integer(), nullable=False),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_shopfloor_event_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "key", name=op.f("pk_shopfloor_event")),
    )
    op.create_index(
        "ux_shopfloor_event_done",
        "shopfloor_event",
        ["org_id", "bundle_id", "operation_id"],
        unique=True,
        sqlite_where=sa.text("kind = 'done' AND status = 'applied'"),
        postgresql_where=sa.text("kind = 'done' AND status = 'applied'"),
    )
    op.create_table(
        "shopfloor_line_hour",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("output_qty", sa.BigInteger(), nullable=False),
        sa.Column("done_qty", sa.BigInteger(), nullable=False),
        sa.Column("earned_e4", sa.BigInteger(), nullable=False),
        sa.Column("rework_qty", sa.BigInteger(), nullable=False),
        sa.Column("defect_qty", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_shopfloor_line_hour_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "line_id", "hour", name=op.f("pk_shopfloor_line_hour")),
    )
    op.create_table(
        "shopfloor_op_count",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("done_qty", sa.BigInteger(), nullable=False),
        sa.Column("rework_qty", sa.BigInteger(), nullable=False),
        sa.Column("defect_qty", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_shopfloor_op_count_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "org_id", "order_id", "operation_id", "line_id", name=op.f("pk_shopfloor_op_count")
        ),
    )
    op.create_table(
        "shopfloor_operator_day",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("done_qty", sa.BigInteger(), nullable=False),
        sa.Column("earned_e4", sa.BigInteger(), nullable=False),
        sa.Column("earnings_e4", sa.BigInteger(), nullable=False),
        sa.Column("rework_qty", sa.BigInteger(), nullable=False),
        sa.Column("defect_qty", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_shopfloor_operator_day_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "org_id", "operator_id", "day", name=op.f("pk_shopfloor_operator_day")
        ),
    )
    op.create_table(
        "shopfloor_operator_hour",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("done_qty", sa.BigInteger(), nullable=False),
        sa.Column("earned_e4", sa.BigInteger(), nullable=False),
        sa.Column("earnings_e4", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_shopfloor_operator_hour_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "org_id", "operator_id", "hour", "line_id", name=op.f("pk_shopfloor_operator_hour")
        ),
    )
    op.create_table(
        "shopfloor_quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_key", sa.Uuid(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=200), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_shopfloor_quarantine_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shopfloor_quarantine")),
    )
    op.create_index(
        op.f("ix_shopfloor_quarantine_event_key"),
        "shopfloor_quarantine",
        ["event_key"],
        unique=False,
    )
    op.create_index(
        op.f("ix_shopfloor_quarantine_org_id"), "shopfloor_quarantine", ["org_id"], unique=False
    )
    op.create_index(
        op.f("ix_shopfloor_quarantine_status"), "shopfloor_quarantine", ["status"], unique=False
    )
    op.create_table(
        "shopfloor_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("customer", sa.String(length=200), nullable=False),
        sa.Column("style_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("quantities", sa.JSON(), nullable=False),
        sa.Column("total_qty", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("total_qty > 0", name=op.f("ck_shopfloor_order_total_qty_positive")),
        sa.ForeignKeyConstraint(
            ["line_id", "org_id"],
            ["masterdata_line.id", "masterdata_line.org_id"],
            name=op.f("fk_shopfloor_order_line_id_org_id_masterdata_line"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_shopfloor_order_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["style_id", "org_id"],
            ["masterdata_style.id", "masterdata_style.org_id"],
            name=op.f("fk_shopfloor_order_style_id_org_id_masterdata_style"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shopfloor_order")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_shopfloor_order_id_org_id")),
        sa.UniqueConstraint("org_id", "number", name=op.f("uq_shopfloor_order_org_id_number")),
    )
    op.create_index(
        op.f("ix_shopfloor_order_line_id"), "shopfloor_order", ["line_id"], unique=False
    )
    op.create_index(op.f("ix_shopfloor_order_org_id"), "shopfloor_order", ["org_id"], unique=False)
    op.create_index(
        op.f("ix_shopfloor_order_style_id"), "shopfloor_order", ["style_id"], unique=False
    )
    op.create_table(
        "shopfloor_lay",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("lay_no", sa.Integer(), nullable=False),
        sa.Column("colour", sa.String(length=40), nullable=False),
        sa.Column("plies", sa.Integer(), nullable=False),
        sa.Column("ratios", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("cut_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("plies > 0", name=op.f("ck_shopfloor_lay_plies_positive")),
        sa.ForeignKeyConstraint(
            ["order_id", "org_id"],
            ["shopfloor_order.id", "shopfloor_order.org_id"],
            name=op.f("fk_shopfloor_lay_order_id_org_id_shopfloor_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_shopfloor_lay_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shopfloor_lay")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_shopfloor_lay_id_org_id")),
        sa.UniqueConstraint("order_id", "lay_no", name=op.f("uq_shopfloor_lay_order_id_lay_no")),
    )
    op.create_index(op.f("ix_shopfloor_lay_order_id"), "shopfloor_lay", ["order_id"], unique=False)
    op.create_index(op.f("ix_shopfloor_lay_org_id"), "shopfloor_lay", ["org_id"], unique=False)
    op.create_table(
        "shopfloor_bundle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("lay_id", sa.Integer(), nullable=False),
        sa.Column("colour", sa.String(length=40), nullable=False),
        sa.Column("size", sa.String(length=20), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("ply_from", sa.Integer(), nullable=False),
        sa.Column("ply_to", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("qty > 0", name=op.f("ck_shopfloor_bundle_qty_positive")),
        sa.ForeignKeyConstraint(
            ["lay_id", "org_id"],
            ["shopfloor_lay.id", "shopfloor_lay.org_id"],
            name=op.f("fk_shopfloor_bundle_lay_id_org_id_shopfloor_lay"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["order_id", "org_id"],
            ["shopfloor_order.id", "shopfloor_order.org_id"],
            name=op.f("fk_shopfloor_bundle_order_id_org_id_shopfloor_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_shopfloor_bundle_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shopfloor_bundle")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_shopfloor_bundle_id_org_id")),
        sa.UniqueConstraint("org_id", "number", name=op.f("uq_shopfloor_bundle_org_id_number")),
    )
    op.create_index(
        op.f("ix_shopfloor_bundle_lay_id"), "shopfloor_bundle", ["lay_id"], unique=False
    )
    op.create_index(
        op.f("ix_shopfloor_bundle_order_id"), "shopfloor_bundle", ["order_id"], unique=False
    )
    op.create_index(
        op.f("ix_shopfloor_bundle_org_id"), "shopfloor_bundle", ["org_id"], unique=False
    )

    op.create_table(
        "shopfloor_operator_day_op",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("rate_e4", sa.Integer(), nullable=False),
        sa.Column("done_qty", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_shopfloor_operator_day_op_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "org_id",
            "operator_id",
            "day",
            "operation_id",
            "rate_e4",
            name=op.f("pk_shopfloor_operator_day_op"),
        ),
    )
    op.create_index(
        "ix_shopfloor_operator_hour_line",
        "shopfloor_operator_hour",
        ["org_id", "line_id", "hour"],
        unique=False,
    )

    op.create_index(
        "ix_shopfloor_bundle_org_order", "shopfloor_bundle", ["org_id", "order_id"], unique=False
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_shopfloor_bundle_org_order", table_name="shopfloor_bundle")
    op.drop_index("ix_shopfloor_operator_hour_line", table_name="shopfloor_operator_hour")
    op.drop_table("shopfloor_operator_day_op")
    op.drop_index(op.f("ix_shopfloor_bundle_org_id"), table_name="shopfloor_bundle")
    op.drop_index(op.f("ix_shopfloor_bundle_order_id"), table_name="shopfloor_bundle")
    op.drop_index(op.f("ix_shopfloor_bundle_lay_id"), table_name="shopfloor_bundle")
    op.drop_table("shopfloor_bundle")
    op.drop_index(op.f("ix_shopfloor_lay_org_id"), table_name="shopfloor_lay")
    op.drop_index(op.f("ix_shopfloor_lay_order_id"), table_name="shopfloor_lay")
    op.drop_table("shopfloor_lay")
    op.drop_index(op.f("ix_shopfloor_order_style_id"), table_name="shopfloor_order")
    op.drop_index(op.f("ix_shopfloor_order_org_id"), table_name="shopfloor_order")
    op.drop_index(op.f("ix_shopfloor_order_line_id"), table_name="shopfloor_order")
    op.drop_table("shopfloor_order")
    op.drop_index(op.f("ix_shopfloor_quarantine_status"), table_name="shopfloor_quarantine")
    op.drop_index(op.f("ix_shopfloor_quarantine_org_id"), table_name="shopfloor_quarantine")
    op.drop_index(op.f("ix_shopfloor_quarantine_event_key"), table_name="shopfloor_quarantine")
    op.drop_table("shopfloor_quarantine")
    op.drop_table("shopfloor_operator_hour")
    op.drop_table("shopfloor_operator_day")
    op.drop_table("shopfloor_op_count")
    op.drop_table("shopfloor_line_hour")
    op.drop_index(
        "ux_shopfloor_event_done",
        table_name="shopfloor_event",
        sqlite_where=sa.text("kind = 'done' AND status = 'applied'"),
        postgresql_where=sa.text("kind = 'done' AND status = 'applied'"),
    )
    op.drop_table("shopfloor_event")
