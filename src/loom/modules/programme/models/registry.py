"""The bureau's enterprise registry: every sector enterprise, pilot or not."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, utcnow


class Enterprise(TenantOwned, Base):
    """One enterprise in the bureau's registry (``org_id`` is the bureau).

    An entry may exist long before the enterprise has an organisation in Loom; when it joins,
    ``enterprise_org_id`` links the two and the enterprise sees its own entry.
    """

    __tablename__ = "programme_enterprise"
    __table_args__ = (
        UniqueConstraint("id", "org_id"),
        # the credit code identifies a legal person: one entry per code in a registry
        UniqueConstraint("org_id", "credit_code"),
        CheckConstraint("employees >= 0", name="employees_not_negative"),
        CheckConstraint("revenue_wan >= 0", name="revenue_not_negative"),
    )
    __participant_columns__ = ("enterprise_org_id",)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18))
    sector: Mapped[str] = mapped_column(String(30), index=True)
    sub_sector: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[str] = mapped_column(String(10))  # above | below designated size
    town: Mapped[str] = mapped_column(String(40), default="")
    employees: Mapped[int] = mapped_column(default=0)
    revenue_wan: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))
    cloud: Mapped[bool] = mapped_column(default=False)
    contact_name: Mapped[str] = mapped_column(String(60), default="")
    contact_phone: Mapped[str] = mapped_column(String(30), default="")
    enterprise_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenancy_organisation.id", ondelete="SET NULL"), default=None, index=True
    )
    # The latest known digital level: from an on-site assessment recorded on a project, or
    # entered by the bureau from an assessment made outside Loom (source says which).
    digital_level: Mapped[int | None] = mapped_column(default=None)
    level_source: Mapped[str] = mapped_column(String(20), default="")
    level_on: Mapped[date | None] = mapped_column(default=None)
    # recognised 数字化车间 / 智能工厂 (a target of section 三), with the date it was named
    smart_factory_on: Mapped[date | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
