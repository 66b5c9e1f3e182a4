"""The pilot application and project tables of revision programme_0001."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from loom.modules.programme.migrations.programme_0001_parts import Table

#: the indexed columns of a project's records: the parties that may read them, the project
PROJECT_RECORD_INDEXED = (
    "assessor_org_id",
    "contractor_org_id",
    "enterprise_org_id",
    "org_id",
    "project_id",
)


def _pilot_application() -> None:
    """Create programme_pilot_application: enterprises' pilot applications."""
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


PILOT_APPLICATION = Table(
    "programme_pilot_application",
    _pilot_application,
    ("enterprise_id", "enterprise_org_id", "org_id"),
)


def _project() -> None:
    """Create programme_project: a selected pilot's project."""
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


PROJECT = Table(
    "programme_project",
    _project,
    (
        "assessor_org_id",
        "contractor_org_id",
        "enterprise_id",
        "enterprise_org_id",
        "org_id",
        "status",
    ),
)


def _acceptance() -> None:
    """Create programme_acceptance: a project's acceptance decision."""
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


ACCEPTANCE = Table("programme_acceptance", _acceptance, PROJECT_RECORD_INDEXED)


def _investment() -> None:
    """Create programme_investment: a project's recorded investments."""
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


INVESTMENT = Table("programme_investment", _investment, PROJECT_RECORD_INDEXED)


def _onsite_result() -> None:
    """Create programme_onsite_result: a project's on-site assessment results."""
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


ONSITE_RESULT = Table("programme_onsite_result", _onsite_result, PROJECT_RECORD_INDEXED)


def _pilot_score() -> None:
    """Create programme_pilot_score: experts' scores of a pilot application."""
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


PILOT_SCORE = Table("programme_pilot_score", _pilot_score, ("application_id", "org_id"))


def _transition() -> None:
    """Create programme_transition: a project's status changes."""
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


TRANSITION = Table("programme_transition", _transition, PROJECT_RECORD_INDEXED)
