"""programme showcase cases (典型案例)

Revision ID: programme_0002
Revises: programme_0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "programme_0002"
down_revision = "programme_0001"
branch_labels = None
depends_on = None

TABLE = "programme_showcase"
INDEXED = ("assessor_org_id", "contractor_org_id", "enterprise_org_id", "featured", "org_id")


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("featured", sa.Boolean(), nullable=False),
        sa.Column("featured_on", sa.Date(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("problem", sa.String(length=2000), nullable=False),
        sa.Column("solution", sa.String(length=2000), nullable=False),
        sa.Column("results", sa.String(length=2000), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enterprise_org_id", sa.Integer(), nullable=True),
        sa.Column("contractor_org_id", sa.Integer(), nullable=True),
        sa.Column("assessor_org_id", sa.Integer(), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_showcase_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id", "org_id"],
            ["programme_project.id", "programme_project.org_id"],
            name=op.f("fk_programme_showcase_project_id_org_id_programme_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_showcase")),
        sa.UniqueConstraint(
            "org_id", "project_id", name=op.f("uq_programme_showcase_org_id_project_id")
        ),
    )
    for column in (*INDEXED, "project_id"):
        op.create_index(op.f(f"ix_{TABLE}_{column}"), TABLE, [column], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    for column in (*INDEXED, "project_id"):
        op.drop_index(op.f(f"ix_{TABLE}_{column}"), table_name=TABLE)
    op.drop_table(TABLE)
