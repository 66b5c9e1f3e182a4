"""programme tables

Revision ID: programme_0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "programme_0001"
down_revision = None
branch_labels = ("programme",)
depends_on = ("k0001", "assessment_0001")


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "programme_contractor_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contractor_org_id", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=30), nullable=False),
        sa.Column("member_org_ids", sa.JSON(), nullable=False),
        sa.Column("statement", sa.String(length=4000), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decision_note", sa.String(length=1000), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contractor_org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_contractor_application_contractor_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_contractor_application_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_contractor_application")),
        sa.UniqueConstraint(
            "id", "org_id", name=op.f("uq_programme_contractor_application_id_org_id")
        ),
    )
    op.create_index(
        op.f("ix_programme_contractor_application_contractor_org_id"),
        "programme_contractor_application",
        ["contractor_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_contractor_application_org_id"),
        "programme_contractor_application",
        ["org_id"],
        unique=False,
    )
    op.create_table(
        "programme_enterprise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("sector", sa.String(length=30), nullable=False),
        sa.Column("sub_sector", sa.String(length=100), nullable=False),
        sa.Column("size", sa.String(length=10), nullable=False),
        sa.Column("town", sa.String(length=40), nullable=False),
        sa.Column("employees", sa.Integer(), nullable=False),
        sa.Column("revenue_wan", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("cloud", sa.Boolean(), nullable=False),
        sa.Column("contact_name", sa.String(length=60), nullable=False),
        sa.Column("contact_phone", sa.String(length=30), nullable=False),
        sa.Column("enterprise_org_id", sa.Integer(), nullable=True),
        sa.Column("digital_level", sa.Integer(), nullable=True),
        sa.Column("level_source", sa.String(length=20), nullable=False),
        sa.Column("level_on", sa.Date(), nullable=True),
        sa.Column("smart_factory_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "employees >= 0", name=op.f("ck_programme_enterprise_employees_not_negative")
        ),
        sa.CheckConstraint(
            "revenue_wan >= 0", name=op.f("ck_programme_enterprise_revenue_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_enterprise_enterprise_org_id_tenancy_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_enterprise_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_enterprise")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_programme_enterprise_id_org_id")),
        sa.UniqueConstraint(
            "org_id", "credit_code", name=op.f("uq_programme_enterprise_org_id_credit_code")
        ),
    )
    op.create_index(
        op.f("ix_programme_enterprise_enterprise_org_id"),
        "programme_enterprise",
        ["enterprise_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_enterprise_org_id"), "programme_enterprise", ["org_id"], unique=False
    )
    op.create_index(
        op.f("ix_programme_enterprise_sector"), "programme_enterprise", ["sector"], unique=False
    )
    op.create_table(
        "programme_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_list_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_list")),
        sa.UniqueConstraint(
            "org_id",
            "sector",
            "kind",
            "version",
            name=op.f("uq_programme_list_org_id_sector_kind_version"),
        ),
    )
    op.create_index(op.f("ix_programme_list_org_id"), "programme_list", ["org_id"], unique=False)
    op.create_table(
        "programme_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bureau_org_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("document_json", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["bureau_org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_plan_bureau_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_plan")),
        sa.UniqueConstraint(
            "bureau_org_id", "version", name=op.f("uq_programme_plan_bureau_org_id_version")
        ),
    )
    op.create_index(
        op.f("ix_programme_plan_bureau_org_id"), "programme_plan", ["bureau_org_id"], unique=False
    )
    op.create_table(
        "programme_product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("scenario_code", sa.String(length=40), nullable=False),
        sa.Column("scenes", sa.JSON(), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("price_fen", sa.BigInteger(), nullable=False),
        sa.Column("delivery_weeks", sa.Integer(), nullable=False),
        sa.Column("deployment", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "delivery_weeks > 0", name=op.f("ck_programme_product_delivery_positive")
        ),
        sa.CheckConstraint("price_fen >= 0", name=op.f("ck_programme_product_price_not_negative")),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_product_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_product")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_programme_product_id_org_id")),
    )
    op.create_index(
        op.f("ix_programme_product_org_id"), "programme_product", ["org_id"], unique=False
    )
    op.create_table(
        "programme_scenario",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("sector", sa.String(length=30), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("scenes", sa.JSON(), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_scenario_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_scenario")),
        sa.UniqueConstraint("org_id", "code", name=op.f("uq_programme_scenario_org_id_code")),
    )
    op.create_index(
        op.f("ix_programme_scenario_org_id"), "programme_scenario", ["org_id"], unique=False
    )
    op.create_table(
        "programme_contractor_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("evaluator_group", sa.String(length=30), nullable=False),
        sa.Column("evaluator", sa.String(length=100), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("entered_by", sa.String(length=200), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id", "org_id"],
            ["programme_contractor_application.id", "programme_contractor_application.org_id"],
            name=op.f(
                "fk_programme_contractor_score_application_id_org_id_programme_contractor_application"
            ),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_contractor_score_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_contractor_score")),
        sa.UniqueConstraint(
            "application_id",
            "evaluator_group",
            "evaluator",
            name=op.f("uq_programme_contractor_score_application_id_evaluator_group_evaluator"),
        ),
    )
    op.create_index(
        op.f("ix_programme_contractor_score_application_id"),
        "programme_contractor_score",
        ["application_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_contractor_score_org_id"),
        "programme_contractor_score",
        ["org_id"],
        unique=False,
    )
    op.create_table(
        "programme_need",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=30), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("problem", sa.String(length=500), nullable=False),
        sa.Column("need_key", sa.String(length=60), nullable=False),
        sa.Column("need_title", sa.String(length=200), nullable=False),
        sa.Column("scenario_code", sa.String(length=40), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id", "org_id"],
            ["programme_enterprise.id", "programme_enterprise.org_id"],
            name=op.f("fk_programme_need_enterprise_id_org_id_programme_enterprise"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_need_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_need")),
    )
    op.create_index(
        op.f("ix_programme_need_enterprise_id"), "programme_need", ["enterprise_id"], unique=False
    )
    op.create_index(
        op.f("ix_programme_need_need_key"), "programme_need", ["need_key"], unique=False
    )
    op.create_index(op.f("ix_programme_need_org_id"), "programme_need", ["org_id"], unique=False)
    op.create_table(
        "programme_pilot_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_org_id", sa.Integer(), nullable=True),
        sa.Column("sector", sa.String(length=30), nullable=False),
        sa.Column("statement", sa.String(length=4000), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("batch", sa.String(length=30), nullable=True),
        sa.Column("decision_note", sa.String(length=1000), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id", "org_id"],
            ["programme_enterprise.id", "programme_enterprise.org_id"],
            name=op.f("fk_programme_pilot_application_enterprise_id_org_id_programme_enterprise"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_pilot_application_enterprise_org_id_tenancy_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_pilot_application_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_pilot_application")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_programme_pilot_application_id_org_id")),
    )
    op.create_index(
        op.f("ix_programme_pilot_application_enterprise_id"),
        "programme_pilot_application",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_pilot_application_enterprise_org_id"),
        "programme_pilot_application",
        ["enterprise_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_pilot_application_org_id"),
        "programme_pilot_application",
        ["org_id"],
        unique=False,
    )
    op.create_table(
        "programme_product_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("contractor_org_id", sa.Integer(), nullable=False),
        sa.Column("excellent", sa.Boolean(), nullable=False),
        sa.Column("marked_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("marked_by", sa.String(length=200), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contractor_org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_product_mark_contractor_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_product_mark_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["programme_product.id"],
            name=op.f("fk_programme_product_mark_product_id_programme_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_product_mark")),
        sa.UniqueConstraint(
            "org_id", "product_id", name=op.f("uq_programme_product_mark_org_id_product_id")
        ),
    )
    op.create_index(
        op.f("ix_programme_product_mark_contractor_org_id"),
        "programme_product_mark",
        ["contractor_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_product_mark_org_id"), "programme_product_mark", ["org_id"], unique=False
    )
    op.create_index(
        op.f("ix_programme_product_mark_product_id"),
        "programme_product_mark",
        ["product_id"],
        unique=False,
    )
    op.create_table(
        "programme_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_org_id", sa.Integer(), nullable=True),
        sa.Column("contractor_org_id", sa.Integer(), nullable=True),
        sa.Column("assessor_org_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("sector", sa.String(length=30), nullable=False),
        sa.Column("batch", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("honours", sa.JSON(), nullable=False),
        sa.Column("n_scenarios", sa.JSON(), nullable=False),
        sa.Column("x_scenarios", sa.JSON(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=True),
        sa.Column("contract_no", sa.String(length=80), nullable=False),
        sa.Column("contract_signed_on", sa.Date(), nullable=True),
        sa.Column("contract_amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "contract_amount_fen >= 0", name=op.f("ck_programme_project_contract_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["assessor_org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_project_assessor_org_id_tenancy_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contractor_org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_project_contractor_org_id_tenancy_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id", "org_id"],
            ["programme_enterprise.id", "programme_enterprise.org_id"],
            name=op.f("fk_programme_project_enterprise_id_org_id_programme_enterprise"),
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_project_enterprise_org_id_tenancy_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_project_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_project")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_programme_project_id_org_id")),
        sa.UniqueConstraint(
            "org_id", "enterprise_id", name=op.f("uq_programme_project_org_id_enterprise_id")
        ),
    )
    op.create_index(
        op.f("ix_programme_project_assessor_org_id"),
        "programme_project",
        ["assessor_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_project_contractor_org_id"),
        "programme_project",
        ["contractor_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_project_enterprise_id"),
        "programme_project",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_project_enterprise_org_id"),
        "programme_project",
        ["enterprise_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_project_org_id"), "programme_project", ["org_id"], unique=False
    )
    op.create_index(
        op.f("ix_programme_project_status"), "programme_project", ["status"], unique=False
    )
    op.create_table(
        "programme_acceptance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("effect_score", sa.Integer(), nullable=False),
        sa.Column("integration_score", sa.Integer(), nullable=False),
        sa.Column("reform_score", sa.Integer(), nullable=False),
        sa.Column("io_ratio", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("reasons", sa.String(length=2000), nullable=False),
        sa.Column("experts", sa.String(length=500), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enterprise_org_id", sa.Integer(), nullable=True),
        sa.Column("contractor_org_id", sa.Integer(), nullable=True),
        sa.Column("assessor_org_id", sa.Integer(), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_acceptance_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id", "org_id"],
            ["programme_project.id", "programme_project.org_id"],
            name=op.f("fk_programme_acceptance_project_id_org_id_programme_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_acceptance")),
    )
    op.create_index(
        op.f("ix_programme_acceptance_assessor_org_id"),
        "programme_acceptance",
        ["assessor_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_acceptance_contractor_org_id"),
        "programme_acceptance",
        ["contractor_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_acceptance_enterprise_org_id"),
        "programme_acceptance",
        ["enterprise_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_acceptance_org_id"), "programme_acceptance", ["org_id"], unique=False
    )
    op.create_index(
        op.f("ix_programme_acceptance_project_id"),
        "programme_acceptance",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "programme_investment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("evidence_name", sa.String(length=255), nullable=False),
        sa.Column("evidence_sha256", sa.String(length=64), nullable=False),
        sa.Column("evidence_size", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enterprise_org_id", sa.Integer(), nullable=True),
        sa.Column("contractor_org_id", sa.Integer(), nullable=True),
        sa.Column("assessor_org_id", sa.Integer(), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount_fen > 0", name=op.f("ck_programme_investment_amount_positive")),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_investment_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id", "org_id"],
            ["programme_project.id", "programme_project.org_id"],
            name=op.f("fk_programme_investment_project_id_org_id_programme_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_investment")),
    )
    op.create_index(
        op.f("ix_programme_investment_assessor_org_id"),
        "programme_investment",
        ["assessor_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_investment_contractor_org_id"),
        "programme_investment",
        ["contractor_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_investment_enterprise_org_id"),
        "programme_investment",
        ["enterprise_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_investment_org_id"), "programme_investment", ["org_id"], unique=False
    )
    op.create_index(
        op.f("ix_programme_investment_project_id"),
        "programme_investment",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "programme_onsite_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=10), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("score", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("rules_version", sa.String(length=80), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enterprise_org_id", sa.Integer(), nullable=True),
        sa.Column("contractor_org_id", sa.Integer(), nullable=True),
        sa.Column("assessor_org_id", sa.Integer(), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_onsite_result_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id", "org_id"],
            ["programme_project.id", "programme_project.org_id"],
            name=op.f("fk_programme_onsite_result_project_id_org_id_programme_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_onsite_result")),
        sa.UniqueConstraint(
            "project_id", "phase", name=op.f("uq_programme_onsite_result_project_id_phase")
        ),
    )
    op.create_index(
        op.f("ix_programme_onsite_result_assessor_org_id"),
        "programme_onsite_result",
        ["assessor_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_onsite_result_contractor_org_id"),
        "programme_onsite_result",
        ["contractor_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_onsite_result_enterprise_org_id"),
        "programme_onsite_result",
        ["enterprise_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_onsite_result_org_id"),
        "programme_onsite_result",
        ["org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_onsite_result_project_id"),
        "programme_onsite_result",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "programme_pilot_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("expert", sa.String(length=100), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("entered_by", sa.String(length=200), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id", "org_id"],
            ["programme_pilot_application.id", "programme_pilot_application.org_id"],
            name=op.f("fk_programme_pilot_score_application_id_org_id_programme_pilot_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_pilot_score_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_pilot_score")),
        sa.UniqueConstraint(
            "application_id", "expert", name=op.f("uq_programme_pilot_score_application_id_expert")
        ),
    )
    op.create_index(
        op.f("ix_programme_pilot_score_application_id"),
        "programme_pilot_score",
        ["application_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_pilot_score_org_id"), "programme_pilot_score", ["org_id"], unique=False
    )
    op.create_table(
        "programme_transition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("from_status", sa.String(length=30), nullable=False),
        sa.Column("to_status", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("actor_org_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enterprise_org_id", sa.Integer(), nullable=True),
        sa.Column("contractor_org_id", sa.Integer(), nullable=True),
        sa.Column("assessor_org_id", sa.Integer(), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_programme_transition_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id", "org_id"],
            ["programme_project.id", "programme_project.org_id"],
            name=op.f("fk_programme_transition_project_id_org_id_programme_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_transition")),
    )
    op.create_index(
        op.f("ix_programme_transition_assessor_org_id"),
        "programme_transition",
        ["assessor_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_transition_contractor_org_id"),
        "programme_transition",
        ["contractor_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_transition_enterprise_org_id"),
        "programme_transition",
        ["enterprise_org_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_programme_transition_org_id"), "programme_transition", ["org_id"], unique=False
    )
    op.create_index(
        op.f("ix_programme_transition_project_id"),
        "programme_transition",
        ["project_id"],
        unique=False,
    )


def downgrade() -> None:
    """Revert this revision."""

    op.drop_index(op.f("ix_programme_transition_project_id"), table_name="programme_transition")
    op.drop_index(op.f("ix_programme_transition_org_id"), table_name="programme_transition")
    op.drop_index(
        op.f("ix_programme_transition_enterprise_org_id"), table_name="programme_transition"
    )
    op.drop_index(
        op.f("ix_programme_transition_contractor_org_id"), table_name="programme_transition"
    )
    op.drop_index(
        op.f("ix_programme_transition_assessor_org_id"), table_name="programme_transition"
    )
    op.drop_table("programme_transition")
    op.drop_index(op.f("ix_programme_pilot_score_org_id"), table_name="programme_pilot_score")
    op.drop_index(
        op.f("ix_programme_pilot_score_application_id"), table_name="programme_pilot_score"
    )
    op.drop_table("programme_pilot_score")
    op.drop_index(
        op.f("ix_programme_onsite_result_project_id"), table_name="programme_onsite_result"
    )
    op.drop_index(op.f("ix_programme_onsite_result_org_id"), table_name="programme_onsite_result")
    op.drop_index(
        op.f("ix_programme_onsite_result_enterprise_org_id"), table_name="programme_onsite_result"
    )
    op.drop_index(
        op.f("ix_programme_onsite_result_contractor_org_id"), table_name="programme_onsite_result"
    )
    op.drop_index(
        op.f("ix_programme_onsite_result_assessor_org_id"), table_name="programme_onsite_result"
    )
    op.drop_table("programme_onsite_result")
    op.drop_index(op.f("ix_programme_investment_project_id"), table_name="programme_investment")
    op.drop_index(op.f("ix_programme_investment_org_id"), table_name="programme_investment")
    op.drop_index(
        op.f("ix_programme_investment_enterprise_org_id"), table_name="programme_investment"
    )
    op.drop_index(
        op.f("ix_programme_investment_contractor_org_id"), table_name="programme_investment"
    )
    op.drop_index(
        op.f("ix_programme_investment_assessor_org_id"), table_name="programme_investment"
    )
    op.drop_table("programme_investment")
    op.drop_index(op.f("ix_programme_acceptance_project_id"), table_name="programme_acceptance")
    op.drop_index(op.f("ix_programme_acceptance_org_id"), table_name="programme_acceptance")
    op.drop_index(
        op.f("ix_programme_acceptance_enterprise_org_id"), table_name="programme_acceptance"
    )
    op.drop_index(
        op.f("ix_programme_acceptance_contractor_org_id"), table_name="programme_acceptance"
    )
    op.drop_index(
        op.f("ix_programme_acceptance_assessor_org_id"), table_name="programme_acceptance"
    )
    op.drop_table("programme_acceptance")
    op.drop_index(op.f("ix_programme_project_status"), table_name="programme_project")
    op.drop_index(op.f("ix_programme_project_org_id"), table_name="programme_project")
    op.drop_index(op.f("ix_programme_project_enterprise_org_id"), table_name="programme_project")
    op.drop_index(op.f("ix_programme_project_enterprise_id"), table_name="programme_project")
    op.drop_index(op.f("ix_programme_project_contractor_org_id"), table_name="programme_project")
    op.drop_index(op.f("ix_programme_project_assessor_org_id"), table_name="programme_project")
    op.drop_table("programme_project")
    op.drop_index(op.f("ix_programme_product_mark_product_id"), table_name="programme_product_mark")
    op.drop_index(op.f("ix_programme_product_mark_org_id"), table_name="programme_product_mark")
    op.drop_index(
        op.f("ix_programme_product_mark_contractor_org_id"), table_name="programme_product_mark"
    )
    op.drop_table("programme_product_mark")
    op.drop_index(
        op.f("ix_programme_pilot_application_org_id"), table_name="programme_pilot_application"
    )
    op.drop_index(
        op.f("ix_programme_pilot_application_enterprise_org_id"),
        table_name="programme_pilot_application",
    )
    op.drop_index(
        op.f("ix_programme_pilot_application_enterprise_id"),
        table_name="programme_pilot_application",
    )
    op.drop_table("programme_pilot_application")
    op.drop_index(op.f("ix_programme_need_org_id"), table_name="programme_need")
    op.drop_index(op.f("ix_programme_need_need_key"), table_name="programme_need")
    op.drop_index(op.f("ix_programme_need_enterprise_id"), table_name="programme_need")
    op.drop_table("programme_need")
    op.drop_index(
        op.f("ix_programme_contractor_score_org_id"), table_name="programme_contractor_score"
    )
    op.drop_index(
        op.f("ix_programme_contractor_score_application_id"),
        table_name="programme_contractor_score",
    )
    op.drop_table("programme_contractor_score")
    op.drop_index(op.f("ix_programme_scenario_org_id"), table_name="programme_scenario")
    op.drop_table("programme_scenario")
    op.drop_index(op.f("ix_programme_product_org_id"), table_name="programme_product")
    op.drop_table("programme_product")
    op.drop_index(op.f("ix_programme_plan_bureau_org_id"), table_name="programme_plan")
    op.drop_table("programme_plan")
    op.drop_index(op.f("ix_programme_list_org_id"), table_name="programme_list")
    op.drop_table("programme_list")
    op.drop_index(op.f("ix_programme_enterprise_sector"), table_name="programme_enterprise")
    op.drop_index(op.f("ix_programme_enterprise_org_id"), table_name="programme_enterprise")
    op.drop_index(
        op.f("ix_programme_enterprise_enterprise_org_id"), table_name="programme_enterprise"
    )
    op.drop_table("programme_enterprise")
    op.drop_index(
        op.f("ix_programme_contractor_application_org_id"),
        table_name="programme_contractor_application",
    )
    op.drop_index(
        op.f("ix_programme_contractor_application_contractor_org_id"),
        table_name="programme_contractor_application",
    )
    op.drop_table("programme_contractor_application")
