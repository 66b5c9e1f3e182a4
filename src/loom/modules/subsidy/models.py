"""Tables of the subsidy ledger: the bureau's approved awards and the payments made on them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, utcnow

#: who an award is for: a registry enterprise, a contractor, or one product of a provider
BENEFICIARY_KINDS = ("enterprise", "contractor", "product")
STATUSES = ("approved", "cancelled")


class Award(TenantOwned, Base):
    """A subsidy or award the bureau (``org_id``) approved under one rule of a rule set.

    Exactly one beneficiary is named by kind: ``enterprise_id`` (the bureau's registry entry),
    ``contractor_org_id`` (a contractor organisation), or ``product_id`` together with its
    provider in ``contractor_org_id``. Amounts are whole fen; ``split`` holds each funder's fen.
    """

    __tablename__ = "subsidy_award"
    __table_args__ = (
        UniqueConstraint("id", "org_id"),
        ForeignKeyConstraint(
            ["enterprise_id", "org_id"],
            ["programme_enterprise.id", "programme_enterprise.org_id"],
        ),
        ForeignKeyConstraint(
            ["project_id", "org_id"],
            ["programme_project.id", "programme_project.org_id"],
        ),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint(
            "investment_fen IS NULL OR investment_fen >= 0", name="investment_not_negative"
        ),
        CheckConstraint("status IN ('approved', 'cancelled')", name="status_known"),
        CheckConstraint(
            "(beneficiary_kind = 'enterprise' AND enterprise_id IS NOT NULL"
            " AND contractor_org_id IS NULL AND product_id IS NULL)"
            " OR (beneficiary_kind = 'contractor' AND contractor_org_id IS NOT NULL"
            " AND enterprise_id IS NULL AND product_id IS NULL)"
            " OR (beneficiary_kind = 'product' AND product_id IS NOT NULL"
            " AND contractor_org_id IS NOT NULL AND enterprise_id IS NULL)",
            name="one_beneficiary",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(60), index=True)
    rules_version: Mapped[str] = mapped_column(String(80))
    beneficiary_kind: Mapped[str] = mapped_column(String(20))
    enterprise_id: Mapped[int | None] = mapped_column(default=None, index=True)
    # the contractor awarded, or the provider of the product awarded
    contractor_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenancy_organisation.id"), default=None, index=True
    )
    # no foreign key: the product is its contractor's row, and the ledger must outlive it
    product_id: Mapped[int | None] = mapped_column(default=None, index=True)
    project_id: Mapped[int | None] = mapped_column(default=None, index=True)
    # the names as they were at approval, so lists and exports need no cross-tenant reads
    beneficiary_name: Mapped[str] = mapped_column(String(200), default="")
    provider_name: Mapped[str] = mapped_column(String(200), default="")
    investment_fen: Mapped[int | None] = mapped_column(BigInteger, default=None)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    split: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    limit_applied: Mapped[str] = mapped_column(String(30))
    # the facts the quote rested on, and which of them the bureau declared by hand
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="approved", index=True)
    note: Mapped[str] = mapped_column(String(1000), default="")
    approved_by: Mapped[str] = mapped_column(String(200), default="")
    approved_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancel_reason: Mapped[str] = mapped_column(String(1000), default="")
    cancelled_by: Mapped[str] = mapped_column(String(200), default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)


class Payment(TenantOwned, Base):
    """Money one funder paid out on an award."""

    __tablename__ = "subsidy_payment"
    __table_args__ = (
        ForeignKeyConstraint(
            ["award_id", "org_id"],
            ["subsidy_award.id", "subsidy_award.org_id"],
        ),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(index=True)
    funder: Mapped[str] = mapped_column(String(30))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date] = mapped_column()
    reference: Mapped[str] = mapped_column(String(120), default="")
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
