"""quality: defect catalogue, inline and end-of-line inspections, AQL final inspections

Revision ID: quality_0001
Revises:
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "quality_0001"
down_revision = None
branch_labels = ("quality",)
depends_on = ("shopfloor_0001",)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "quality_aql_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer", sa.String(length=200), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("lots", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_quality_aql_series_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_aql_series")),
        sa.UniqueConstraint(
            "org_id", "customer", name=op.f("uq_quality_aql_series_org_id_customer")
        ),
    )
    op.create_index(
        op.f("ix_quality_aql_series_org_id"), "quality_aql_series", ["org_id"], unique=False
    )
    op.create_table(
        "quality_defect",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("defect_class", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "defect_class IN ('critical', 'major', 'minor')",
            name=op.f("ck_quality_defect_defect_class_known"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_quality_defect_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_defect")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_quality_defect_id_org_id")),
        sa.UniqueConstraint("org_id", "code", name=op.f("uq_quality_defect_org_id_code")),
    )
    op.create_index(op.f("ix_quality_defect_org_id"), "quality_defect", ["org_id"], unique=False)
    op.create_table(
        "quality_aql_inspection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("lot_no", sa.String(length=40), nullable=False),
        sa.Column("customer", sa.String(length=200), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("lot_size", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.Column("inspection", sa.String(length=10), nullable=False),
        sa.Column("code_letter", sa.String(length=2), nullable=False),
        sa.Column("plans", sa.JSON(), nullable=False),
        sa.Column("sample_size", sa.Integer(), nullable=False),
        sa.Column("critical_found", sa.Integer(), nullable=False),
        sa.Column("major_found", sa.Integer(), nullable=False),
        sa.Column("minor_found", sa.Integer(), nullable=False),
        sa.Column("defects", sa.JSON(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("state_before", sa.JSON(), nullable=False),
        sa.Column("state_after", sa.JSON(), nullable=False),
        sa.Column("inspector", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "decision IN ('accept', 'reject')",
            name=op.f("ck_quality_aql_inspection_decision_known"),
        ),
        sa.CheckConstraint(
            "lot_size > 0", name=op.f("ck_quality_aql_inspection_lot_size_positive")
        ),
        sa.ForeignKeyConstraint(
            ["order_id", "org_id"],
            ["shopfloor_order.id", "shopfloor_order.org_id"],
            name=op.f("fk_quality_aql_inspection_order_id_org_id_shopfloor_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_quality_aql_inspection_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_aql_inspection")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_quality_aql_inspection_id_org_id")),
    )
    op.create_index(
        op.f("ix_quality_aql_inspection_order_id"),
        "quality_aql_inspection",
        ["order_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_quality_aql_inspection_org_id"), "quality_aql_inspection", ["org_id"], unique=False
    )
    op.create_table(
        "quality_inspection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("inspected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=True),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("operator_source", sa.String(length=10), nullable=False),
        sa.Column("bundle_id", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("pieces_checked", sa.Integer(), nullable=False),
        sa.Column("defects_total", sa.Integer(), nullable=False),
        sa.Column("defective_pieces", sa.Integer(), nullable=False),
        sa.Column("inspector", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "defective_pieces BETWEEN 0 AND pieces_checked",
            name=op.f("ck_quality_inspection_defective_pieces_range"),
        ),
        sa.CheckConstraint(
            "defects_total >= 0", name=op.f("ck_quality_inspection_defects_total_not_negative")
        ),
        sa.CheckConstraint(
            "pieces_checked > 0", name=op.f("ck_quality_inspection_pieces_checked_positive")
        ),
        sa.ForeignKeyConstraint(
            ["bundle_id", "org_id"],
            ["shopfloor_bundle.id", "shopfloor_bundle.org_id"],
            name=op.f("fk_quality_inspection_bundle_id_org_id_shopfloor_bundle"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["line_id", "org_id"],
            ["masterdata_line.id", "masterdata_line.org_id"],
            name=op.f("fk_quality_inspection_line_id_org_id_masterdata_line"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_quality_inspection_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_inspection")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_quality_inspection_id_org_id")),
    )
    op.create_index(
        op.f("ix_quality_inspection_bundle_id"), "quality_inspection", ["bundle_id"], unique=False
    )
    op.create_index(
        op.f("ix_quality_inspection_line_id"), "quality_inspection", ["line_id"], unique=False
    )
    op.create_index(
        op.f("ix_quality_inspection_operation_id"),
        "quality_inspection",
        ["operation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_quality_inspection_operator_id"),
        "quality_inspection",
        ["operator_id"],
        unique=False,
    )
    op.create_index(
        "ix_quality_inspection_org_day", "quality_inspection", ["org_id", "day"], unique=False
    )
    op.create_index(
        op.f("ix_quality_inspection_org_id"), "quality_inspection", ["org_id"], unique=False
    )
    op.create_table(
        "quality_inspection_defect",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("defect_id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=True),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("qty > 0", name=op.f("ck_quality_inspection_defect_qty_positive")),
        sa.ForeignKeyConstraint(
            ["defect_id", "org_id"],
            ["quality_defect.id", "quality_defect.org_id"],
            name=op.f("fk_quality_inspection_defect_defect_id_org_id_quality_defect"),
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id", "org_id"],
            ["quality_inspection.id", "quality_inspection.org_id"],
            name=op.f("fk_quality_inspection_defect_inspection_id_org_id_quality_inspection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_quality_inspection_defect_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_inspection_defect")),
    )
    op.create_index(
        op.f("ix_quality_inspection_defect_defect_id"),
        "quality_inspection_defect",
        ["defect_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_quality_inspection_defect_inspection_id"),
        "quality_inspection_defect",
        ["inspection_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_quality_inspection_defect_org_id"),
        "quality_inspection_defect",
        ["org_id"],
        unique=False,
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(
        op.f("ix_quality_inspection_defect_org_id"), table_name="quality_inspection_defect"
    )
    op.drop_index(
        op.f("ix_quality_inspection_defect_inspection_id"), table_name="quality_inspection_defect"
    )
    op.drop_index(
        op.f("ix_quality_inspection_defect_defect_id"), table_name="quality_inspection_defect"
    )
    op.drop_table("quality_inspection_defect")
    op.drop_index(op.f("ix_quality_inspection_org_id"), table_name="quality_inspection")
    op.drop_index("ix_quality_inspection_org_day", table_name="quality_inspection")
    op.drop_index(op.f("ix_quality_inspection_operator_id"), table_name="quality_inspection")
    op.drop_index(op.f("ix_quality_inspection_operation_id"), table_name="quality_inspection")
    op.drop_index(op.f("ix_quality_inspection_line_id"), table_name="quality_inspection")
    op.drop_index(op.f("ix_quality_inspection_bundle_id"), table_name="quality_inspection")
    op.drop_table("quality_inspection")
    op.drop_index(op.f("ix_quality_aql_inspection_org_id"), table_name="quality_aql_inspection")
    op.drop_index(op.f("ix_quality_aql_inspection_order_id"), table_name="quality_aql_inspection")
    op.drop_table("quality_aql_inspection")
    op.drop_index(op.f("ix_quality_defect_org_id"), table_name="quality_defect")
    op.drop_table("quality_defect")
    op.drop_index(op.f("ix_quality_aql_series_org_id"), table_name="quality_aql_series")
    op.drop_table("quality_aql_series")
