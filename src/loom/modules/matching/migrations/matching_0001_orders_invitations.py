"""matching tables: posted orders and invitations to factories

Revision ID: matching_0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "matching_0001"
down_revision = None
branch_labels = ("matching",)
depends_on = ("k0001",)


def _org_fk(table: str, column: str = "org_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        ["tenancy_organisation.id"],
        name=op.f(f"fk_{table}_{column}_tenancy_organisation"),
        ondelete="CASCADE",
    )


def _offer() -> list[sa.Column[object]]:
    # the order's terms: on the posted order, and copied onto each invitation
    return [
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("max_dhu_pct", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("sam_minutes", sa.Numeric(precision=7, scale=2), nullable=False),
    ]


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "matching_order",
        sa.Column("id", sa.Integer(), nullable=False),
        *_offer(),
        sa.Column("sam_defaulted", sa.Boolean(), nullable=False),
        sa.Column("style_name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=False),
        sa.Column("quantities", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("ranking", sa.JSON(), nullable=False),
        sa.Column("ranked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("placed_org_id", sa.Integer(), nullable=True),
        sa.Column("posted_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_matching_order_quantity_positive")),
        sa.CheckConstraint("sam_minutes > 0", name=op.f("ck_matching_order_sam_positive")),
        sa.CheckConstraint(
            "status IN ('open', 'placed', 'cancelled')",
            name=op.f("ck_matching_order_status_known"),
        ),
        _org_fk("matching_order"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matching_order")),
        sa.UniqueConstraint("id", "org_id", name=op.f("uq_matching_order_id_org_id")),
    )
    op.create_index(op.f("ix_matching_order_org_id"), "matching_order", ["org_id"])
    op.create_index(op.f("ix_matching_order_created_at"), "matching_order", ["created_at"])
    op.create_table(
        "matching_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("factory_org_id", sa.Integer(), nullable=False),
        sa.Column("factory_name", sa.String(length=200), nullable=False),
        sa.Column("poster_name", sa.String(length=200), nullable=False),
        *_offer(),
        sa.Column("style_name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=False),
        sa.Column("quantities", sa.JSON(), nullable=False),
        sa.Column("message", sa.String(length=1000), nullable=False),
        sa.Column("score", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("invited_by", sa.String(length=200), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("responded_by", sa.String(length=200), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("production_order_id", sa.Integer(), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'closed')",
            name=op.f("ck_matching_invitation_status_known"),
        ),
        _org_fk("matching_invitation", "factory_org_id"),
        sa.ForeignKeyConstraint(
            ["order_id", "org_id"],
            ["matching_order.id", "matching_order.org_id"],
            name=op.f("fk_matching_invitation_order_id_org_id_matching_order"),
            ondelete="CASCADE",
        ),
        _org_fk("matching_invitation"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matching_invitation")),
        sa.UniqueConstraint(
            "order_id",
            "factory_org_id",
            name=op.f("uq_matching_invitation_order_id_factory_org_id"),
        ),
    )
    for column in ("org_id", "order_id", "factory_org_id"):
        op.create_index(op.f(f"ix_matching_invitation_{column}"), "matching_invitation", [column])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("matching_invitation")
    op.drop_table("matching_order")
