"""The contractor and product tables of revision programme_0001."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from loom.modules.programme.migrations.programme_0001_parts import Table


def _contractor_application() -> None:
    """Create programme_contractor_application: contractors' applications."""
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


CONTRACTOR_APPLICATION = Table(
    "programme_contractor_application", _contractor_application, ("contractor_org_id", "org_id")
)


def _product() -> None:
    """Create programme_product: contractors' catalogue products."""
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


PRODUCT = Table("programme_product", _product, ("org_id",))


def _contractor_score() -> None:
    """Create programme_contractor_score: evaluators' scores of a contractor application."""
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


CONTRACTOR_SCORE = Table(
    "programme_contractor_score", _contractor_score, ("application_id", "org_id")
)


def _product_mark() -> None:
    """Create programme_product_mark: the bureau's marks on products."""
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


PRODUCT_MARK = Table(
    "programme_product_mark", _product_mark, ("contractor_org_id", "org_id", "product_id")
)
