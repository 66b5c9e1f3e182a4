"""subsidy tables: the award ledger and payments

Revision ID: subsidy_0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "subsidy_0001"
down_revision = None
branch_labels = ("subsidy",)
depends_on = ("k0001", "programme_0001")


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "subsidy_award",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=60), nullable=False),
        sa.Column("rules_version", sa.String(length=80), nullable=False),
        sa.Column("beneficiary_kind", sa.String(length=20), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("contractor_org_id", sa.Integer(), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("beneficiary_name", sa.String(length=200), nullable=False),
        sa.Column("provider_name", sa.String(length=200), nullable=False),
        sa.Column("investment_fen", sa.BigInteger(), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("split", sa.JSON(), nullable=False),
        sa.Column("limit_applied", sa.String(length=30), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancel_reason", sa.String(length=1000), nullable=False),
        sa.Column("cancelled_by", sa.String(length=200), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(beneficiary_kind = 'enterprise' AND enterprise_id IS NOT NULL"
            " AND contractor_org_id IS NULL AND product_id IS NULL)"
            " OR (beneficiary_kind = 'contractor' AND contractor_org_id IS NOT NULL"
            " AND enterprise_id IS NULL AND product_id IS NULL)"
            " OR (beneficiary_kind = 'product' AND product_id IS NOT NULL"
            " AND contractor_org_id IS NOT NULL AND enterprise_id IS NULL)",
            name=op.f("ck_subsidy_award_one_beneficiary"),
        ),
        sa.CheckConstraint(
            "status IN ('approved', 'cancelled')", name=op.f("ck_subsidy_award_status_known")
        ),
        sa.CheckConstraint("amount_fen > 0", name=op.f("ck_subsidy_award_amount_positive")),
        sa.CheckConstraint(
            "investment_fen IS NULL OR investment_fen >= 0",
            name=op.f("ck_subsidy_award_investment_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["contractor_org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_subsidy_award_contractor_org_id_tenancy_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id", "org_id"],
            ["programme_enterprise.id", "programme_enterprise.org_id"],
            name=op.f("fk_subsidy_award_enterprise_id_org_id_programme_enterprise"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_subsidy_award_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id", "org_id"],
            ["programme_project.id", "programme_project.org_id"],
            name=op.f("fk_subsidy_award_project_id_org_id_programme_project"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subsidy_award")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_subsidy_award_id_org_id")),
    )
    op.create_index(
        op.f("ix_subsidy_award_contractor_org_id"),
        "subsidy_award",
        ["contractor_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_subsidy_award_enterprise_id"), "subsidy_award", ["enterprise_id"], unique=False
    )
    op.create_index(op.f("ix_subsidy_award_org_id"), "subsidy_award", ["org_id"], unique=False)
    op.create_index(
        op.f("ix_subsidy_award_product_id"), "subsidy_award", ["product_id"], unique=False
    )
    op.create_index(
        op.f("ix_subsidy_award_project_id"), "subsidy_award", ["project_id"], unique=False
    )
    op.create_index(op.f("ix_subsidy_award_rule_id"), "subsidy_award", ["rule_id"], unique=False)
    op.create_index(op.f("ix_subsidy_award_status"), "subsidy_award", ["status"], unique=False)
    op.create_table(
        "subsidy_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("award_id", sa.Integer(), nullable=False),
        sa.Column("funder", sa.String(length=30), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount_fen > 0", name=op.f("ck_subsidy_payment_amount_positive")),
        sa.ForeignKeyConstraint(
            ["award_id", "org_id"],
            ["subsidy_award.id", "subsidy_award.org_id"],
            name=op.f("fk_subsidy_payment_award_id_org_id_subsidy_award"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_subsidy_payment_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subsidy_payment")),
    )
    op.create_index(
        op.f("ix_subsidy_payment_award_id"), "subsidy_payment", ["award_id"], unique=False
    )
    op.create_index(op.f("ix_subsidy_payment_org_id"), "subsidy_payment", ["org_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_subsidy_payment_org_id"), table_name="subsidy_payment")
    op.drop_index(op.f("ix_subsidy_payment_award_id"), table_name="subsidy_payment")
    op.drop_table("subsidy_payment")
    op.drop_index(op.f("ix_subsidy_award_status"), table_name="subsidy_award")
    op.drop_index(op.f("ix_subsidy_award_rule_id"), table_name="subsidy_award")
    op.drop_index(op.f("ix_subsidy_award_project_id"), table_name="subsidy_award")
    op.drop_index(op.f("ix_subsidy_award_product_id"), table_name="subsidy_award")
    op.drop_index(op.f("ix_subsidy_award_org_id"), table_name="subsidy_award")
    op.drop_index(op.f("ix_subsidy_award_enterprise_id"), table_name="subsidy_award")
    op.drop_index(op.f("ix_subsidy_award_contractor_org_id"), table_name="subsidy_award")
    op.drop_table("subsidy_award")
