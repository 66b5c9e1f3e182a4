"""Tables of the industry brain: what each enterprise shares, and every read of it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, utcnow

#: how finely a category is shared; "none" is the default for every category (nothing shared)
GRANULARITIES = ("none", "weekly", "daily")


class BrainConsent(TenantOwned, Base):
    """One enterprise's choice for one category (``org_id`` is the enterprise)."""

    __tablename__ = "brain_consent"
    __table_args__ = (
        UniqueConstraint("org_id", "category"),
        CheckConstraint("granularity IN ('none', 'weekly', 'daily')", name="granularity_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(30))
    granularity: Mapped[str] = mapped_column(String(10))
    changed_by: Mapped[str] = mapped_column(String(200), default="")
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class BrainRead(TenantOwned, Base):
    """One read of an enterprise's shared data (``org_id`` is the enterprise that was read)."""

    __tablename__ = "brain_read"

    id: Mapped[int] = mapped_column(primary_key=True)
    reader_org_id: Mapped[int | None] = mapped_column(default=None)
    reader_org_name: Mapped[str] = mapped_column(String(200), default="")
    reader: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(30))
    metric: Mapped[str] = mapped_column(String(80))
    granularity: Mapped[str] = mapped_column(String(10))
    purpose: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[date]
    period_end: Mapped[date]
    read_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
