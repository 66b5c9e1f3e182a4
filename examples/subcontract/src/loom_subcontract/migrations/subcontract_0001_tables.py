"""sub-contracting jobs and receipts

Revision ID: subcontract_0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "subcontract_0001"
down_revision = None
branch_labels = ("subcontract",)
depends_on = "k0001"  # the tenancy_organisation table that org_id points at


def upgrade() -> None:
    """Create the job and receipt tables."""
    op.create_table(
        "subcontract_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner", sa.String(length=120), nullable=False),
        sa.Column(
            "process",
            sa.Enum(
                "embroidery",
                "printing",
                "washing",
                "other",
                name="processkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("qty_sent", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "closed", name="jobstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("qty_sent > 0", name=op.f("ck_subcontract_job_qty_sent_positive")),
        sa.CheckConstraint(
            "due_on >= sent_on", name=op.f("ck_subcontract_job_due_not_before_sent")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_subcontract_job_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subcontract_job")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_subcontract_job_id_org_id")),
    )
    with op.batch_alter_table("subcontract_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subcontract_job_org_id"), ["org_id"], unique=False)

    op.create_table(
        "subcontract_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("qty_received", sa.Integer(), nullable=False),
        sa.Column("qty_defective", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "qty_received >= 0", name=op.f("ck_subcontract_receipt_qty_received_not_negative")
        ),
        sa.CheckConstraint(
            "qty_defective >= 0", name=op.f("ck_subcontract_receipt_qty_defective_not_negative")
        ),
        sa.CheckConstraint(
            "qty_received + qty_defective > 0",
            name=op.f("ck_subcontract_receipt_returns_something"),
        ),
        # With org_id in the key, a receipt can only point at a job of its own organisation.
        sa.ForeignKeyConstraint(
            ["job_id", "org_id"],
            ["subcontract_job.id", "subcontract_job.org_id"],
            name=op.f("fk_subcontract_receipt_job_id_org_id_subcontract_job"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_subcontract_receipt_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subcontract_receipt")),
    )
    with op.batch_alter_table("subcontract_receipt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subcontract_receipt_job_id"), ["job_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_subcontract_receipt_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    """Drop the receipt and job tables."""
    with op.batch_alter_table("subcontract_receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subcontract_receipt_org_id"))
        batch_op.drop_index(batch_op.f("ix_subcontract_receipt_job_id"))
    op.drop_table("subcontract_receipt")
    with op.batch_alter_table("subcontract_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subcontract_job_org_id"))
    op.drop_table("subcontract_job")
