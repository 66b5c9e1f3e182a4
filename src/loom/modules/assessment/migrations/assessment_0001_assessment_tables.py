"""assessment tables

Revision ID: assessment_0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "assessment_0001"
down_revision = None
branch_labels = ("assessment",)
depends_on = "k0001"


def upgrade() -> None:
    """Apply this revision."""

    op.create_table(
        "assessment_ruleset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("standard", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("document_json", sa.Text(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_ruleset")),
        sa.UniqueConstraint("code", name=op.f("uq_assessment_ruleset_code")),
        sa.UniqueConstraint(
            "standard", "version", name=op.f("uq_assessment_ruleset_standard_version")
        ),
    )
    op.create_table(
        "assessment_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("phase", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("ruleset_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("score", sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("assessor_org_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessor_org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_assessment_assessment_assessor_org_id_tenancy_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_assessment_assessment_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ruleset_id"],
            ["assessment_ruleset.id"],
            name=op.f("fk_assessment_assessment_ruleset_id_assessment_ruleset"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_assessment")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_assessment_assessment_id_org_id")),
    )
    with op.batch_alter_table("assessment_assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_assessment_assessor_org_id"),
            ["assessor_org_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_assessment_assessment_org_id"), ["org_id"], unique=False
        )

    op.create_table(
        "assessment_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("assessor_org_id", sa.Integer(), nullable=True),
        sa.Column("item_id", sa.String(length=10), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id", "org_id"],
            ["assessment_assessment.id", "assessment_assessment.org_id"],
            name=op.f("fk_assessment_evidence_assessment_id_org_id_assessment_assessment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_assessment_evidence_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_evidence")),
    )
    with op.batch_alter_table("assessment_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_evidence_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assessment_evidence_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""

    with op.batch_alter_table("assessment_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_evidence_org_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_evidence_assessment_id"))

    op.drop_table("assessment_evidence")
    with op.batch_alter_table("assessment_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_assessment_org_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_assessment_assessor_org_id"))

    op.drop_table("assessment_assessment")
    op.drop_table("assessment_ruleset")
