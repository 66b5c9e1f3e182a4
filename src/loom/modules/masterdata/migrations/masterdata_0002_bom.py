"""masterdata bom lines

Revision ID: masterdata_0002
Revises: masterdata_0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "masterdata_0002"
down_revision = "masterdata_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "masterdata_bom_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("style_id", sa.Integer(), nullable=False),
        sa.Column("material_code", sa.String(length=40), nullable=False),
        sa.Column("material_name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("consumption", sa.JSON(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_masterdata_bom_line_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["style_id", "org_id"],
            ["masterdata_style.id", "masterdata_style.org_id"],
            name=op.f("fk_masterdata_bom_line_style_id_org_id_masterdata_style"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_masterdata_bom_line")),
        sa.UniqueConstraint(
            "style_id",
            "material_code",
            name=op.f("uq_masterdata_bom_line_style_id_material_code"),
        ),
    )
    op.create_index(
        op.f("ix_masterdata_bom_line_org_id"), "masterdata_bom_line", ["org_id"], unique=False
    )
    op.create_index(
        op.f("ix_masterdata_bom_line_style_id"), "masterdata_bom_line", ["style_id"], unique=False
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_masterdata_bom_line_style_id"), table_name="masterdata_bom_line")
    op.drop_index(op.f("ix_masterdata_bom_line_org_id"), table_name="masterdata_bom_line")
    op.drop_table("masterdata_bom_line")
