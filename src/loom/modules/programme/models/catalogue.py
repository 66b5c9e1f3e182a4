"""The 小快轻准 product catalogue: contractors publish, the bureau marks excellent ones.

A product belongs to its contractor (``org_id``); the published catalogue is public by design
and read through one explicit all-tenants query. The bureau's judgement of a product is the
bureau's own record (``ProductMark``), so no organisation ever writes another's rows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, utcnow


class Product(TenantOwned, Base):
    """A contractor's (``org_id``) product, delivering scenes and indicator options."""

    __tablename__ = "programme_product"
    __table_args__ = (
        UniqueConstraint("id", "org_id"),
        CheckConstraint("price_fen >= 0", name="price_not_negative"),
        CheckConstraint("delivery_weeks > 0", name="delivery_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    scenario_code: Mapped[str] = mapped_column(String(40), default="")
    # national scene id -> level delivered; indicator id -> option reached (planner input)
    scenes: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    indicators: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    price_fen: Mapped[int] = mapped_column(BigInteger)
    delivery_weeks: Mapped[int] = mapped_column()
    deployment: Mapped[str] = mapped_column(String(20))  # cloud | on_premise
    description: Mapped[str] = mapped_column(String(2000), default="")
    status: Mapped[str] = mapped_column(String(20), default="published")  # | withdrawn
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProductMark(TenantOwned, Base):
    """The bureau's (``org_id``) mark on a product: listed as excellent (优秀), or a note."""

    __tablename__ = "programme_product_mark"
    __table_args__ = (UniqueConstraint("org_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # no foreign key into the contractor's tenant beyond the id: the mark is the bureau's record
    product_id: Mapped[int] = mapped_column(
        ForeignKey("programme_product.id", ondelete="CASCADE"), index=True
    )
    contractor_org_id: Mapped[int] = mapped_column(
        ForeignKey("tenancy_organisation.id", ondelete="CASCADE"), index=True
    )
    excellent: Mapped[bool] = mapped_column(default=True)
    marked_on: Mapped[date] = mapped_column()
    note: Mapped[str] = mapped_column(String(500), default="")
    marked_by: Mapped[str] = mapped_column(String(200), default="")
