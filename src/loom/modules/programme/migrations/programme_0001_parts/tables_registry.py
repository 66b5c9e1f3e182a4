"""The bureau's registry, survey and plan tables of revision programme_0001."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from loom.modules.programme.migrations.programme_0001_parts import Table


def _enterprise() -> None:
    """Create programme_enterprise: the bureau's enterprise registry."""
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


ENTERPRISE = Table("programme_enterprise", _enterprise, ("enterprise_org_id", "org_id", "sector"))


def _list() -> None:
    """Create programme_list: published N+X list versions."""
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


LIST = Table("programme_list", _list, ("org_id",))


def _plan() -> None:
    """Create programme_plan: the bureau's programme plan versions."""
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


PLAN = Table("programme_plan", _plan, ("bureau_org_id",))


def _scenario() -> None:
    """Create programme_scenario: the sector's application scenarios."""
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


SCENARIO = Table("programme_scenario", _scenario, ("org_id",))


def _need() -> None:
    """Create programme_need: survey needs reported by registry enterprises."""
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


NEED = Table("programme_need", _need, ("enterprise_id", "need_key", "org_id"))
