"""The 小快轻准 product catalogue: contractors publish, the bureau marks excellent ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, utcnow


class Product(TenantOwned, Base):
    """A product in the bureau's catalogue (``org_id``), published by a contractor."""

    __tablename__ = "programme_product"
    __table_args__ = (
        UniqueConstraint("id", "org_id"),
        CheckConstraint("price_fen >= 0", name="price_not_negative"),
        CheckConstraint("delivery_weeks > 0", name="delivery_positive"),
    )
    # the publishing contractor maintains its own entries in the bureau's catalogue
    __participant_columns__ = ("contractor_org_id",)

    id: Mapped[int] = mapped_column(primary_key=True)
    contractor_org_id: Mapped[int] = mapped_column(
        ForeignKey("tenancy_organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    scenario_code: Mapped[str] = mapped_column(String(40), default="")
    # national scene id -> level delivered; indicator id -> option reached (planner input)
    scenes: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    indicators: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    price_fen: Mapped[int] = mapped_column(BigInteger)
    delivery_weeks: Mapped[int] = mapped_column()
    deployment: Mapped[str] = mapped_column(String(20))  # cloud | on_premise
    description: Mapped[str] = mapped_column(String(2000), default="")
    status: Mapped[str] = mapped_column(String(20), default="published")  # | withdrawn
    excellent: Mapped[bool] = mapped_column(default=False)
    excellent_on: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
